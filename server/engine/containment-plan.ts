/**
 * The containment plan: for seeds, options and an instant T, the cheapest set of actions that, applied
 * at T, leaves none of the chosen customers reachable (issue 15; README "Containment plan").
 *
 * Actions: `rotate` a Credential and `contain` a Service (both mean: the node passes nothing on from T,
 * exactly `blast radius --contain NODE@T`), and `revoke` one GRANTS edge (its `until` becomes T).
 *
 * How. The blast radius (computeBlastRadius, the one engine) gives every reached node's earliest
 * arrival a(x). What can still spread after T is the graph H of the radius's steps u -> v that the
 * compromise could cross after T: crossing at max(a(u), lower) inside the step's window, later than T,
 * into a node not already reached by T. A plan only ever delays arrivals, so H contains every step any
 * plan leaves open: cutting every H-path from the compromise to a customer is always enough (sound).
 * H's sources are the seeds and every node reached by T; its cuttable elements are Credentials (cost
 * `rotate`), Services (`contain`) and GRANTS edges (`revoke`); everything else is uncuttable. The plan
 * is an exact minimum weighted vertex/edge cut of H, by max-flow (max-flow.ts) with each node split in
 * two (in -> out, capacity its action's cost) and each grant its own two-node gadget.
 *
 * Exactness boundary: in H a step counts as open when its window is open at the earliest arrival of its
 * tail. A plan can delay a tail past a window's close (a `until`, a rotation, a containedAt later than
 * T) and so close a step for free; the plan never counts on that. Where no window in H closes after T,
 * H is exactly what can spread after T and the plan is a true optimum; in general the temporal problem
 * is NP-hard (vertex separators in temporal graphs, Kempe, Kleinberg and Kumar, 2002) and the plan is
 * the optimum over H, still always sufficient.
 *
 * Ties: among plans of equal cost, the one closest to the compromise (the minimum cut whose source side
 * is smallest, which is unique and leaves the fewest nodes exposed). Actions are listed by node id,
 * then edge key.
 *
 * The plan is checked before it is returned: an earliest-arrival walk over the radius's steps with the
 * plan applied must reach none of the chosen customers (else INTERNAL). The same walk gives `spared`:
 * the nodes and customers the plan keeps from being reached ("what if we had done it at T").
 */
import { BlastError, badInput } from '../model/errors.js';
import { parseId } from '../model/ids.js';
import { formatTime, normalizeTime } from '../model/time.js';
import type { Projection } from '../projection/projection.js';
import type { GraphStore } from '../store/graph-store.js';
import { compareText } from './blast-options.js';
import { runBlastRadius, type BlastOptions, type BlastRadius, type PathHop, type SeedInput } from './blast-radius.js';
import { giveWay } from './give-way.js';
import { FlowNetwork } from './max-flow.js';
import { MinHeap } from './min-heap.js';
import { ms, radiusSteps, type Reached, type Step } from './radius-steps.js';
import { reachBits } from './reach-bits.js';

