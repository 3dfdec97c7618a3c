/**
 * The rotation queue: every credential the blast radius reached (a seed credential included) that was
 * not rotated or revoked after it was first exposed, most urgent first (issue 15).
 *
 * Order: the earliest notification deadline among the customers behind it (a customer's deadline is
 * its firstExposedAt + notifyWithinHours; credentials with no such customer come after those with
 * one), then the number of customers behind it (more first), then its firstExposedAt (unknown first),
 * then its id.
 *
 * "Behind it" means: the customer has an evidence path in the radius (one of its reasons) that runs
 * through the credential. That keeps every claim backed by a cited path, and costs only the size of
 * the paths, whatever the size of the graph.
 *
 * Each entry also says what the credential opens (its grants: target and access) and where it sits
 * (the services that hold it), read from the store's records.
 */
import { compareText } from './blast-options.js';
import type { BlastRadius, PathHop } from './blast-radius.js';
import { formatTime } from '../model/time.js';
import type { Projection } from '../projection/projection.js';
import type { GraphStore } from '../store/graph-store.js';
import { giveWay } from './give-way.js';
import { ms, radiusSteps, type Reached, type Step } from './radius-steps.js';
import { reachBits } from './reach-bits.js';

/** Ids per store call. */
const BATCH = 5000;

export interface RotationEntry {
  credential: string;
  name: string;
  /** The credential's `type` (e.g. aws-access-key), null when not recorded. */
  type: string | null;
  /** When the compromise could first have reached it; null = unknown, as early as possible. */
  firstExposedAt: string | null;
  /** Its own `rotatedAt` / `revokedAt` when recorded (both at or before firstExposedAt). */
  rotatedAt: string | null;
  revokedAt: string | null;
  /** The earliest notification deadline among the customers behind it; null when none has one. */
  deadline: string | null;
  /** The customer whose deadline that is; null with it. */
  deadlineCustomer: string | null;
  /** The customers it leads to, by id. */
  customers: string[];
  /** Its grants: what it opens, with the access (by target id, then access). */
  opens: Array<{ id: string; access: string | null }>;
  /** The services that hold it, by id. */
  heldBy: string[];
  /** How the compromise reached it (the radius's evidence path; empty for a seed). */
  path: PathHop[];
}

export interface RotationQueue {
  snapshotId: string;
  credentials: RotationEntry[];
}

