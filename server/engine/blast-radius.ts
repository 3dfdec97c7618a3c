/**
 * The blast radius (ARCHITECTURE.md, "Blast-radius semantics"), implemented once, on the propagation
 * projection (server/projection/) that every store feeds through one contract method, so every
 * store gives the same answer byte for byte.
 *
 *  1. currentProjection: one graph-version read; the projection is reused, loaded or rebuilt.
 *  2. searchProjection (search.ts): the exact label-setting search, straight on the projection, here
 *     or in a worker thread (the server's pool); labels are predecessor links.
 *  3. BlastRun (blast-run.ts): the answer in that compact form, from which counts, pages of affected
 *     nodes, single paths, customers and the whole contract JSON are produced on demand; an edge's
 *     sources are read from the store only for the hops printed.
 */
import { CONFIDENCE_RANK, EDGE_KINDS } from '../model/kinds.js';
import { formatTime } from '../model/time.js';
import { currentProjection, type ProjectionEvents } from '../projection/current-projection.js';
import type { Projection } from '../projection/projection.js';
import type { GraphStore } from '../store/graph-store.js';
import { normaliseOptions, normaliseSeeds, type BlastOptions, type SeedInput } from './blast-options.js';
import type { BlastRadius, BlastSeed } from './blast-result.js';
import { BlastRun } from './blast-run.js';
import { searchProjection, type SearchQuery, type SearchResult } from './search.js';

export type { BlastOptions, ContainedInput, NormalisedOptions, SeedInput } from './blast-options.js';
export { BlastRun } from './blast-run.js';
export type { AffectedCustomer, AffectedNode, BlastRadius, BlastSeed, CustomerReason, PathHop } from './blast-result.js';

/** Runs the search; the server passes one that uses its worker pool. */
export type SearchRunner = (projection: Projection, query: SearchQuery) => Promise<SearchResult>;

export interface RunOptions extends ProjectionEvents {
  /** @default searchProjection in this thread */
  search?: SearchRunner;
}

/** The seeds used when none are given: every node marked compromised, each at its own start. */
export async function defaultSeeds(store: GraphStore): Promise<SeedInput[]> {
  return (await store.compromisedNodes()).map((n) => ({ id: n.id }));
}

/**
 * The blast radius in its compact form (blast-run.ts). Bad options or ids throw BAD_INPUT; a seed
 * that is not in the graph (as of `asOf`) is reported with `found: false` and reaches nothing.
 */
export async function runBlastRadius(store: GraphStore, seeds: readonly SeedInput[], options: BlastOptions = {}, run: RunOptions = {}): Promise<BlastRun> {
  const opts = normaliseOptions(options);
  const wanted = normaliseSeeds(seeds);
  const { projection: p } = await currentProjection(store, run);
  const asOf = opts.asOf === null ? null : Date.parse(opts.asOf);
  const visible = (n: number) => asOf === null || p.c.ingestedAt[n]! <= asOf;

  const seedsOut: BlastSeed[] = [];
  const found: SearchQuery['seeds'] = [];
  for (const s of wanted) {
    const number = p.numberOf(s.id);
    const node = number >= 0 && visible(number) ? number : -1;
    const start = node >= 0 ? p.c.seedStart[node]! : -Infinity;
    const own = start === -Infinity ? null : formatTime(start);
    // A node given several times starts at the earliest of its starts (null, unknown, is earliest).
    const starts = s.starts.map((at) => at ?? own);
    const at = starts.includes(null) ? null : (starts as string[]).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
    seedsOut.push({ id: s.id, at, found: node >= 0 });
    if (node >= 0) found.push({ node, at: at === null ? -Infinity : Date.parse(at) });
  }
  const contained: Array<[number, number]> = [];
  for (const c of opts.contained) {
    const number = p.numberOf(c.id);
    if (number >= 0) contained.push([number, Date.parse(c.at)]);
  }
  const query: SearchQuery = {
    seeds: found,
    edgeKinds: opts.edgeKinds.map((k) => EDGE_KINDS.indexOf(k)),
    minRank: CONFIDENCE_RANK[opts.minConfidence],
    asOf,
    maxHops: opts.maxHops,
    contained,
  };
  const result = await (run.search ?? ((proj, q) => Promise.resolve(searchProjection(proj, q))))(p, query);
  return new BlastRun(p, query, result, seedsOut, opts);
}

/**
 * Everything the seeds could reach, when, and how, as the contract's whole object (every path with
 * its sources). For large radii prefer runBlastRadius and its pages or its JSON stream.
 * @example
 * const r = await computeBlastRadius(store, [{ id: 'pkg:githubactions/aquasecurity/trivy-action@0.33.1' }], { minConfidence: 'likely' });
 * process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); // byte-identical for the same graph and options
 */
export async function computeBlastRadius(store: GraphStore, seeds: readonly SeedInput[], options: BlastOptions = {}, run: RunOptions = {}): Promise<BlastRadius> {
  return (await runBlastRadius(store, seeds, options, run)).materialise(store);
}
