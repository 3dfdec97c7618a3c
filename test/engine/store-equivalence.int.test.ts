/**
 * Property: random temporal graphs of a few hundred nodes, written to every store, give byte-identical
 * blast-radius JSON; and the answer equals an independent oracle that solves the recursive label
 * definition by plain fixpoint iteration over the whole graph (no heap, no region fetching, no
 * static pruning), so both the stores and the engine's search are checked.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBlastRadius, defaultSeeds, type BlastOptions, type BlastRadius, type SeedInput } from '../../server/engine/blast-radius.js';
import { CONFIDENCES, CONFIDENCE_RANK, PROPAGATION, type Access, type Confidence, type EdgeKind, type NodeKind } from '../../server/model/kinds.js';
import type { StoredEdge, StoredNode } from '../../server/model/record.js';
import { formatTime, normalizeTime } from '../../server/model/time.js';
import type { EdgeInput, GraphBatch, NodeInput, Props, Source } from '../../server/model/types.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { source } from '../support/batches.js';
import { STORES } from '../support/stores.js';
import { prng } from '../support/prng.js';

const EARLY = source('equivalence-early', '2026-03-01T00:00:00Z');
const LATE = source('equivalence-late', '2026-03-10T00:00:00Z');
const DAY = Date.parse('2026-03-24T00:00:00Z');

/** Half-hour slots on one day, so arrivals often tie. */
const prngOf = (seed: number) => prng(seed, { day: DAY, slots: 48, slotMs: 1_800_000 });

interface Generated {
  batches: GraphBatch[];
  ids: string[];
  seeds: SeedInput[];
  options: BlastOptions;
}