export const ACTION_KINDS = ['rotate', 'contain', 'revoke'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/**
 * Default cost per action. Revoking one grant is the narrowest change, rotating a credential (issue a
 * new one, redeploy its holders) costs more, and containing a service (take it down or rebuild it)
 * the most; a credential with several grants is cheaper to rotate than to revoke grant by grant, and a
 * service holding one credential is cheaper to keep running while rotating it.
 */
export const DEFAULT_ACTION_COSTS: Readonly<Record<ActionKind, number>> = { revoke: 1, rotate: 2, contain: 3 };

/**
 * Evidence paths listed per action: one per protected customer, for at most this many (by id), so
 * that a plan over a large radius stays a readable size.
 */
export const MAX_CUTS_PER_ACTION = 20;

/**
 * Evidence paths listed over the whole plan, about: a plan of more than MAX_PLAN_CUTS /
 * MAX_CUTS_PER_ACTION actions lists fewer per action (at least one), so that its JSON stays a size a
 * responder can open (a plan of 15,000 actions listing 20 paths each printed over 500 MB).
 */
export const MAX_PLAN_CUTS = 5_000;

/** Costs are whole numbers in this range, so that sums stay exact. */
export const MAX_ACTION_COST = 1_000_000;

export interface PlanInput {
  /**
   * When the actions are applied.
   * @default now ($BLAST_NOW when set)
   * @example '2026-03-24T12:00:00Z'
   */
  at?: string | null;
  /**
   * The customers to cut off; each must be reached by the radius.
   * @default every reached customer not already reached by `at`
   */
  customers?: readonly string[] | null;
  /**
   * Cost per action kind, over DEFAULT_ACTION_COSTS; whole numbers from 1 to MAX_ACTION_COST.
   * @example { rotate: 5 }
   */
  costs?: Partial<Record<ActionKind, number>> | null;
}

export interface PlanAction {
  action: ActionKind;
  /** The credential to rotate, the service to contain, or the credential whose grant is revoked. */
  node: string;
  /** For `revoke`, the grant's edge key (`from|GRANTS|to|access`); else null. */
  edge: string | null;
  cost: number;
  /** The chosen customers this action stands between the compromise and, by id. */
  protects: string[];
  /**
   * Evidence paths this action cuts after `at`, one per protected customer (the first
   * cutsPerAction(actions) by id): the customer's first path in the blast radius that runs through
   * it, else a path through it to that customer that leaves it after `at`.
   */
  cuts: PathHop[][];
}

/** The plan; the first four fields are the JSON contract (issue 15), the rest extend it. */
export interface ContainmentPlan {
  at: string;
  totalCost: number;
  /** The customers the plan cuts off, by id. */
  customers: string[];
  actions: PlanAction[];
  /** Chosen (or, by default, reached) customers already reached by `at`: no action at `at` helps them. */
  alreadyReached: string[];
  /** Chosen customers reached after `at` through nothing any action can cut (e.g. a seed dataset's owner). */
  unprotectable: string[];
  /** What applying the plan at `at` keeps from being reached, compared with doing nothing. */
  spared: { customers: string[]; assets: string[] };
  snapshotId: string;
}

export interface NormalisedPlanInput {
  at: string;
  customers: string[] | null;
  costs: Record<ActionKind, number>;
}

export function normalisePlanInput(input: PlanInput = {}, now: () => string = currentTime): NormalisedPlanInput {
  let at: string;
  if (input.at === undefined || input.at === null) at = now();
  else {
    const t = normalizeTime(input.at);
    if (t === null) throw badInput(`"${String(input.at)}" is not an ISO-8601 time with a zone (e.g. 2026-03-24T10:52:00Z)`, 'at');
    at = t;
  }
  const costs = { ...DEFAULT_ACTION_COSTS };
  for (const [kind, value] of Object.entries(input.costs ?? {})) {
    if (!(ACTION_KINDS as readonly string[]).includes(kind)) throw badInput(`"${kind}" is not an action (expected ${ACTION_KINDS.join(', ')})`, 'costs');
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_ACTION_COST) {
      throw badInput(`the cost of ${kind} must be a whole number from 1 to ${MAX_ACTION_COST}, not ${String(value)}`, 'costs', `/${kind}`);
    }
    costs[kind as ActionKind] = value;
  }
  const customers =
    input.customers === undefined || input.customers === null
      ? null
      : [...new Set(input.customers.map((c, i) => parseId(c, 'customers', `/${i}`).id))].sort(compareText);
  return { at, customers, costs };
}

/** The current instant: $BLAST_NOW when set (reproducible runs), else the clock. */
export function currentTime(): string {
  return formatTime(process.env.BLAST_NOW ? Date.parse(process.env.BLAST_NOW) : Date.now());
}

/**
 * The cheapest plan that cuts the chosen customers off, applied at `input.at`.
 * @example
 * const plan = await computeContainmentPlan(store, [{ id: 'pkg:pypi/litellm@1.82.8' }], {}, { at: '2026-03-24T11:00:00Z' });
 * // plan.actions: [{ action: 'rotate', node: 'cred:acme/aws-prod-s3-reader', edge: null, cost: 2, protects: [...], cuts: [...] }]
 */
export async function computeContainmentPlan(store: GraphStore, seeds: readonly SeedInput[], options: BlastOptions = {}, input: PlanInput = {}): Promise<ContainmentPlan> {
  const plan = normalisePlanInput(input);
  const run = await runBlastRadius(store, seeds, options);
  return planFromRadius(store, await run.materialise(store), plan, run.projection);
}

/**
 * Builds the plan on an already computed radius (the CLI and API share it); `projection`: the one the
 * radius was computed on (BlastRun.projection), else the store's current one (see radiusSteps).
 */
