/**
 * What the explorer receives from the GraphQL API (server/api/schema/*.graphql). The blast-radius
 * shapes mirror the CLI's `--format json` contract (ARCHITECTURE.md, "CLI (contract)").
 */

export const NODE_KINDS = ['Package', 'PackageVersion', 'Service', 'Credential', 'Dataset', 'Customer', 'Advisory', 'Incident'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const EDGE_KINDS = ['VERSION_OF', 'DEPENDS_ON', 'HOLDS', 'GRANTS', 'READS', 'WRITES', 'DERIVED_FROM', 'BELONGS_TO', 'USES', 'AFFECTS'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** Strongest first. An absent confidence means `confirmed`. */
export const CONFIDENCES = ['confirmed', 'likely', 'possible'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export const CONFIDENCE_RANK: Record<Confidence, number> = { confirmed: 3, likely: 2, possible: 1 };

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Provenance of a fact. */
export interface Source {
  source: string;
  sha256: string;
  ingestedAt: string;
  pointer?: string | null;
}

/** A stored node as `node(id)` and `search` return it. */
export interface ApiNode {
  id: string;
  kind: NodeKind;
  name: string;
  props?: Record<string, Json>;
  sources?: Source[];
  compromised?: boolean;
  compromisedAt?: string | null;
  containedAt?: string | null;
}

/** A stored edge, in its stored direction. */
export interface ApiEdge {
  key?: string;
  kind: EdgeKind;
  from: string;
  to: string;
  since?: string | null;
  until?: string | null;
  confidence?: Confidence | null;
  access?: string | null;
  sources?: Source[];
}

/** One hop of an evidence path, in the compromise's direction. */
export interface PathHop {
  from: string;
  edge: EdgeKind;
  to: string;
  /** When the compromise crossed it; null: unknown, as early as possible. */
  arrival: string | null;
  sources?: Source[];
  /** The crossed edge's own confidence, when the API provides it (absent: derived, see blast-elements). */
  confidence?: Confidence | null;
}

export interface Affected {
  id: string;
  kind: NodeKind;
  name: string;
  firstExposedAt: string | null;
  hops: number;
  confidence: Confidence;
  path: PathHop[];
}

export interface CustomerReason {
  via: string;
  path: PathHop[];
}

export interface AffectedCustomer {
  id: string;
  name: string;
  firstExposedAt: string | null;
  reasons: CustomerReason[];
  /** The stored customer node: `props.notifyWithinHours`, `jurisdiction`, `contact`. */
  node?: { props?: Record<string, Json> } | null;
}

export interface BlastSeed {
  id: string;
  at: string | null;
}

export interface BlastRadius {
  snapshotId: string;
  seeds: BlastSeed[];
  options?: Json;
  affected: Affected[];
  customers: AffectedCustomer[];
}

/** What `exportBlastRadius` answers (the fields the explorer asks for). */
export interface ExportDownload {
  /** Root-relative URL of the ZIP; needs the same bearer token. */
  url: string;
  fileName: string;
  bytes: number;
  sha256: string;
  affectedCount: number;
  customerCount: number;
  expiresAt: string;
}

export interface Neighborhood {
  center: ApiNode;
  nodes: ApiNode[];
  edges: ApiEdge[];
  truncated: boolean;
}

/** Epoch ms of an ISO time; null for absent or unparsable. */
export function toMs(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Canonical UTC text, `2026-03-24T10:52:00Z` (milliseconds only when non-zero). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The kind an id names, from its prefix (a purl with a version is a PackageVersion). */
export function kindOfId(id: string): NodeKind | null {
  const colon = id.indexOf(':');
  if (colon < 0) return null;
  switch (id.slice(0, colon)) {
    case 'pkg':
      return versionSplit(id) ? 'PackageVersion' : 'Package';
    case 'svc':
      return 'Service';
    case 'cred':
      return 'Credential';
    case 'ds':
      return 'Dataset';
    case 'org':
      return 'Customer';
    case 'osv':
      return 'Advisory';
    case 'inc':
      return 'Incident';
    default:
      return null;
  }
}

/**
 * Splits a versioned purl into its Package id and version: `pkg:npm/%40s/n@1.0` -> [`pkg:npm/%40s/n`, `1.0`].
 * Null when the purl has no version. The version is after the last `@` of the last path segment
 * (a scope's `@` is percent-encoded in purls, and qualifiers/subpaths are not part of ids).
 */
export function versionSplit(purl: string): [string, string] | null {
  const plain = purl.split(/[?#]/, 1)[0] ?? purl;
  const slash = plain.lastIndexOf('/');
  const at = plain.lastIndexOf('@');
  if (at < 0 || at < slash) return null;
  return [plain.slice(0, at), plain.slice(at + 1)];
}
