/**
 * The step between parsing and writing that needs to read the store: an OSV record's version ranges
 * are evaluated against the versions the graph already knows (and those the batch itself names).
 * Every other format passes through unchanged.
 */
import type { GraphStore } from '../store/graph-store.js';
import type { GraphBatch } from '../model/types.js';
import type { PreparedInput } from './ingest-file.js';
import { osvRangeQueries } from './osv.js';
import { expandOsvRanges } from './osv-ranges.js';

export async function resolveAgainstStore(prepared: PreparedInput, store: Pick<GraphStore, 'edgesOf'>): Promise<GraphBatch> {
  if (prepared.format !== 'osv') return prepared.batch;
  const knownVersionsOf = async (packageId: string) =>
    (await store.edgesOf([packageId], { direction: 'in', kinds: ['VERSION_OF'] })).map((e) => e.from);
  return expandOsvRanges(prepared.batch, osvRangeQueries(prepared.batch), knownVersionsOf);
}