export async function planFromRadius(store: GraphStore, radius: BlastRadius, plan: NormalisedPlanInput, projection?: Projection): Promise<ContainmentPlan> {
  const T = Date.parse(plan.at);
  const { reached, index, steps, versionsOf } = await radiusSteps(store, radius, projection);
  // Long synchronous stretches give way between steps, so that a server answers other requests.
  const breathe = giveWay();
  await breathe(true);

  // Which customers: the chosen ones (each must be a reached customer), else every reached one.
  const reachedCustomers = radius.customers.map((c) => c.id);
  let chosen: string[];
  if (plan.customers === null) chosen = [...reachedCustomers].sort(compareText);
  else {
    const known = new Set(reachedCustomers);
    plan.customers.forEach((c, i) => {
      if (!known.has(c)) throw badInput(`${c} is not a customer this compromise reaches`, 'customers', `/${i}`);
    });
    chosen = plan.customers;
  }
  const alreadyReached = chosen.filter((c) => reached[index.get(c)!]!.arrival <= T);

  // H, as a flow network: node x is 2x (in) and 2x+1 (out); grant g adds two more; then source, sink.
  const n = reached.length;
  const costOf = (x: number): number => {
    const kind = reached[x]!.node.kind;
    return kind === 'Credential' ? plan.costs.rotate : kind === 'Service' ? plan.costs.contain : Infinity;
  };
  interface Arc {
    from: number;
    to: number;
  }
  const arcs: Arc[] = [];
  /** Grant gadgets: the step, in H's numbering at 2n + 2g. */
  const grants: Step[] = [];
  const liveAfter = (x: number) => reached[x]!.arrival > T;
  const postT = (s: Step): number | null => {
    const e = Math.max(reached[s.u]!.arrival, s.lower);
    return e > s.upper || e <= T ? null : e;
  };
  for (const s of steps) {
    const e = postT(s);
    const publishTo = s.grant && reached[s.v]!.node.kind === 'Package' ? (versionsOf.get(s.v) ?? []) : [];
    const versions = publishTo.filter((vs) => {
      const pub = ms(reached[vs.v]!.node.props.publishedAt) ?? NaN;
      // The publish rule: versions published inside this grant's window (from the credential's arrival).
      return pub >= Math.max(reached[s.u]!.arrival, s.lower) && pub <= s.upper && pub > T && liveAfter(vs.v);
    });
    const intoV = e !== null && liveAfter(s.v);
    if (!intoV && versions.length === 0) continue;
    if (s.grant) {
      const g = 2 * n + 2 * grants.length;
      grants.push(s);
      arcs.push({ from: 2 * s.u + 1, to: g });
      if (intoV) arcs.push({ from: g + 1, to: 2 * s.v });
      for (const vs of versions) arcs.push({ from: g + 1, to: 2 * vs.v });
    } else {
      arcs.push({ from: 2 * s.u + 1, to: 2 * s.v });
    }
  }
  // A seed Package compromises its versions published from the seed's start on.
  for (const [p, list] of versionsOf) {
    const rp = reached[p]!;
    if (!rp.seed) continue;
    for (const vs of list) {
      const pub = ms(reached[vs.v]!.node.props.publishedAt) ?? NaN;
      if (pub >= rp.seedStart && pub > T && liveAfter(vs.v)) arcs.push({ from: 2 * p + 1, to: 2 * vs.v });
    }
  }
  const size = 2 * n + 2 * grants.length + 2;
  const source = size - 2;
  const sink = size - 1;
  const net = new FlowNetwork(size);
  for (let x = 0; x < n; x++) net.addArc(2 * x, 2 * x + 1, costOf(x));
  grants.forEach((_, g) => net.addArc(2 * n + 2 * g, 2 * n + 2 * g + 1, plan.costs.revoke));
  for (const a of arcs) net.addArc(a.from, a.to, Infinity);
  for (let x = 0; x < n; x++) if (reached[x]!.seed || !liveAfter(x)) net.addArc(source, 2 * x, Infinity);

  // Adjacency of H (for reachability questions), from the arcs above plus the split arcs.
  const adjacency: number[][] = Array.from({ length: size }, () => []);
  for (let x = 0; x < n; x++) adjacency[2 * x]!.push(2 * x + 1);
  grants.forEach((_, g) => adjacency[2 * n + 2 * g]!.push(2 * n + 2 * g + 1));
  for (const a of arcs) adjacency[a.from]!.push(a.to);
  const isCut = (h: number): boolean => (h < 2 * n ? Number.isFinite(costOf(h >> 1)) : h < 2 * n + 2 * grants.length);
  const sources: number[] = [];
  for (let x = 0; x < n; x++) if (reached[x]!.seed || !liveAfter(x)) sources.push(2 * x);

  // Unprotectable: reached after T along arcs no action can cut.
  const free = walk(adjacency, sources, (from) => !(isCut(from) && from % 2 === 0));
  const candidates = chosen.filter((c) => !alreadyReached.includes(c));
  const unprotectable = candidates.filter((c) => free[2 * index.get(c)!] === 1);
  const targets = candidates.filter((c) => free[2 * index.get(c)!] === 0);
  for (const c of targets) net.addArc(2 * index.get(c)!, sink, Infinity);

  await breathe(true);
  const total = net.maxFlow(source, sink);
  if (!Number.isFinite(total)) throw new BlastError('INTERNAL', 'the containment plan found an uncuttable path it should have excluded');
  const side = net.sourceSide(source);

  const targetSet = new Set(targets.map((c) => index.get(c)!));
  const cutNodes = new Set<number>();
  const cutGrants = new Set<number>();
  for (let x = 0; x < n; x++) if (side[2 * x] === 1 && side[2 * x + 1] === 0) cutNodes.add(x);
  grants.forEach((_, g) => {
    if (side[2 * n + 2 * g] === 1 && side[2 * n + 2 * g + 1] === 0) cutGrants.add(g);
  });

  // Which targets each node of H leads to, as bitsets (one pass, not one search per action).
  const targetList = [...targetSet];
  await breathe(true);
  const reach = reachBits(adjacency, targetList.map((c) => 2 * c));
  await breathe(true);
  const bitOf = new Map(targetList.map((c, i) => [c, i]));
  const perAction = cutsPerAction(cutNodes.size + cutGrants.size);
  const reasonsOf = new Map(radius.customers.map((c) => [c.id, c.reasons]));
  const pathTo = new Map<string, PathHop[]>(radius.affected.map((a) => [a.id, a.path]));

  interface Draft {
    action: PlanAction;
    x: number;
    first: Step | null;
    /** Where the action leaves in H: x's out-node, or the revoked grant's. */
    outNode: number;
    /** The customers whose evidence path is shown, and the path found for each so far. */
    shown: string[];
    paths: Map<string, PathHop[]>;
  }
  const drafts: Draft[] = [];
  const draft = (action: ActionKind, x: number, edge: string | null, cost: number, outNode: number, crosses: (h: PathHop) => boolean, first: Step | null) => {
    const protects = targetList.filter((_, i) => reach.has(outNode, i)).map((c) => reached[c]!.node.id).sort(compareText);
    const shown = protects.slice(0, perAction);
    // First the customer's own evidence paths (the radius's) that run through the action after T.
    const paths = new Map<string, PathHop[]>();
    for (const c of shown) {
      const r = (reasonsOf.get(c) ?? []).find((r) => r.path.some((h) => crosses(h) && h.arrival !== null && Date.parse(h.arrival) > T));
      if (r) paths.set(c, r.path);
    }
    drafts.push({ action: { action, node: reached[x]!.node.id, edge, cost, protects, cuts: [] }, x, first, outNode, shown, paths });
  };
  for (const x of cutNodes) {
    await breathe();
    const id = reached[x]!.node.id;
    draft(reached[x]!.node.kind === 'Credential' ? 'rotate' : 'contain', x, null, costOf(x), 2 * x + 1, (h) => h.from === id, null);
  }
  for (const g of cutGrants) {
    await breathe();
    const s = grants[g]!;
    const from = reached[s.u]!.node.id;
    const to = reached[s.v]!.node.id;
    draft('revoke', s.u, s.key, plan.costs.revoke, 2 * n + 2 * g + 1, (hop) => hop.from === from && hop.edge === 'GRANTS' && hop.to === to, s);
  }
  // Then, for a customer none of whose paths runs through the action, a path through it: one search
  // back from each such customer serves every action that needs a path to it.
  const wantedBy = new Map<number, Draft[]>();
  for (const d of drafts) {
    for (const c of d.shown) {
      if (d.paths.has(c)) continue;
      const v = index.get(c)!;
      const list = wantedBy.get(v);
      if (list) list.push(d);
      else wantedBy.set(v, [d]);
    }
  }
  // The search back from a customer keeps to what H leads to from those actions and leads on to the
  // customer: a path through a node already reached by T is no path the action cuts.
  const evidence = new Evidence(reached, steps, versionsOf, T);
  const region = new Uint8Array(size);
  let marked: number[] = [];
  for (const [c, list] of [...wantedBy].sort((a, b) => a[0] - b[0])) {
    const bit = bitOf.get(c)!;
    for (const h of marked) region[h] = 0;
    marked = [];
    for (const d of list) {
      if (region[d.outNode] === 1) continue;
      region[d.outNode] = 1;
      marked.push(d.outNode);
    }
    for (let i = 0; i < marked.length; i++) {
      for (const h of adjacency[marked[i]!]!) {
        if (region[h] === 1 || !reach.has(h, bit)) continue;
        region[h] = 1;
        marked.push(h);
      }
    }
    await breathe();
    const found = evidence.towards(c, (v) => region[2 * v + 1] === 1);
    for (const d of list) {
      const rest = found(d.x, d.first);
      if (rest) d.paths.set(reached[c]!.node.id, [...(pathTo.get(reached[d.x]!.node.id) ?? []), ...rest]);
    }
  }
  await evidence.cite(store);
  const actions: PlanAction[] = drafts.map((d) => ({ ...d.action, cuts: d.shown.flatMap((c) => (d.paths.has(c) ? [d.paths.get(c)!] : [])) }));
  actions.sort((a, b) => compareText(a.node, b.node) || compareText(a.edge ?? '', b.edge ?? ''));
  const totalCost = actions.reduce((sum, a) => sum + a.cost, 0);
  if (totalCost !== total) throw new BlastError('INTERNAL', `the containment plan's cut (${totalCost}) differs from its flow (${total})`);

  // Check: the plan applied, nothing chosen is reached; and what it spares.
  const cutGrantKeys = new Set([...cutGrants].map((g) => grants[g]!.key));
  await breathe(true);
  const after = earliestArrivals(reached, steps, versionsOf, (s) => (cutNodes.has(s.u) || cutGrantKeys.has(s.key) ? Math.min(s.upper, T) : s.upper));
  for (const c of targets) {
    if (after[index.get(c)!]! !== Infinity) throw new BlastError('INTERNAL', `the containment plan leaves ${c} reachable`);
  }
  const spared = reached.filter((r, x) => !r.seed && after[x] === Infinity).map((r) => r.node);
  return {
    at: plan.at,
    totalCost,
    customers: [...targets].sort(compareText),
    actions,
    alreadyReached,
    unprotectable,
    spared: {
      customers: spared.filter((s) => s.kind === 'Customer').map((s) => s.id).sort(compareText),
      assets: spared.filter((s) => s.kind !== 'Customer').map((s) => s.id).sort(compareText),
    },
    snapshotId: radius.snapshotId,
  };
}

