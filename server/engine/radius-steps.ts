/**
 * The blast radius's steps, as records: every reached node (with its validity and containment) and
 * every step between two reached nodes that the engine's rules let a compromise cross, with its time
 * window: nodes through the store's getNodes, steps from the projection the radius was computed on,
 * filtered by the engine's own StepFilter (search.ts), so the rules live in one place. The containment
 * plan and the rotation queue reason on this graph; the radius itself stays the engine's.
 *
 * The step rules and windows are those of ARCHITECTURE.md ("Blast-radius semantics"): crossing u -> v
 * at max(t, lower) is allowed up to upper, where lower = max(edge.since, v.validFrom) and
 * upper = min(edge.until, u.containedAt, u.validUntil, v.validUntil).
 */
import { BlastError } from '../model/errors.js';
import { CONFIDENCE_RANK, EDGE_KINDS, type EdgeKind } from '../model/kinds.js';
import type { StoredNode } from '../model/record.js';
import type { Json } from '../model/types.js';
import { currentProjection } from '../projection/current-projection.js';
import type { Projection } from '../projection/projection.js';
import type { GraphStore } from '../store/graph-store.js';
import { compareText } from './blast-options.js';
import type { BlastRadius } from './blast-radius.js';
import { giveWay } from './give-way.js';
import { StepFilter } from './search.js';
import { stepEdgeKey } from './step-rules.js';

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
  /** The store's identity of the edge (GraphStore.edgeSources gives its sources, for evidence). */
  ref: number;
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

/**
 * `projection`: the one the radius was computed on (BlastRun.projection); when absent, the store's
 * current one, which must still be of the radius's snapshot (else CONFLICT: the graph changed).
 */
export async function radiusSteps(store: GraphStore, radius: BlastRadius, projection?: Projection): Promise<RadiusSteps> {
  const options = radius.options;
  const contained = new Map(options.contained.map((c) => [c.id, Date.parse(c.at)]));

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
  const breathe = giveWay();
  for (let i = 0; i < ids.length; i += BATCH) {
    await breathe();
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

  // The radius's steps among reached nodes, under the same rules and filters as the engine: read from
  // the projection the radius was computed on (one pass over each reached node's steps).
  const p = projection ?? (await currentProjection(store)).projection;
  if (p.snapshotId !== radius.snapshotId) throw new BlastError('CONFLICT', 'the graph changed while the plan was computed; try again');
  const c = p.c;
  const numbers = new Int32Array(reached.length);
  const reachedOf = new Int32Array(p.nodeCount).fill(-1);
  reached.forEach((r, x) => {
    const number = p.numberOf(r.node.id);
    numbers[x] = number;
    reachedOf[number] = x;
  });
  const filter = new StepFilter(p, {
    seeds: [],
    edgeKinds: options.edgeKinds.map((k) => EDGE_KINDS.indexOf(k)),
    minRank: CONFIDENCE_RANK[options.minConfidence],
    asOf: options.asOf === null ? null : Date.parse(options.asOf),
    maxHops: options.maxHops,
    contained: options.contained.flatMap((k) => (p.numberOf(k.id) >= 0 ? [[p.numberOf(k.id), Date.parse(k.at)] as [number, number]] : [])),
  });
  const steps: Step[] = [];
  /** Package number -> its VERSION_OF steps (Package -> version). */
  const versionsOf = new Map<number, Step[]>();
  for (let u = 0; u < reached.length; u++) {
    if ((u & 4095) === 0) await breathe();
    const a = numbers[u]!;
    for (let e = c.stepStart[a]!, end = c.stepStart[a + 1]!; e < end; e++) {
      const v = reachedOf[c.far[e]!]!;
      if (v < 0 || !filter.usable(a, e)) continue;
      const kind = p.stepEdgeKind(e);
      const key = stepEdgeKey(reached[u]!.node.id, c.stepKind[e]!, reached[v]!.node.id, c.access[e]!);
      const step: Step = { u, v, kind, key, lower: filter.lower, upper: filter.upper, grant: kind === 'GRANTS', ref: c.edgeRef[e]! };
      if (kind === 'VERSION_OF') {
        const list = versionsOf.get(u) ?? [];
        list.push(step);
        versionsOf.set(u, list);
      } else steps.push(step);
    }
  }
  steps.sort((a, b) => a.u - b.u || compareText(a.key, b.key));
  for (const list of versionsOf.values()) list.sort((a, b) => compareText(a.key, b.key));
  return { reached, index, steps, versionsOf };
}

export function ms(value: Json | undefined): number | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}
