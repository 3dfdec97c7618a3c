/**
 * What a store persists: the stored record types, an edge's identity, and the conversions back to
 * the plain graph records. Every store holds these same records (and so the same snapshotId).
 */
import type { GraphEdge, GraphNode } from './types.js';

export interface StoredNode extends GraphNode {
  /** True once the node is marked compromised (by an advisory or a user). */
  compromised: boolean;
  /** The earliest ingestedAt among its sources: `asOf` ignores records first ingested after it. */
  firstIngestedAt: string;
  /** Content hash (32 hex) of the record; the snapshotId is built from these. */
  hash: string;
}

export interface StoredEdge extends GraphEdge {
  key: string;
  firstIngestedAt: string;
  hash: string;
}

/** Props holding instants; they are stored in canonical ISO-8601 UTC. */
export const TIME_PROPS = ['publishedAt', 'compromisedAt', 'containedAt', 'createdAt', 'rotatedAt', 'revokedAt', 'modifiedAt'] as const;

/** An edge's identity: two grants of different access to the same target are two edges. */
export function edgeKey(e: Pick<GraphEdge, 'from' | 'kind' | 'to' | 'access'>): string {
  return `${e.from}|${e.kind}|${e.to}|${e.access ?? ''}`;
}

/** A readable name derived from an id, for nodes nobody named. */
export function defaultName(id: string): string {
  if (id.startsWith('pkg:')) {
    // pkg:pypi/litellm@1.82.8 -> litellm@1.82.8; pkg:npm/%40angular/core -> @angular/core
    return decodeURIComponent(id.slice(id.indexOf('/') + 1));
  }
  return id.slice(id.indexOf(':') + 1);
}

export function toGraphNode(n: StoredNode): GraphNode {
  return { id: n.id, kind: n.kind, name: n.name, props: n.props, sources: n.sources };
}

export function toGraphEdge(e: StoredEdge): GraphEdge {
  const { key: _k, firstIngestedAt: _f, hash: _h, ...edge } = e;
  return edge;
}