/**
 * Evidence paths through an action, towards one customer at a time: a latest-departure search back
 * from the customer over the radius's steps (the mirror of the earliest-arrival walk) gives every node
 * the latest instant from which the customer can still be reached, and the step to take; a path from
 * an action then leaves its node at its radius arrival, after T, and follows those steps. One search
 * serves every action that needs a path to that customer. Each hop cites its edge's sources.
 */
class Evidence {
  private readonly out: Step[][];
  /** Into each node: its steps, and the publish rule's (grant, version) pairs into each version. */
  private readonly into: Array<Array<Step | readonly [Step, Step]>>;
  /** Search state, reused from one customer to the next (only the entries a search touched are reset). */
  private readonly latest: Float64Array;
  private readonly labelled: Uint8Array;
  private readonly done: Uint8Array;
  private readonly next: Array<Step | readonly [Step, Step] | undefined>;
  private touched: number[] = [];
  private readonly times = new Map<number, string>();
  /** Hops built, waiting for their sources (cite). */
  private unsourced: Array<[PathHop, number]> = [];

  constructor(
    private readonly reached: readonly Reached[],
    steps: readonly Step[],
    private readonly versionsOf: ReadonlyMap<number, Step[]>,
    private readonly T: number,
  ) {
    const n = reached.length;
    this.out = Array.from({ length: n }, () => []);
    this.into = Array.from({ length: n }, () => []);
    for (const s of steps) {
      this.out[s.u]!.push(s);
      this.into[s.v]!.push(s);
      if (!s.grant || reached[s.v]!.node.kind !== 'Package') continue;
      for (const vs of versionsOf.get(s.v) ?? []) this.into[vs.v]!.push([s, vs]);
    }
    this.latest = new Float64Array(n);
    this.labelled = new Uint8Array(n);
    this.done = new Uint8Array(n);
    this.next = new Array(n);
  }

