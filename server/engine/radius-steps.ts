/**
 * The blast radius's steps, as records: every reached node (with its validity and containment) and
 * every step between two reached nodes that the engine's rules let a compromise cross, with its time
 * window, read through the store's record-level contract (getNodes, edgesOf). The containment plan and
 * the rotation queue reason on this graph; the radius itself stays the engine's (computeBlastRadius).
 *
 * The step rules and windows are those of ARCHITECTURE.md ("Blast-radius semantics"): crossing u -> v
 * at max(t, lower) is allowed up to upper, where lower = max(edge.since, v.validFrom) and
 * upper = min(edge.until, u.containedAt, u.validUntil, v.validUntil).
 */
import { BlastError } from '../model/errors.js';
import { CONFIDENCE_RANK, PROPAGATION, type Access, type EdgeKind, type NodeKind } from '../model/kinds.js';
import type { StoredEdge, StoredNode } from '../model/record.js';
import type { Json } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';
import { compareText } from './blast-options.js';
import type { BlastRadius } from './blast-radius.js';

/** Node ids per store call. */
const BATCH = 5000;

/** A reached node, numbered. */
export interface Reached {
  node: StoredNode;
  /** Earliest arrival in the radius (epoch ms; -Infinity = unknown, as early as possible). */
  arrival: number;
  seed: boolean;
  /** Seed start (a seed Package's versions published from then on are compromised). */
  seedStart: number;
  validFrom: number;
  validUntil: number;
  containedAt: number;
}

/** A step of the radius between reached nodes, with its window (as region.ts computes it). */
export interface Step {
  u: number;
  v: number;
  kind: EdgeKind;
  key: string;
  lower: number;
  upper: number;
  /** A GRANTS step (revocable); to a Package, the publish rule continues to its versions. */
  grant: boolean;
  /** The stored edge (for evidence: its sources). */
  edge: StoredEdge;
}

export interface RadiusSteps {
  /** The found seeds, then the affected nodes, in the radius's order. */
  reached: Reached[];
  /** Reached number by id. */
  index: Map<string, number>;
  /** Every crossable step but VERSION_OF, by leaving node then edge key. */
  steps: Step[];
  /** Package number -> its VERSION_OF steps (Package -> version), crossed only by the publish rule. */
  versionsOf: Map<number, Step[]>;
}

export async function radiusSteps(store: GraphStore, radius: BlastRadius): Promise<RadiusSteps> {
  const options = radius.options;
  const contained = new Map(options.contained.map((c) => [c.id, Date.parse(c.at)]));
  const asOf = options.asOf === null ? Infinity : Date.parse(options.asOf);
  const minRank = CONFIDENCE_RANK[options.minConfidence];
  const edgeKinds = new Set(options.edgeKinds);

  // Reached nodes: the found seeds, then the affected ones, numbered in that order.
  const arrivalOf = new Map<string, { arrival: number; seed: boolean; seedStart: number }>();
  for (const s of radius.seeds) {
    if (!s.found) continue;
    const at = s.at === null ? -Infinity : Date.parse(s.at);
    arrivalOf.set(s.id, { arrival: at, seed: true, seedStart: at });
  }
  for (const a of radius.affected) {
    if (!arrivalOf.has(a.id)) arrivalOf.set(a.id, { arrival: a.firstExposedAt === null ? -Infinity : Date.parse(a.firstExposedAt), seed: false, seedStart: NaN });
  }
  const ids = [...arrivalOf.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const reached: Reached[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const nodes = await store.getNodes(ids.slice(i, i + BATCH));
    nodes.forEach((node, j) => {
      if (!node) throw new BlastError('CONFLICT', `${ids[i + j]} was deleted while the plan was computed; try again`, { input: ids[i + j] });
      const a = arrivalOf.get(node.id)!;
      const p = node.props;
      const credential = node.kind === 'Credential';
      reached.push({
        node,
        ...a,
        validFrom: credential ? (ms(p.createdAt) ?? -Infinity) : -Infinity,
        validUntil: credential ? Math.min(ms(p.rotatedAt) ?? Infinity, ms(p.revokedAt) ?? Infinity) : Infinity,
        containedAt: Math.min(ms(p.containedAt) ?? Infinity, contained.get(node.id) ?? Infinity),
      });
    });
  }

  // The radius's steps among reached nodes, under the same rules and filters as the engine.
  const seen = new Set<string>();
  const steps: Step[] = [];
  /** Package number -> its VERSION_OF steps (Package -> version). */
  const versionsOf = new Map<number, Step[]>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const edges = await store.edgesOf(ids.slice(i, i + BATCH), { direction: 'both', kinds: options.edgeKinds });
    for (const e of edges) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      const step = stepOf(e);
      if (!step) continue;
      if (step.kind === 'VERSION_OF') {
        const list = versionsOf.get(step.u) ?? [];
        list.push(step);
        versionsOf.set(step.u, list);
      } else steps.push(step);
    }
  }
  function stepOf(e: StoredEdge): Step | null {
    const direction = PROPAGATION[e.kind];
    if (direction === null || !edgeKinds.has(e.kind)) return null;
    if (!(Date.parse(e.firstIngestedAt) <= asOf)) return null;
    if (CONFIDENCE_RANK[e.confidence ?? 'confirmed'] < minRank) return null;
    const [from, to] = direction === 'forward' ? [e.from, e.to] : [e.to, e.from];
    const u = index.get(from);
    const v = index.get(to);
    if (u === undefined || v === undefined) return null;
    const ru = reached[u]!;
    const rv = reached[v]!;
    if (!crosses(ru.node.kind, e.kind, e.access, rv.node.kind)) return null;
    const lower = Math.max(ms(e.since) ?? -Infinity, rv.validFrom);
    const upper = Math.min(ms(e.until) ?? Infinity, ru.containedAt, ru.validUntil, rv.validUntil);
    if (lower > upper) return null;
    if (e.kind === 'VERSION_OF') {
      const pub = ms(rv.node.props.publishedAt) ?? NaN;
      if (!(pub >= lower && pub <= upper)) return null;
    }
    return { u, v, kind: e.kind, key: e.key, lower, upper, grant: e.kind === 'GRANTS', edge: e };
  }
  steps.sort((a, b) => a.u - b.u || compareText(a.key, b.key));
  return { reached, index, steps, versionsOf };
}

/**
 * The step rules (ARCHITECTURE.md, blast-radius steps 1-5 and the publish rule) in the compromise's
 * direction, as the engine applies them: which edge kinds leave which node kind for which, and the
 * access a GRANTS needs.
 */
export function crosses(from: NodeKind, edge: EdgeKind, access: Access | undefined, to: NodeKind): boolean {
  switch (edge) {
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
      if (to === 'Service') return access === 'admin' || access === 'deploy';
      if (to === 'Package') return access === 'publish';
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

export function ms(value: Json | undefined): number | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}