function generate(seed: number): Generated {
  const r = prngOf(seed);
  const pkgs = Array.from({ length: 8 }, (_, i) => `pkg:npm/p${i}`);
  const versions = pkgs.flatMap((p) => Array.from({ length: 6 }, (_, j) => `${p}@1.0.${j}`));
  const svcs = Array.from({ length: 60 }, (_, i) => `svc:s${i}`);
  const creds = Array.from({ length: 60 }, (_, i) => `cred:c${i}`);
  const dss = Array.from({ length: 60 }, (_, i) => `ds:d${i}`);
  const orgs = Array.from({ length: 20 }, (_, i) => `org:o${i}`);
  const advisories = ['osv:MAL-1', 'osv:MAL-2'];
  const batches: GraphBatch[] = [
    { input: 'early', nodes: [], edges: [] },
    { input: 'late', nodes: [], edges: [] },
  ];
  const put = (n: Omit<NodeInput, 'sources'>) => {
    const b = r.chance(0.85) ? 0 : 1;
    batches[b]!.nodes.push({ ...n, sources: b === 0 ? EARLY : LATE });
  };
  const maybe = (p: number, props: Props, key: string) => {
    if (r.chance(p)) props[key] = r.time();
  };
  for (const id of pkgs) {
    const props: Props = {};
    maybe(0.15, props, 'containedAt');
    maybe(0.05, props, 'compromisedAt');
    put({ id, kind: 'Package', props });
  }
  for (const id of versions) {
    const props: Props = {};
    maybe(0.8, props, 'publishedAt');
    maybe(0.06, props, 'compromisedAt');
    maybe(0.1, props, 'containedAt');
    put({ id, kind: 'PackageVersion', props });
  }
  for (const id of svcs) {
    const props: Props = {};
    maybe(0.15, props, 'containedAt');
    if (r.chance(0.04)) props.compromised = true;
    put({ id, kind: 'Service', props });
  }
  for (const id of creds) {
    const props: Props = {};
    maybe(0.3, props, 'createdAt');
    maybe(0.3, props, 'rotatedAt');
    maybe(0.15, props, 'revokedAt');
    maybe(0.1, props, 'containedAt');
    put({ id, kind: 'Credential', props });
  }
  for (const id of dss) put({ id, kind: 'Dataset', props: r.chance(0.1) ? { containedAt: r.time() } : {} });
  for (const id of orgs) put({ id, kind: 'Customer', props: { notifyWithinHours: 72 } });
  for (const id of advisories) put({ id, kind: 'Advisory', props: {} });

  const link = (count: number, from: readonly string[], kind: EdgeKind, to: readonly string[], access?: () => Access) => {
    for (let i = 0; i < count; i++) {
      const e: EdgeInput = { from: r.pick(from), kind, to: r.pick(to), sources: [] };
      if (access) e.access = access();
      let since = r.chance(0.3) ? r.time() : undefined;
      let until = r.chance(0.3) ? r.time() : undefined;
      if (since && until && since > until) [since, until] = [until, since];
      if (since) e.since = since;
      if (until) e.until = until;
      const c = r.int(6);
      if (c === 0) e.confidence = 'possible';
      else if (c === 1) e.confidence = 'likely';
      else if (c === 2) e.confidence = 'confirmed';
      const b = r.chance(0.85) ? 0 : 1;
      batches[b]!.edges.push({ ...e, sources: b === 0 ? EARLY : LATE });
    }
  };
  const anyAccess = () => r.pick(['read', 'write', 'admin', 'deploy', 'publish'] as const);
  link(70, versions, 'DEPENDS_ON', versions);
  link(90, svcs, 'DEPENDS_ON', versions);
  link(90, svcs, 'HOLDS', creds);
  link(40, svcs, 'READS', dss);
  link(40, svcs, 'WRITES', dss);
  link(50, creds, 'GRANTS', dss, anyAccess);
  link(40, creds, 'GRANTS', svcs, anyAccess);
  link(25, creds, 'GRANTS', pkgs, () => (r.chance(0.8) ? 'publish' : 'read'));
  link(50, dss, 'DERIVED_FROM', dss);
  link(50, dss, 'BELONGS_TO', orgs);
  link(40, orgs, 'USES', svcs);
  link(6, advisories, 'AFFECTS', versions);

  const all = [...pkgs, ...versions, ...svcs, ...creds, ...dss, ...orgs, ...advisories];
  const seeds: SeedInput[] = Array.from({ length: 1 + r.int(4) }, () => {
    const id = r.pick(all);
    const k = r.int(3);
    return k === 0 ? { id } : k === 1 ? { id, at: r.time() } : { id, at: null };
  });
  if (r.chance(0.2)) seeds.push({ id: 'svc:ghost' });
  const options: BlastOptions = {};
  if (r.chance(0.3)) options.maxHops = r.int(8);
  if (r.chance(0.4)) options.minConfidence = r.pick(CONFIDENCES);
  if (r.chance(0.3)) options.asOf = '2026-03-05T00:00:00Z';
  if (r.chance(0.3)) options.contained = [{ id: r.pick(all), at: r.time() }, { id: r.pick(svcs), at: r.time() }];
  if (r.chance(0.2)) options.edgeKinds = (['VERSION_OF', 'DEPENDS_ON', 'HOLDS', 'GRANTS', 'READS', 'WRITES', 'DERIVED_FROM', 'BELONGS_TO', 'USES'] as const).filter(() => r.chance(0.7));
  return { batches, ids: all, seeds, options };
}

// ---------------------------------------------------------------------------------------------
// The oracle: the ARCHITECTURE rules restated over the whole graph, solved by Jacobi iteration.

interface OLabel {
  arrival: number;
  hops: number;
  prev: string;
  tie: string;
  base: string | null;
  extra: Array<{ from: string; edge: StoredEdge; to: string; arrival: number }>;
}

function olt(a: OLabel, b: OLabel): boolean {
  if (a.arrival !== b.arrival) return a.arrival < b.arrival;
  if (a.hops !== b.hops) return a.hops < b.hops;
  if (a.prev !== b.prev) return a.prev < b.prev;
  return a.tie < b.tie;
}

const RULES: Array<[NodeKind, EdgeKind, NodeKind, readonly (Access | undefined)[] | null]> = [
  ['PackageVersion', 'DEPENDS_ON', 'PackageVersion', null],
  ['PackageVersion', 'DEPENDS_ON', 'Service', null],
  ['Service', 'HOLDS', 'Credential', null],
  ['Service', 'READS', 'Dataset', null],
  ['Service', 'WRITES', 'Dataset', null],
  ['Service', 'USES', 'Customer', null],
  ['Credential', 'GRANTS', 'Dataset', null],
  ['Credential', 'GRANTS', 'Service', ['admin', 'deploy']],
  ['Credential', 'GRANTS', 'Package', ['publish']],
  ['Dataset', 'DERIVED_FROM', 'Dataset', null],
  ['Dataset', 'BELONGS_TO', 'Customer', null],
  ['Package', 'VERSION_OF', 'PackageVersion', null],
];