  private publishedAt(v: number): number {
    return ms(this.reached[v]!.node.props.publishedAt) ?? NaN;
  }

  /** Canonical time text, each instant formatted once; null for -Infinity (unknown, earliest). */
  private timeText(at: number): string | null {
    if (at === -Infinity) return null;
    let t = this.times.get(at);
    if (t === undefined) this.times.set(at, (t = formatTime(at)));
    return t;
  }

  /**
   * The search back from customer `c` over the nodes `useful` admits; answers, for an action's node x
   * (left through step `first` only, when given), the hops from x to c, or null when none leaves x
   * after T.
   */
  towards(c: number, useful: (v: number) => boolean): (x: number, first: Step | null) => PathHop[] | null {
    const { reached, T, latest, labelled, done, next } = this;
    for (const v of this.touched) {
      labelled[v] = 0;
      done[v] = 0;
      next[v] = undefined;
    }
    const touched: number[] = (this.touched = [c]);
    // Latest first; among equal instants the lower number (a deterministic order).
    const heap = new MinHeap<[number, number]>((a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] < b[1]));
    labelled[c] = 1;
    latest[c] = Infinity;
    heap.push([Infinity, c]);
    const offer = (u: number, at: number, via: Step | readonly [Step, Step]) => {
      if (labelled[u] === 1 && at <= latest[u]!) return;
      if (labelled[u] === 0) {
        if (!useful(u)) return;
        touched.push(u);
        labelled[u] = 1;
      }
      latest[u] = at;
      next[u] = via;
      heap.push([at, u]);
    };
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) {
      const [t, w] = item;
      if (done[w] === 1 || t !== latest[w]) continue;
      done[w] = 1;
      for (const entry of this.into[w]!) {
        if (isStep(entry)) {
          // Crossing u -> w at max(departure, lower) <= min(upper, t): any departure up to that.
          const at = Math.min(entry.upper, t);
          if (entry.lower <= at && entry.u !== c) offer(entry.u, at, entry);
        } else {
          // The publish rule: the credential's grant crossed by the version's publication.
          const [s] = entry;
          const pub = this.publishedAt(w);
          if (pub >= s.lower && pub <= s.upper && pub <= t && pub > T && s.u !== c) offer(s.u, pub, entry);
        }
      }
    }
    const canReach = (v: number, at: number) => labelled[v] === 1 && at <= latest[v]!;
    return (x, first) => {
      // Leave x at its radius arrival, crossing after T; the earliest such crossing.
      const start = reached[x]!.arrival;
      let best: { at: number; via: Step | readonly [Step, Step]; at1: number } | null = null;
      for (const s of first ? [first] : this.out[x]!) {
        const at = Math.max(start, s.lower);
        if (at > s.upper) continue;
        if (at > T && s.v !== x && canReach(s.v, at) && (best === null || at < best.at)) best = { at, via: s, at1: at };
        if (!s.grant || reached[s.v]!.node.kind !== 'Package') continue;
        for (const vs of this.versionsOf.get(s.v) ?? []) {
          const pub = this.publishedAt(vs.v);
          if (pub >= at && pub <= s.upper && pub > T && vs.v !== x && canReach(vs.v, pub) && (best === null || pub < best.at)) best = { at: pub, via: [s, vs], at1: at };
        }
      }
      if (best === null) return null;
      const hops: PathHop[] = [];
      let t = start;
      let via: Step | readonly [Step, Step] | undefined = best.via;
      for (let guard = 0; via !== undefined && guard <= reached.length; guard++) {
        let v: number;
        if (isStep(via)) {
          t = Math.max(t, via.lower);
          hops.push(this.hop(via, t));
          v = via.v;
        } else {
          const [s, vs] = via;
          hops.push(this.hop(s, Math.max(t, s.lower)));
          t = this.publishedAt(vs.v);
          hops.push(this.hop(vs, t));
          v = vs.v;
        }
        if (v === c) return hops;
        via = next[v];
      }
      throw new BlastError('INTERNAL', `the evidence path from ${reached[x]!.node.id} to ${reached[c]!.node.id} did not end`);
    };
  }

  private hop(s: Step, at: number): PathHop {
    const hop: PathHop = { from: this.reached[s.u]!.node.id, edge: s.kind, to: this.reached[s.v]!.node.id, arrival: this.timeText(at), sources: [] };
    this.unsourced.push([hop, s.ref]);
    return hop;
  }

  /** Gives every hop built so far its edge's sources, read from the store in one call. */
  async cite(store: GraphStore): Promise<void> {
    const pending = this.unsourced;
    this.unsourced = [];
    if (pending.length === 0) return;
    const sources = await store.edgeSources(pending.map(([, ref]) => ref));
    pending.forEach(([hop], i) => {
      const list = sources[i];
      if (!list) throw new BlastError('CONFLICT', 'the graph changed while the plan was computed; try again');
      hop.sources = [...list];
    });
  }
}

