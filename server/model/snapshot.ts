/** The snapshotId: one order-free fingerprint of a graph's content, equal on every store. */
import { createHash } from 'node:crypto';

/**
 * The snapshotId: a digest of the multiset of record hashes (count and four 32-bit sums, for nodes and
 * for edges). Order-free, so each store computes it with one aggregate query, and equal content gives
 * an equal id on every store.
 */
export function snapshotIdFrom(nodes: { count: number; sums: readonly (string | number | bigint)[] }, edges: { count: number; sums: readonly (string | number | bigint)[] }): string {
  const text = `nodes:${nodes.count}:${nodes.sums.map(String).join(':')}|edges:${edges.count}:${edges.sums.map(String).join(':')}`;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

