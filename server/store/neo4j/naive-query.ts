/**
 * The hand-written Cypher a Neo4j user would reach for (every node within N hops, any direction, no
 * time), for scripts/bench to set against the store's own traversal on the same graph.
 */
import { BlastError } from '../../model/errors.js';
import type { GraphStore } from '../graph-store.js';
import { HOPS, type Hops } from './cypher-loader.js';
import { Neo4jStore } from './neo4j-store.js';

/** Runs it from `id`; true when it finished, false when Neo4j stopped it after `timeoutMs`. */
export async function runNaiveQuery(store: GraphStore, id: string, hops: number, timeoutMs: number): Promise<boolean> {
  if (!(store instanceof Neo4jStore)) throw new BlastError('BAD_INPUT', `the naive Cypher query needs the neo4j store, not ${store.backend}`);
  if (!(HOPS as readonly number[]).includes(hops)) throw new BlastError('BAD_INPUT', `hops must be an integer from 1 to ${HOPS.length}`);
  return (await store.naiveReach(id, hops as Hops, timeoutMs)) !== null;
}
