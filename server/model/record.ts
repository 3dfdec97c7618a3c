/**
 * What a store persists, and the one merge every store uses. Split by job into the modules below;
 * this file re-exports them so existing importers keep working.
 */
export { TIME_PROPS, defaultName, edgeKey, toGraphEdge, toGraphNode, type StoredEdge, type StoredNode } from './stored-record.js';
export { completeBatch } from './validate-batch.js';
export { mergeEdge, mergeNode, unionSources } from './merge.js';
export { canonicalJson, contentHash, hashParts } from './canonical-json.js';
export { snapshotIdFrom } from './snapshot.js';
export { edgeKeysOf, nodeIdsOf, planWrite, type WritePlan } from './write-plan.js';
export type { NodeKind } from './kinds.js';
