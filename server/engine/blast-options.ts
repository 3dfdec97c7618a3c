/**
 * The blast-radius inputs (seeds and options) as callers give them, and their one normalised form.
 * The normalised options are echoed in every result, so a result says exactly how it was computed.
 */
import { badInput } from '../model/errors.js';
import { parseId } from '../model/ids.js';
import { CONFIDENCES, EDGE_KINDS, PROPAGATION, type Confidence, type EdgeKind } from '../model/kinds.js';
import { normalizeTime } from '../model/time.js';

/** One compromised node to start from. */
export interface SeedInput {
  /** A node id; normalised like every id (purls are case-folded where the ecosystem says so). */
  id: string;
  /**
   * When the compromise started. Absent or null: the node's own `compromisedAt`, else its
   * `publishedAt`, else unknown (null, "as early as possible"). Null means absent because GraphQL
   * clients send null for an unset nullable field.
   * @example '2026-03-19T17:43:00Z'
   */
  at?: string | null;
}

/** A node to treat as contained (it passes nothing on) from `at`, on top of its own `containedAt`. */
export interface ContainedInput {
  id: string;
  at: string;
}

/** The edge kinds a compromise can cross (every kind but AFFECTS). */
export const PROPAGATING_EDGE_KINDS: readonly EdgeKind[] = EDGE_KINDS.filter((k) => PROPAGATION[k] !== null);

export interface BlastOptions {
  /**
   * Longest path, in hops, to follow.
   * @default null (no limit)
   */
  maxHops?: number | null;
  /**
   * Edge kinds to follow. The publish rule crosses GRANTS then VERSION_OF, so it needs both.
   * @default every propagating kind (all but AFFECTS)
   * @example ['DEPENDS_ON', 'HOLDS', 'GRANTS', 'VERSION_OF']
   */
  edgeKinds?: readonly EdgeKind[] | null;
  /**
   * Weakest edge confidence to cross; weaker edges are skipped.
   * @default 'possible' (everything)
   */
  minConfidence?: Confidence | null;
  /**
   * "What did we know then": nodes and edges first ingested after this instant are ignored.
   * @default null (everything stored)
   */
  asOf?: string | null;
  /**
   * Extra containment: each node passes nothing on from `at` (the earlier of this and its own
   * `containedAt` wins).
   * @default []
   */
  contained?: readonly ContainedInput[] | null;
}

/** The options as the engine uses them and echoes them: every field present, canonical, sorted. */
export interface NormalisedOptions {
  maxHops: number | null;
  edgeKinds: EdgeKind[];
  minConfidence: Confidence;
  asOf: string | null;
  contained: ContainedInput[];
}

export function normaliseOptions(options: BlastOptions = {}): NormalisedOptions {
  const { maxHops, edgeKinds, minConfidence, asOf, contained } = options;
  if (maxHops !== undefined && maxHops !== null && !(Number.isSafeInteger(maxHops) && maxHops >= 0)) {
    throw badInput(`maxHops must be a non-negative integer, not ${String(maxHops)}`, 'options.maxHops');
  }
  let kinds: EdgeKind[] = [...PROPAGATING_EDGE_KINDS];
  if (edgeKinds !== undefined && edgeKinds !== null) {
    for (const k of edgeKinds) {
      if (!(PROPAGATING_EDGE_KINDS as readonly string[]).includes(k)) {
        throw badInput(`"${String(k)}" is not an edge kind a compromise crosses (expected ${PROPAGATING_EDGE_KINDS.join(', ')})`, 'options.edgeKinds');
      }
    }
    kinds = PROPAGATING_EDGE_KINDS.filter((k) => edgeKinds.includes(k));
  }
  if (minConfidence !== undefined && minConfidence !== null && !CONFIDENCES.includes(minConfidence)) {
    throw badInput(`minConfidence must be one of ${CONFIDENCES.join(', ')}`, 'options.minConfidence');
  }
  const byId = new Map<string, string>();
  (contained ?? []).forEach((c, i) => {
    const id = parseId(c?.id, 'options.contained', `/${i}/id`).id;
    const at = requiredTime(c?.at, 'options.contained', `/${i}/at`);
    const prev = byId.get(id);
    if (prev === undefined || Date.parse(at) < Date.parse(prev)) byId.set(id, at);
  });
  return {
    maxHops: maxHops ?? null,
    edgeKinds: kinds,
    minConfidence: minConfidence ?? 'possible',
    asOf: asOf === undefined || asOf === null ? null : requiredTime(asOf, 'options.asOf'),
    contained: [...byId].sort(([a], [b]) => compareText(a, b)).map(([id, at]) => ({ id, at })),
  };
}

/** A seed after normalisation: id canonical; each start it was given (undefined: the node's own). */
export interface NormalisedSeed {
  id: string;
  starts: Array<string | undefined>;
}

/** Normalises ids and times, grouping a node given several times (its earliest start wins later). */
export function normaliseSeeds(seeds: readonly SeedInput[]): NormalisedSeed[] {
  const byId = new Map<string, NormalisedSeed>();
  seeds.forEach((s, i) => {
    const id = parseId(s?.id, 'seeds', `/${i}/id`).id;
    const at = s?.at === undefined || s.at === null ? undefined : requiredTime(s.at, 'seeds', `/${i}/at`);
    const entry = byId.get(id) ?? { id, starts: [] };
    entry.starts.push(at);
    byId.set(id, entry);
  });
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

function requiredTime(value: unknown, input: string, location?: string): string {
  const t = normalizeTime(value);
  if (t === null) throw badInput(`"${String(value)}" is not an ISO-8601 time with a zone (e.g. 2026-03-24T10:52:00Z)`, input, location);
  return t;
}

/** Code-unit order, the same on every platform and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