/** `projection`: the one the radius was computed on (BlastRun.projection); see radiusSteps. */
export async function rotationQueue(store: GraphStore, radius: BlastRadius, projection?: Projection): Promise<RotationQueue> {
  // Reached credentials: the found seeds that are credentials, then the affected ones.
  const reached = new Map<string, { firstExposedAt: string | null; path: PathHop[] }>();
  for (const s of radius.seeds) if (s.found && s.id.startsWith('cred:')) reached.set(s.id, { firstExposedAt: s.at, path: [] });
  for (const a of radius.affected) if (a.kind === 'Credential' && !reached.has(a.id)) reached.set(a.id, { firstExposedAt: a.firstExposedAt, path: a.path });
  const ids = [...reached.keys()];

  const nodes = new Map<string, { name: string; props: Record<string, unknown> }>();
  const opens = new Map<string, Array<{ id: string; access: string | null }>>();
  const heldBy = new Map<string, string[]>();
  // A server answers other requests between the steps of a large queue.
  const breathe = giveWay();
  for (let i = 0; i < ids.length; i += 1000) {
    await breathe();
    const batch = ids.slice(i, i + 1000);
    for (const n of await store.getNodes(batch)) if (n) nodes.set(n.id, n);
    for (const e of await store.edgesOf(batch, { direction: 'both', kinds: ['GRANTS', 'HOLDS'] })) {
      if (e.kind === 'GRANTS' && reached.has(e.from)) push(opens, e.from, { id: e.to, access: e.access ?? null });
      if (e.kind === 'HOLDS' && reached.has(e.to)) push(heldBy, e.to, e.from);
    }
  }

  // Customers behind each credential: those it can reach over the radius's steps (each step open at
  // the earliest arrival of the node it leaves).
  const { reached: nodesOf, index, steps, versionsOf } = await radiusSteps(store, radius, projection);
  await breathe(true);
  const behind = customersBehind(nodesOf, steps, versionsOf, [...reached.keys()].flatMap((id) => (index.has(id) ? [index.get(id)!] : [])));
  await breathe(true);
  const customerNodes = new Map<string, { props: Record<string, unknown> }>();
  const customerIds = radius.customers.map((c) => c.id);
  for (let i = 0; i < customerIds.length; i += BATCH) for (const n of await store.getNodes(customerIds.slice(i, i + BATCH))) if (n) customerNodes.set(n.id, n);
  const deadlineOf = new Map<string, number>();
  for (const c of radius.customers) {
    const hours = customerNodes.get(c.id)?.props.notifyWithinHours;
    if (c.firstExposedAt === null || typeof hours !== 'number' || !Number.isFinite(hours)) continue;
    deadlineOf.set(c.id, Date.parse(c.firstExposedAt) + hours * 3_600_000);
  }

  const entries: Array<RotationEntry & { sortDeadline: number }> = [];
  for (const [id, r] of reached) {
    const node = nodes.get(id);
    const props = node?.props ?? {};
    const exposed = r.firstExposedAt === null ? -Infinity : Date.parse(r.firstExposedAt);
    const rotated = ms(props.rotatedAt as string | undefined);
    const revoked = ms(props.revokedAt as string | undefined);
    // Rotated or revoked after exposure: the stolen value no longer works; nothing to queue.
    if ((rotated !== null && rotated > exposed) || (revoked !== null && revoked > exposed)) continue;
    const customers = [...(behind.get(id) ?? [])].sort(compareText);
    let deadline = Infinity;
    let deadlineCustomer: string | null = null;
    for (const c of customers) {
      const d = deadlineOf.get(c);
      if (d !== undefined && d < deadline) {
        deadline = d;
        deadlineCustomer = c;
      }
    }
    entries.push({
      credential: id,
      name: node?.name ?? id,
      type: typeof props.type === 'string' ? props.type : null,
      firstExposedAt: r.firstExposedAt,
      rotatedAt: typeof props.rotatedAt === 'string' ? props.rotatedAt : null,
      revokedAt: typeof props.revokedAt === 'string' ? props.revokedAt : null,
      deadline: deadline === Infinity ? null : formatTime(deadline),
      deadlineCustomer,
      customers,
      opens: (opens.get(id) ?? []).sort((a, b) => compareText(a.id, b.id) || compareText(a.access ?? '', b.access ?? '')),
      heldBy: (heldBy.get(id) ?? []).sort(compareText),
      path: r.path,
      sortDeadline: deadline,
    });
  }
  const exposedOf = (e: RotationEntry) => (e.firstExposedAt === null ? -Infinity : Date.parse(e.firstExposedAt));
  entries.sort(
    (a, b) =>
      a.sortDeadline - b.sortDeadline ||
      b.customers.length - a.customers.length ||
      (exposedOf(a) === exposedOf(b) ? 0 : exposedOf(a) < exposedOf(b) ? -1 : 1) ||
      compareText(a.credential, b.credential),
  );
  return { snapshotId: radius.snapshotId, credentials: entries.map(({ sortDeadline: _, ...e }) => e) };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The customers each of `credentials` leads to, by credential id (sorted ids; a credential that leads
 * to none may be absent). All at once when the bitsets fit (one per strongly connected component, a bit per customer: reach-bits.ts), else one
 * search back from each customer (slower, memory linear in the nodes).
 */
export function customersBehind(
  nodes: readonly Reached[],
  steps: readonly Step[],
  versionsOf: ReadonlyMap<number, Step[]>,
  credentials: readonly number[],
  maxWords = MAX_REACH_WORDS,
): Map<string, string[]> {
  const forward: number[][] = nodes.map(() => []);
  for (const s of steps) if (Math.max(nodes[s.u]!.arrival, s.lower) <= s.upper) forward[s.u]!.push(s.v);
  for (const list of versionsOf.values()) for (const s of list) forward[s.u]!.push(s.v);
  const customers: number[] = [];
  nodes.forEach((r, x) => {
    if (r.node.kind === 'Customer') customers.push(x);
  });
  const behind = new Map<string, string[]>();
  if (nodes.length * Math.ceil(customers.length / 32) <= maxWords) {
    const reach = reachBits(forward, customers);
    for (const x of credentials) {
      const list = customers.flatMap((c, i) => (reach.has(x, i) ? [nodes[c]!.node.id] : []));
      behind.set(nodes[x]!.node.id, list.sort(compareText));
    }
    return behind;
  }
  const back: number[][] = nodes.map(() => []);
  forward.forEach((list, u) => {
    for (const v of list) back[v]!.push(u);
  });
  const wanted = new Set(credentials);
  const seen = new Int32Array(nodes.length).fill(-1);
  for (const c of customers) {
    const stack = [c];
    seen[c] = c;
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (wanted.has(v)) {
        const id = nodes[v]!.node.id;
        const list = behind.get(id);
        if (list) list.push(nodes[c]!.node.id);
        else behind.set(id, [nodes[c]!.node.id]);
      }
      for (const u of back[v]!) {
        if (seen[u] === c) continue;
        seen[u] = c;
        stack.push(u);
      }
    }
  }
  for (const list of behind.values()) list.sort(compareText);
  return behind;
}

/** Reachability bitsets above this many 32-bit words (256 MB) are not built: searched per customer. */
const MAX_REACH_WORDS = 64 * 1024 * 1024;
