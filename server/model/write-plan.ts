/**
 * The write plan: a completed batch merged with the stored records it touches, split into what is
 * added, updated and unchanged. Pure; store/write-recipe.ts runs it inside each store's transaction.
 */
import { BlastError } from './errors.js';
import type { CanonicalMemo } from './canonical-json.js';
import type { NodeKind } from './kinds.js';
import { mergeEdgeWith, mergeNodeWith } from './merge.js';
import { edgeKey, type StoredEdge, type StoredNode } from './stored-record.js';
import type { CountSummary, GraphBatch } from './types.js';

export interface WritePlan {
  /** Records that are new or changed; unchanged ones are left out. */
  nodes: StoredNode[];
  edges: StoredEdge[];
  summary: { nodes: CountSummary; edges: CountSummary };
}

/**
 * Merges a completed batch with the stored records it touches. Pure; the store writes the result.
 * `storedKinds`, when given, holds the kinds of the stored nodes that the batch only mentions (stub
 * inputs): a store may then leave those out of `existingNodes` and skip reading them whole.
 */
export function planWrite(
  batch: GraphBatch,
  existingNodes: ReadonlyMap<string, StoredNode>,
  existingEdges: ReadonlyMap<string, StoredEdge>,
  storedKinds?: ReadonlyMap<string, NodeKind>,
): WritePlan {
  const plan: WritePlan = {
    nodes: [],
    edges: [],
    summary: { nodes: { added: 0, updated: 0, unchanged: 0 }, edges: { added: 0, updated: 0, unchanged: 0 } },
  };
  // Canonical texts of the objects hashed in this call: records share their Source objects.
  const memo: CanonicalMemo = new Map();
  for (const input of batch.nodes) {
    const prev = existingNodes.get(input.id);
    const storedKind = input.stub ? (prev?.kind ?? storedKinds?.get(input.id)) : undefined;
    if (storedKind !== undefined) {
      // A mere mention of a stored node changes nothing (but a kind conflict is still an error).
      if (storedKind !== input.kind) throw new BlastError('CONFLICT', `"${input.id}" is stored as a ${storedKind}, not a ${input.kind}`, { input: batch.input });
      plan.summary.nodes.unchanged++;
      continue;
    }
    let merged: StoredNode;
    try {
      merged = mergeNodeWith(prev, input, memo);
    } catch (err) {
      if (err instanceof BlastError) throw new BlastError(err.code, err.message, { input: batch.input });
      throw err;
    }
    count(plan.summary.nodes, prev?.hash, merged.hash);
    if (prev?.hash !== merged.hash) plan.nodes.push(merged);
  }
  for (const input of batch.edges) {
    const prev = existingEdges.size === 0 ? undefined : existingEdges.get(edgeKey(input));
    const merged = mergeEdgeWith(prev, input, memo);
    count(plan.summary.edges, prev?.hash, merged.hash);
    if (prev?.hash !== merged.hash) plan.edges.push(merged);
  }
  return plan;
}

function count(summary: CountSummary, before: string | undefined, after: string): void {
  if (before === undefined) summary.added++;
  else if (before === after) summary.unchanged++;
  else summary.updated++;
}

/** Node ids a completed batch reads before writing (its nodes; endpoints are nodes after completeBatch). */
export function nodeIdsOf(batch: GraphBatch): string[] {
  return batch.nodes.map((n) => n.id);
}

export function edgeKeysOf(batch: GraphBatch): string[] {
  return batch.edges.map(edgeKey);
}

