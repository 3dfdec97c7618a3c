/**
 * A deterministic generator of enterprise-shaped graphs for benchmarks and property tests: package
 * versions with power-law dependency fan-in, services with install windows, CI pipelines, credentials
 * with rotations, grants, derived datasets and customers. The same size and seed give the same graph.
 *
 * It streams batches (all nodes first, then edges) so a store ingests it without ever holding the whole
 * graph as one batch: each batch is one atomic write.
 */
import { createHash } from 'node:crypto';
import type { Access, Confidence } from '../../server/model/kinds.js';
import type { EdgeInput, GraphBatch, NodeInput, Source } from '../../server/model/types.js';
import { formatTime } from '../../server/model/time.js';

export const SIZES = {
  /** ~10k nodes */
  S: 10_000,
  /** ~100k nodes */
  M: 100_000,
  /** ~1M nodes, ~5M edges */
  L: 1_000_000,
} as const;
export type SizeName = keyof typeof SIZES;

export interface SyntheticOptions {
  /** Approximate node count. @default SIZES.S */
  nodes?: number;
  /** PRNG seed. @default 1 */
  seed?: number;
  /** Records (nodes + edges) per batch. @default 20000 */
  batchSize?: number;
}

export interface SyntheticPlan {
  counts: { packages: number; versions: number; services: number; credentials: number; datasets: number; customers: number };
  /** The most depended-upon versions, most popular first: good seeds for a wide blast radius. */
  popularVersions: string[];
  /** The graph in batches of `batchSize` records (default: the plan's); the same records whatever the size. */
  batches(batchSize?: number): Generator<GraphBatch>;
}

const DAY = 86_400_000;
const START = Date.parse('2025-06-01T00:00:00Z');
const SPAN = 365 * DAY;