function isStep(entry: Step | readonly [Step, Step]): entry is Step {
  return !Array.isArray(entry);
}

/**
 * How many evidence paths each action lists: one per protected customer for the first
 * MAX_CUTS_PER_ACTION, fewer when the plan is large, so that the whole plan lists at most about
 * MAX_PLAN_CUTS paths; never fewer than one.
 */
export function cutsPerAction(actions: number): number {
  return Math.max(1, Math.min(MAX_CUTS_PER_ACTION, Math.floor(MAX_PLAN_CUTS / Math.max(1, actions))));
}

/** Marks every node reachable from `starts` along arcs whose tail passes `pass`. */
function walk(adjacency: readonly number[][], starts: readonly number[], pass: (from: number) => boolean): Uint8Array {
  const seen = new Uint8Array(adjacency.length);
  const stack: number[] = [];
  for (const s of starts) {
    if (seen[s] === 0) {
      seen[s] = 1;
      stack.push(s);
    }
  }
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (!pass(u)) continue;
    for (const v of adjacency[u]!) {
      if (seen[v] === 0) {
        seen[v] = 1;
        stack.push(v);
      }
    }
  }
  return seen;
}

/**
 * Earliest arrival of every reached node from the seeds, over the radius's steps with each step's
 * upper bound given by `upperOf` (Infinity = not reached). Reachability only: hops are not limited.
 */