async function oracle(store: GraphStore, ids: string[], seedsIn: SeedInput[], options: BlastOptions) {
  const asOf = options.asOf ? Date.parse(options.asOf) : Infinity;
  const minRank = CONFIDENCE_RANK[options.minConfidence ?? 'possible'];
  const kinds = new Set<EdgeKind>(options.edgeKinds ?? (Object.keys(PROPAGATION) as EdgeKind[]).filter((k) => PROPAGATION[k]));
  const maxHops = options.maxHops ?? Infinity;
  const nodes = new Map<string, StoredNode>();
  for (const n of await store.getNodes(ids)) if (n && Date.parse(n.firstIngestedAt) <= asOf) nodes.set(n.id, n);
  const t = (v: unknown, dflt: number) => (typeof v === 'string' ? Date.parse(v) : dflt);
  const contained = new Map<string, number>();
  for (const c of options.contained ?? []) contained.set(c.id, Math.min(contained.get(c.id) ?? Infinity, Date.parse(c.at)));
  const validFrom = (n: StoredNode) => (n.kind === 'Credential' ? t(n.props.createdAt, -Infinity) : -Infinity);
  const validUntil = (n: StoredNode) => (n.kind === 'Credential' ? Math.min(t(n.props.rotatedAt, Infinity), t(n.props.revokedAt, Infinity)) : Infinity);
  const containedAt = (n: StoredNode) => Math.min(t(n.props.containedAt, Infinity), contained.get(n.id) ?? Infinity);

  // Every crossable edge in compromise direction, with its bounds.
  interface OStep { u: string; v: string; edge: StoredEdge; lower: number; upper: number; rank: number }
  const steps: OStep[] = [];
  for (const e of await store.edgesOf([...nodes.keys()], { direction: 'out' })) {
    const dir = PROPAGATION[e.kind];
    if (!dir || !kinds.has(e.kind) || Date.parse(e.firstIngestedAt) > asOf) continue;
    const [u, v] = dir === 'forward' ? [nodes.get(e.from), nodes.get(e.to)] : [nodes.get(e.to), nodes.get(e.from)];
    if (!u || !v) continue;
    const rule = RULES.find(([f, k, to]) => f === u.kind && k === e.kind && to === v.kind);
    if (!rule || (rule[3] && !rule[3].includes(e.access))) continue;
    const rank = CONFIDENCE_RANK[e.confidence ?? 'confirmed'];
    if (rank < minRank) continue;
    steps.push({
      u: u.id,
      v: v.id,
      edge: e,
      rank,
      lower: Math.max(t(e.since, -Infinity), validFrom(v)),
      upper: Math.min(t(e.until, Infinity), containedAt(u), validUntil(u), validUntil(v)),
    });
  }
  const versionSteps = (p: string) => steps.filter((s) => s.u === p && s.edge.kind === 'VERSION_OF');
  const pubOf = (v: string) => t(nodes.get(v)!.props.publishedAt, NaN);

  const seedLabels = new Map<string, OLabel>();
  const seedAt = new Map<string, number>();
  for (const s of seedsIn) {
    const n = nodes.get(s.id);
    if (!n) continue;
    const at = s.at ?? normalizeTime(n.props.compromisedAt) ?? normalizeTime(n.props.publishedAt);
    const ms = at === null ? -Infinity : Date.parse(at);
    if (!seedAt.has(s.id) || ms < seedAt.get(s.id)!) seedAt.set(s.id, ms);
  }
  for (const [id, ms] of seedAt) seedLabels.set(id, { arrival: ms, hops: 0, prev: '', tie: '', base: null, extra: [] });

  let labels = new Map<string, OLabel>(seedLabels);
  for (let round = 0; ; round++) {
    if (round > 10 * nodes.size + 10) throw new Error('oracle did not converge');
    const next = new Map<string, OLabel>(seedLabels);
    const offer = (v: string, l: OLabel) => {
      const cur = next.get(v);
      if (l.hops <= maxHops && (!cur || olt(l, cur))) next.set(v, l);
    };
    for (const [id, at] of seedAt) {
      if (nodes.get(id)!.kind !== 'Package') continue;
      for (const vs of versionSteps(id)) {
        const pub = pubOf(vs.v);
        if (pub >= at && pub >= vs.lower && pub <= vs.upper) offer(vs.v, { arrival: pub, hops: 1, prev: id, tie: vs.edge.key, base: null, extra: [{ from: id, edge: vs.edge, to: vs.v, arrival: pub }] });
      }
    }
    for (const s of steps) {
      const l = labels.get(s.u);
      if (!l || s.edge.kind === 'VERSION_OF') continue;
      const arrival = Math.max(l.arrival, s.lower);
      if (arrival > s.upper) continue;
      const hop = { from: s.u, edge: s.edge, to: s.v, arrival };
      offer(s.v, { arrival, hops: l.hops + 1, prev: s.u, tie: s.edge.key, base: s.u, extra: [hop] });
      if (nodes.get(s.v)!.kind !== 'Package') continue;
      for (const vs of versionSteps(s.v)) {
        const pub = pubOf(vs.v);
        if (pub >= arrival && pub <= s.upper && pub >= vs.lower && pub <= vs.upper) {
          offer(vs.v, { arrival: pub, hops: l.hops + 2, prev: s.v, tie: `${vs.edge.key}\n${s.edge.key}`, base: s.u, extra: [hop, { from: s.v, edge: vs.edge, to: vs.v, arrival: pub }] });
        }
      }
    }
    const same = next.size === labels.size && [...next].every(([k, l]) => {
      const o = labels.get(k);
      return o && !olt(l, o) && !olt(o, l) && l.base === o.base;
    });
    labels = next;
    if (same) break;
  }

  const time = (ms: number) => (ms === -Infinity ? null : formatTime(ms));
  const pathOf = (id: string): Array<{ from: string; edge: EdgeKind; to: string; arrival: string | null; rank: number }> => {
    const l = labels.get(id)!;
    const hops = l.extra.map((h) => ({ from: h.from, edge: h.edge.kind, to: h.to, arrival: time(h.arrival), rank: CONFIDENCE_RANK[h.edge.confidence ?? 'confirmed'] }));
    return l.base === null ? hops : [...pathOf(l.base), ...hops];
  };
  return [...labels]
    .filter(([id]) => !seedAt.has(id))
    .sort(([a, x], [b, y]) => (x.arrival !== y.arrival ? x.arrival - y.arrival : a < b ? -1 : 1))
    .map(([id, l]) => {
      const path = pathOf(id);
      const rank = Math.min(3, ...path.map((h) => h.rank));
      return {
        id,
        firstExposedAt: time(l.arrival),
        hops: l.hops,
        confidence: CONFIDENCES.find((c) => CONFIDENCE_RANK[c] === rank) as Confidence,
        path: path.map(({ rank: _r, ...h }) => h),
      };
    });
}