/** mulberry32: small, fast, and the same on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function planSynthetic(opts: SyntheticOptions = {}): SyntheticPlan {
  const total = opts.nodes ?? SIZES.S;
  const seed = opts.seed ?? 1;
  const defaultBatchSize = opts.batchSize ?? 20_000;
  const counts = {
    packages: Math.max(10, Math.round(total * 0.04)),
    versions: Math.max(30, Math.round(total * 0.4)),
    services: Math.max(10, Math.round(total * 0.15)),
    credentials: Math.max(10, Math.round(total * 0.2)),
    datasets: Math.max(10, Math.round(total * 0.2)),
    customers: Math.max(3, Math.round(total * 0.01)),
  };
  const tag = `synthetic:${total}:${seed}`;
  const sources: Source[] = [{ source: tag, sha256: createHash('sha256').update(tag).digest('hex'), ingestedAt: '2026-01-01T00:00:00Z' }];
  const verId = (i: number) => `pkg:npm/syn-pkg-${i % counts.packages}@${1 + Math.floor(i / counts.packages)}.0.${i % 7}`;
  const svcId = (i: number) => `svc:syn/service-${i}`;
  const credId = (i: number) => `cred:syn/cred-${i}`;
  const dsId = (i: number) => `ds:syn/dataset-${i}`;
  const orgId = (i: number) => `org:syn-customer-${i}`;
  const time = (ms: number) => formatTime(Math.floor(ms / 60_000) * 60_000);
  // Power law: low indexes are picked far more often (popular packages, shared credentials).
  const popular = (rand: () => number, n: number, skew = 3) => Math.min(n - 1, Math.floor(n * Math.pow(rand(), skew)));

  function* nodes(): Generator<NodeInput> {
    const rand = prng(seed);
    for (let i = 0; i < counts.versions; i++) {
      yield { id: verId(i), kind: 'PackageVersion', props: { publishedAt: time(START + rand() * SPAN * 0.3) }, sources };
    }
    const serviceKinds = ['app', 'job', 'ci', 'host', 'image', 'notebook'];
    for (let i = 0; i < counts.services; i++) {
      const props: NodeInput['props'] = { serviceKind: serviceKinds[i % serviceKinds.length]!, environment: rand() < 0.6 ? 'prod' : 'staging' };
      if (rand() < 0.05) props.containedAt = time(START + SPAN * (0.5 + rand() * 0.5));
      yield { id: svcId(i), kind: 'Service', name: `service ${i}`, props, sources };
    }
    for (let i = 0; i < counts.credentials; i++) {
      const created = START - rand() * SPAN;
      const props: NodeInput['props'] = { type: 'api-key', createdAt: time(created) };
      const r = rand();
      if (r < 0.3) props.rotatedAt = time(START + rand() * SPAN);
      else if (r < 0.35) props.revokedAt = time(START + rand() * SPAN);
      yield { id: credId(i), kind: 'Credential', name: `credential ${i}`, props, sources };
    }
    for (let i = 0; i < counts.datasets; i++) {
      yield { id: dsId(i), kind: 'Dataset', name: `dataset ${i}`, props: { classification: rand() < 0.5 ? 'customer-confidential' : 'training-data' }, sources };
    }
    for (let i = 0; i < counts.customers; i++) {
      yield { id: orgId(i), kind: 'Customer', name: `Customer ${i}`, props: { notifyWithinHours: [24, 48, 72][i % 3]! }, sources };
    }
  }

  function* edges(): Generator<EdgeInput> {
    const rand = prng(seed ^ 0x9e3779b9);
    const window = () => {
      const since = START + rand() * SPAN;
      const until = rand() < 0.5 ? since + rand() * SPAN * 0.5 : undefined;
      return { since: time(since), ...(until !== undefined && { until: time(until) }) };
    };
    const confidence = (): Confidence | undefined => {
      const r = rand();
      return r < 0.9 ? undefined : r < 0.97 ? 'likely' : 'possible';
    };
    const dedup = new Set<string>();
    const once = (key: string) => (dedup.has(key) ? false : (dedup.add(key), true));
    // Versions depend on 4 others on average, chosen by popularity: a few become hubs.
    for (let i = 0; i < counts.versions; i++) {
      dedup.clear();
      const n = Math.floor(rand() * 8);
      for (let k = 0; k < n; k++) {
        const j = popular(rand, counts.versions);
        if (j !== i && once(verId(j))) yield { from: verId(i), kind: 'DEPENDS_ON', to: verId(j), sources };
      }
    }
    for (let i = 0; i < counts.services; i++) {
      dedup.clear();
      const n = 4 + Math.floor(rand() * 16);
      for (let k = 0; k < n; k++) {
        const j = popular(rand, counts.versions, 2);
        const c = confidence();
        if (once(verId(j))) yield { from: svcId(i), kind: 'DEPENDS_ON', to: verId(j), ...window(), ...(c && { confidence: c }), sources };
      }
      const holds = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < holds; k++) {
        const j = Math.floor(rand() * counts.credentials);
        if (once(credId(j))) yield { from: svcId(i), kind: 'HOLDS', to: credId(j), sources };
      }
      const reads = Math.floor(rand() * 3);
      for (let k = 0; k < reads; k++) {
        const j = Math.floor(rand() * counts.datasets);
        if (once(`r${j}`)) yield { from: svcId(i), kind: rand() < 0.5 ? 'READS' : 'WRITES', to: dsId(j), sources };
      }
    }
    const accesses: Access[] = ['read', 'write', 'admin'];
    for (let i = 0; i < counts.credentials; i++) {
      dedup.clear();
      const n = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < n; k++) {
        const r = rand();
        if (r < 0.8) {
          const j = Math.floor(rand() * counts.datasets);
          const access = accesses[Math.floor(rand() * 3)]!;
          if (once(`d${j}${access}`)) yield { from: credId(i), kind: 'GRANTS', to: dsId(j), access, sources };
        } else if (r < 0.98) {
          const j = Math.floor(rand() * counts.services);
          if (once(`s${j}`)) yield { from: credId(i), kind: 'GRANTS', to: svcId(j), access: 'deploy', ...window(), sources };
        } else {
          const j = Math.floor(rand() * counts.packages);
          if (once(`p${j}`)) yield { from: credId(i), kind: 'GRANTS', to: `pkg:npm/syn-pkg-${j}`, access: 'publish', sources };
        }
      }
    }
    for (let i = 0; i < counts.datasets; i++) {
      if (i > 0 && rand() < 0.5) yield { from: dsId(i), kind: 'DERIVED_FROM', to: dsId(Math.floor(rand() * i)), sources };
      yield { from: dsId(i), kind: 'BELONGS_TO', to: orgId(popular(rand, counts.customers, 1.5)), sources };
    }
    for (let i = 0; i < counts.customers; i++) {
      dedup.clear();
      const n = 5 + Math.floor(rand() * 30);
      for (let k = 0; k < n; k++) {
        const j = Math.floor(rand() * counts.services);
        if (once(svcId(j))) yield { from: orgId(i), kind: 'USES', to: svcId(j), sources };
      }
    }
  }

  function* batches(batchSize = defaultBatchSize): Generator<GraphBatch> {
    let part = 0;
    let nodeBuf: NodeInput[] = [];
    let edgeBuf: EdgeInput[] = [];
    const flush = (): GraphBatch => {
      const b = { input: `${tag}#${part++}`, nodes: nodeBuf, edges: edgeBuf };
      nodeBuf = [];
      edgeBuf = [];
      return b;
    };
    for (const n of nodes()) {
      nodeBuf.push(n);
      if (nodeBuf.length >= batchSize) yield flush();
    }
    if (nodeBuf.length) yield flush();
    for (const e of edges()) {
      edgeBuf.push(e);
      if (edgeBuf.length >= batchSize) yield flush();
    }
    if (edgeBuf.length) yield flush();
  }

  return {
    counts,
    // The most popular versions by construction (popular() favours low indexes).
    popularVersions: Array.from({ length: 20 }, (_, i) => verId(i)),
    batches,
  };
}
