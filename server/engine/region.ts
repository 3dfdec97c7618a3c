/**
 * The structurally reachable region around the seeds, fetched frontier by frontier through
 * GraphStore.propagation (large batches, every node's adjacency fetched once). The filters that do
 * not depend on when a node is reached are applied while fetching, so nothing beyond them is fetched:
 * the step rules (which edge kinds leave which node kinds, GRANTS access levels), the edge-kinds and
 * minimum-confidence options, asOf, the hop limit (breadth-first depth is a lower bound on any
 * path's hops), and edges whose time window can never open (max(since, v.validFrom) later than
 * min(until, u.containedAt, u.validUntil, v.validUntil)).
 */
import type { Confidence, EdgeKind, NodeKind } from '../model/kinds.js';
import { CONFIDENCE_RANK, PROPAGATION } from '../model/kinds.js';
import type { StoredEdge, StoredNode } from '../model/record.js';
import type { Json } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';

/** Ids per propagation() call: few round trips, bounded query size. */
export const PROPAGATION_BATCH = 5000;

/** One edge a compromise may cross out of a region node, with its static time bounds (epoch ms). */
export interface RegionStep {
  edge: StoredEdge;
  /** The far node, in the compromise's direction. */
  to: string;
  /** max(edge.since, to.validFrom); -Infinity when neither is set. */
  lower: number;
  /** min(edge.until, from.containedAt, from.validUntil, to.validUntil); +Infinity when none is set. */
  upper: number;
  /** Confidence rank of the edge (absent = confirmed). */
  rank: number;
  /** A publish grant to a Package: the publish rule continues to that package's versions. */
  publish: boolean;
}

export interface RegionNode {
  node: StoredNode;
  /** Credential createdAt, else -Infinity. */
  validFrom: number;
  /** Credential min(rotatedAt, revokedAt), else +Infinity. */
  validUntil: number;
  /** min(props.containedAt, the contained option), else +Infinity. */
  containedAt: number;
  /** PackageVersion publishedAt (epoch ms), else null. */
  publishedAt: number | null;
  /** Breadth-first depth from the nearest seed. */
  depth: number;
  /** Steps out of it (empty for nodes at the hop limit, which are never expanded). */
  steps: RegionStep[];
}

export interface RegionFilters {
  edgeKinds: ReadonlySet<EdgeKind>;
  minRank: number;
  /** Epoch ms; records first ingested after it are ignored. */
  asOf: number | null;
  maxHops: number | null;
  /** The contained option: node id -> epoch ms. */
  contained: ReadonlyMap<string, number>;
}

/** Whether a node exists for this computation (asOf hides records first ingested later). */
export function visible(record: { firstIngestedAt: string }, filters: RegionFilters): boolean {
  return filters.asOf === null || Date.parse(record.firstIngestedAt) <= filters.asOf;
}

export function regionNode(node: StoredNode, depth: number, filters: RegionFilters): RegionNode {
  const p = node.props;
  const credential = node.kind === 'Credential';
  return {
    node,
    validFrom: credential ? ms(p.createdAt) ?? -Infinity : -Infinity,
    validUntil: credential ? Math.min(ms(p.rotatedAt) ?? Infinity, ms(p.revokedAt) ?? Infinity) : Infinity,
    containedAt: Math.min(ms(p.containedAt) ?? Infinity, filters.contained.get(node.id) ?? Infinity),
    publishedAt: node.kind === 'PackageVersion' ? ms(p.publishedAt) : null,
    depth,
    steps: [],
  };
}

/**
 * Fetches the region reachable from `seeds` (already checked visible). Returns every admitted node;
 * only nodes with depth < maxHops have their steps filled in.
 */
export async function fetchRegion(store: GraphStore, seeds: readonly StoredNode[], filters: RegionFilters): Promise<Map<string, RegionNode>> {
  const region = new Map<string, RegionNode>();
  let frontier: string[] = [];
  for (const s of seeds) {
    if (region.has(s.id)) continue;
    region.set(s.id, regionNode(s, 0, filters));
    frontier.push(s.id);
  }
  for (let depth = 0; frontier.length > 0; depth++) {
    if (filters.maxHops !== null && depth >= filters.maxHops) break;
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += PROPAGATION_BATCH) {
      const steps = await store.propagation(frontier.slice(i, i + PROPAGATION_BATCH));
      for (const step of steps) {
        const from = region.get(step.from);
        if (!from || !visible(step.to, filters)) continue;
        const far = region.get(step.to.id) ?? regionNode(step.to, depth + 1, filters);
        const s = toRegionStep(from, step.edge, far, filters);
        if (!s) continue;
        from.steps.push(s);
        if (!region.has(far.node.id)) {
          region.set(far.node.id, far);
          next.push(far.node.id);
        }
      }
    }
    frontier = next;
  }
  return region;
}

/** Applies the step rules and the static filters; null when the edge can never be crossed. */
function toRegionStep(u: RegionNode, edge: StoredEdge, v: RegionNode, filters: RegionFilters): RegionStep | null {
  if (!filters.edgeKinds.has(edge.kind) || !visible(edge, filters)) return null;
  const direction = PROPAGATION[edge.kind];
  const expectedFrom = direction === 'forward' ? edge.from : direction === 'reverse' ? edge.to : null;
  if (expectedFrom !== u.node.id) return null;
  if (!crosses(u.node.kind, edge, v.node.kind)) return null;
  const rank = CONFIDENCE_RANK[(edge.confidence ?? 'confirmed') as Confidence] ?? CONFIDENCE_RANK.confirmed;
  if (rank < filters.minRank) return null;
  const lower = Math.max(ms(edge.since) ?? -Infinity, v.validFrom);
  const upper = Math.min(ms(edge.until) ?? Infinity, u.containedAt, u.validUntil, v.validUntil);
  if (lower > upper) return null;
  if (edge.kind === 'VERSION_OF') {
    // Only the publish rule crosses VERSION_OF: the version arrives at its publishedAt.
    const pub = v.publishedAt;
    if (pub === null || pub < lower || pub > upper) return null;
  }
  return { edge, to: v.node.id, lower, upper, rank, publish: edge.kind === 'GRANTS' && v.node.kind === 'Package' };
}

/** The step rules (ARCHITECTURE.md, blast-radius steps 1-5 and the publish rule), compromise direction. */
function crosses(from: NodeKind, edge: StoredEdge, to: NodeKind): boolean {
  switch (edge.kind) {
    case 'DEPENDS_ON':
      return from === 'PackageVersion' && (to === 'PackageVersion' || to === 'Service');
    case 'HOLDS':
      return from === 'Service' && to === 'Credential';
    case 'READS':
    case 'WRITES':
      return from === 'Service' && to === 'Dataset';
    case 'USES':
      return from === 'Service' && to === 'Customer';
    case 'GRANTS':
      if (from !== 'Credential') return false;
      if (to === 'Dataset') return true;
      if (to === 'Service') return edge.access === 'admin' || edge.access === 'deploy';
      if (to === 'Package') return edge.access === 'publish';
      return false;
    case 'DERIVED_FROM':
      return from === 'Dataset' && to === 'Dataset';
    case 'BELONGS_TO':
      return from === 'Dataset' && to === 'Customer';
    case 'VERSION_OF':
      return from === 'Package' && to === 'PackageVersion';
    case 'AFFECTS':
      return false;
  }
}

function ms(value: Json | undefined): number | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}