function comparable(r: BlastRadius) {
  return r.affected.map((a) => ({ id: a.id, firstExposedAt: a.firstExposedAt, hops: a.hops, confidence: a.confidence, path: a.path.map(({ sources: _s, ...h }) => h) }));
}

describe('store equivalence', () => {
  const stores: Array<{ backend: string; store: GraphStore; teardown: () => Promise<void> }> = [];
  beforeAll(async () => {
    for (const adapter of STORES) {
      const store = await adapter.setup();
      stores.push({ backend: adapter.backend, store, teardown: () => adapter.teardown(store) });
    }
  });
  afterAll(async () => {
    for (const s of stores) await s.teardown();
  });

  it('random temporal graphs give byte-identical JSON on every store, equal to the oracle', { timeout: 240_000 }, async () => {
    let reachedSomething = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const g = generate(seed);
        const outputs: string[] = [];
        for (const { store } of stores) {
          await store.clear();
          for (const b of g.batches) await store.write(b);
          const given = await computeBlastRadius(store, g.seeds, g.options);
          const marked = await computeBlastRadius(store, await defaultSeeds(store), g.options);
          outputs.push(JSON.stringify([given, marked]));
        }
        for (const o of outputs.slice(1)) expect(o).toBe(outputs[0]);
        const [given] = JSON.parse(outputs[0]!) as [BlastRadius];
        if (given.affected.length > 0) reachedSomething++;
        expect(comparable(given)).toEqual(await oracle(stores[0]!.store, g.ids, g.seeds, g.options));
      }),
      { numRuns: 15, seed: 20260324 },
    );
    // The generator must make graphs where compromise actually spreads, or the property is vacuous.
    expect(reachedSomething).toBeGreaterThan(5);
  });
});