function earliestArrivals(reached: readonly Reached[], steps: readonly Step[], versionsOf: ReadonlyMap<number, Step[]>, upperOf: (s: Step) => number): Float64Array {
  const arrival = new Float64Array(reached.length).fill(Infinity);
  const out: Step[][] = Array.from({ length: reached.length }, () => []);
  for (const s of steps) out[s.u]!.push(s);
  const heap = new MinHeap<[number, number]>((a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]));
  const offer = (v: number, at: number) => {
    if (at < arrival[v]!) {
      arrival[v] = at;
      heap.push([at, v]);
    }
  };
  const pubOf = (v: number) => ms(reached[v]!.node.props.publishedAt) ?? NaN;
  reached.forEach((r, x) => {
    if (!r.seed) return;
    offer(x, r.seedStart);
    for (const vs of r.node.kind === 'Package' ? (versionsOf.get(x) ?? []) : []) {
      if (pubOf(vs.v) >= r.seedStart) offer(vs.v, pubOf(vs.v));
    }
  });
  const done = new Uint8Array(reached.length);
  for (let item = heap.pop(); item !== undefined; item = heap.pop()) {
    const [t, u] = item;
    if (done[u] === 1 || t !== arrival[u]) continue;
    done[u] = 1;
    for (const s of out[u]!) {
      const upper = upperOf(s);
      const at = Math.max(t, s.lower);
      if (at > upper) continue;
      offer(s.v, at);
      if (!s.grant || reached[s.v]!.node.kind !== 'Package') continue;
      for (const vs of versionsOf.get(s.v) ?? []) {
        const pub = pubOf(vs.v);
        if (pub >= at && pub <= upper) offer(vs.v, pub);
      }
    }
  }
  return arrival;
}
