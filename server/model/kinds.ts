/** The closed lists of node and edge kinds. Neo4j labels and relationship types come only from here. */

export const NODE_KINDS = [
  'Package',
  'PackageVersion',
  'Service',
  'Credential',
  'Dataset',
  'Customer',
  'Advisory',
  'Incident',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const EDGE_KINDS = [
  'VERSION_OF',
  'DEPENDS_ON',
  'HOLDS',
  'GRANTS',
  'READS',
  'WRITES',
  'DERIVED_FROM',
  'BELONGS_TO',
  'USES',
  'AFFECTS',
] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** Which node kinds each edge kind may connect (stored direction: from -> to). */
export const EDGE_ENDPOINTS: Record<EdgeKind, { from: readonly NodeKind[]; to: readonly NodeKind[] }> = {
  VERSION_OF: { from: ['PackageVersion'], to: ['Package'] },
  DEPENDS_ON: { from: ['PackageVersion', 'Service'], to: ['PackageVersion'] },
  HOLDS: { from: ['Service'], to: ['Credential'] },
  GRANTS: { from: ['Credential'], to: ['Dataset', 'Service', 'Package'] },
  READS: { from: ['Service'], to: ['Dataset'] },
  WRITES: { from: ['Service'], to: ['Dataset'] },
  DERIVED_FROM: { from: ['Dataset'], to: ['Dataset'] },
  BELONGS_TO: { from: ['Dataset'], to: ['Customer'] },
  USES: { from: ['Customer'], to: ['Service'] },
  AFFECTS: { from: ['Advisory'], to: ['PackageVersion'] },
};

/**
 * The direction in which a compromise crosses each edge kind (ARCHITECTURE.md, blast-radius steps 1-5
 * and the publish rule): `forward` goes from the stored `from` to `to`, `reverse` the other way.
 * AFFECTS carries no compromise: an advisory marks versions, it does not leak anything.
 */
export const PROPAGATION: Record<EdgeKind, 'forward' | 'reverse' | null> = {
  DEPENDS_ON: 'reverse',
  VERSION_OF: 'reverse',
  USES: 'reverse',
  HOLDS: 'forward',
  READS: 'forward',
  WRITES: 'forward',
  GRANTS: 'forward',
  DERIVED_FROM: 'forward',
  BELONGS_TO: 'forward',
  AFFECTS: null,
};
export const FORWARD_EDGE_KINDS = EDGE_KINDS.filter((k) => PROPAGATION[k] === 'forward');
export const REVERSE_EDGE_KINDS = EDGE_KINDS.filter((k) => PROPAGATION[k] === 'reverse');

export const CONFIDENCES = ['confirmed', 'likely', 'possible'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
/** Higher is stronger; an absent confidence is `confirmed`. */
export const CONFIDENCE_RANK: Record<Confidence, number> = { confirmed: 3, likely: 2, possible: 1 };

export const ACCESS_LEVELS = ['read', 'write', 'admin', 'deploy', 'publish'] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

export const SERVICE_KINDS = ['app', 'ci', 'host', 'image', 'job', 'notebook'] as const;

/** Id prefixes: ids are natural keys, and the prefix names the kind. */
export const ID_PREFIX: Record<NodeKind, string> = {
  Package: 'pkg:',
  PackageVersion: 'pkg:',
  Service: 'svc:',
  Credential: 'cred:',
  Dataset: 'ds:',
  Customer: 'org:',
  Advisory: 'osv:',
  Incident: 'inc:',
};

export function isNodeKind(value: unknown): value is NodeKind {
  return typeof value === 'string' && (NODE_KINDS as readonly string[]).includes(value);
}

export function isEdgeKind(value: unknown): value is EdgeKind {
  return typeof value === 'string' && (EDGE_KINDS as readonly string[]).includes(value);
}
