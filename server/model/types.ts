import type { Access, Confidence, EdgeKind, NodeKind } from './kinds.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Props = Record<string, Json>;

/** Provenance: which input asserted a fact. */
export interface Source {
  /** The file or record name as it was given, e.g. `seed/reference/scenario.yaml` or `mark:cli`. */
  source: string;
  /** SHA-256 (hex) of the input's bytes. */
  sha256: string;
  /** When it was first ingested (canonical ISO-8601 UTC). */
  ingestedAt: string;
  /** Where in the input: a JSON pointer such as `/services/3`. */
  pointer?: string;
}

/**
 * A node as stored and returned. Well-known props by kind (all optional): PackageVersion
 * `publishedAt`, `compromisedAt`, `advisories`; Service `serviceKind`, `environment`, `owner`;
 * Credential `type`, `scope`, `fingerprint`, `createdAt`, `rotatedAt`, `revokedAt`; Dataset
 * `classification`, `sizeBytes`; Customer `jurisdiction`, `notifyWithinHours`, `contact`; any node
 * `containedAt`, `compromised`.
 */
export interface GraphNode {
  id: string;
  kind: NodeKind;
  name: string;
  props: Props;
  sources: Source[];
}

export interface GraphEdge {
  from: string;
  kind: EdgeKind;
  to: string;
  since?: string;
  until?: string;
  confidence?: Confidence;
  access?: Access;
  sources: Source[];
}

/** A node to upsert. `name` absent means "keep what is stored, else derive from the id". */
export interface NodeInput {
  id: string;
  kind: NodeKind;
  name?: string;
  props?: Props;
  sources: Source[];
  /** Only mentioned (an edge endpoint): created if absent, otherwise left exactly as stored. */
  stub?: boolean;
}

export type EdgeInput = GraphEdge;

/** One atomic write: everything one ingested file (or one mutation) asserts. */
export interface GraphBatch {
  /** The input it came from, for error messages. */
  input: string;
  nodes: NodeInput[];
  edges: EdgeInput[];
  /** Things worth telling the user that did not stop the write, e.g. unknown fields. */
  warnings?: string[];
}

export interface CountSummary {
  added: number;
  updated: number;
  unchanged: number;
}

export interface WriteSummary {
  nodes: CountSummary;
  edges: CountSummary;
  snapshotId: string;
}

export interface GraphStats {
  nodes: Partial<Record<NodeKind, number>>;
  edges: Partial<Record<EdgeKind, number>>;
  totalNodes: number;
  totalEdges: number;
  snapshotId: string;
}
