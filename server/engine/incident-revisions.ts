/**
 * Incident revisions: an open incident's blast radius re-evaluated after the graph changed, stored as
 * a new revision when the answer changed (issue 15).
 *
 * Kept as incidents are kept: in the Incident node's props, written through store.write, so both
 * stores hold them the same way, in one prop:
 *
 *   revisions  [{ revision, snapshotId, at, diff }], oldest first; revision 1 is the first answer
 *              (its diff adds everything reached)
 *
 * A diff names, for nodes (every reached node but the seeds, customers included) and for customers,
 * what is newly affected, what is no longer affected, and what is still affected but with another
 * firstExposedAt. Revisions replay: applying every diff up to revision n to the empty answer gives the
 * answer at n, so the last answer is not stored apart.
 */
import { createHash } from 'node:crypto';
import { BlastError } from '../model/errors.js';
import { canonicalJson, type StoredNode } from '../model/record.js';
import type { Json, Props } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';
import { compareText, type BlastOptions, type SeedInput } from './blast-options.js';
import { computeBlastRadius, type BlastRadius } from './blast-radius.js';

/** The source every revision write cites. */
export const REVISION_SOURCE = 'blast:incident-revision';

export interface Exposure {
  id: string;
  firstExposedAt: string | null;
}

export interface DiffPart {
  /** Newly affected, with when. */
  added: Exposure[];
  /** No longer affected, with when they were. */
  removed: Exposure[];
  /** Still affected, first exposed at another time. */
  moved: Array<{ id: string; from: string | null; to: string | null }>;
}

export interface RevisionDiff {
  nodes: DiffPart;
  customers: DiffPart;
}

export interface IncidentRevision {
  revision: number;
  /** The graph the answer was computed on. */
  snapshotId: string;
  /** When it was computed. */
  at: string;
  diff: RevisionDiff;
}

/** id -> firstExposedAt. */
export interface Answer {
  nodes: Map<string, string | null>;
  customers: Map<string, string | null>;
}

export function answerOf(radius: BlastRadius): Answer {
  return {
    nodes: new Map(radius.affected.map((a) => [a.id, a.firstExposedAt])),
    customers: new Map(radius.customers.map((c) => [c.id, c.firstExposedAt])),
  };
}

export function emptyAnswer(): Answer {
  return { nodes: new Map(), customers: new Map() };
}

export function diffAnswers(before: Answer, after: Answer): RevisionDiff {
  return { nodes: diffPart(before.nodes, after.nodes), customers: diffPart(before.customers, after.customers) };
}

function diffPart(before: ReadonlyMap<string, string | null>, after: ReadonlyMap<string, string | null>): DiffPart {
  const part: DiffPart = { added: [], removed: [], moved: [] };
  for (const [id, t] of after) {
    if (!before.has(id)) part.added.push({ id, firstExposedAt: t });
    else if (before.get(id) !== t) part.moved.push({ id, from: before.get(id)!, to: t });
  }
  for (const [id, t] of before) if (!after.has(id)) part.removed.push({ id, firstExposedAt: t });
  part.added.sort((a, b) => compareText(a.id, b.id));
  part.removed.sort((a, b) => compareText(a.id, b.id));
  part.moved.sort((a, b) => compareText(a.id, b.id));
  return part;
}

export function isEmptyDiff(d: RevisionDiff): boolean {
  return [d.nodes, d.customers].every((p) => p.added.length === 0 && p.removed.length === 0 && p.moved.length === 0);
}

/** The answer after applying `diff` to `answer` (a copy). */
export function applyDiff(answer: Answer, diff: RevisionDiff): Answer {
  const apply = (map: ReadonlyMap<string, string | null>, part: DiffPart) => {
    const next = new Map(map);
    for (const r of part.removed) next.delete(r.id);
    for (const a of part.added) next.set(a.id, a.firstExposedAt);
    for (const m of part.moved) next.set(m.id, m.to);
    return next;
  };
  return { nodes: apply(answer.nodes, diff.nodes), customers: apply(answer.customers, diff.customers) };
}

/** The incident's stored revisions, oldest first. */
export function storedRevisions(incident: StoredNode): IncidentRevision[] {
  const r = incident.props.revisions;
  return Array.isArray(r) ? (r as unknown as IncidentRevision[]) : [];
}

/** The answer at the latest revision, replayed from the diffs. */
function storedAnswer(incident: StoredNode): Answer {
  let answer = emptyAnswer();
  for (const r of storedRevisions(incident)) answer = applyDiff(answer, r.diff);
  return answer;
}

/** The incident's seeds, as saved. */
export function incidentSeeds(n: StoredNode): SeedInput[] {
  const seeds = n.props.seeds;
  if (!Array.isArray(seeds)) return [];
  return seeds.flatMap((s) => (isObject(s) && typeof s.id === 'string' ? [typeof s.at === 'string' ? { id: s.id, at: s.at } : { id: s.id }] : []));
}

/** The incident's blast-radius options, as saved. */
export function incidentOptions(n: StoredNode): BlastOptions {
  return isObject(n.props.options) ? (n.props.options as BlastOptions) : {};
}

export function isOpen(n: StoredNode): boolean {
  return (n.props.status ?? 'open') === 'open';
}

/**
 * Re-evaluates one incident on the graph as it is, and stores a revision when its answer changed
 * (always for its first one). Returns the stored revision, or null when nothing changed.
 */
export async function evaluateIncident(store: GraphStore, incident: StoredNode, now: string): Promise<IncidentRevision | null> {
  const radius = await computeBlastRadius(store, incidentSeeds(incident), incidentOptions(incident));
  const previous = storedRevisions(incident);
  const after = answerOf(radius);
  const diff = diffAnswers(storedAnswer(incident), after);
  if (previous.length > 0 && isEmptyDiff(diff)) return null;
  const revision: IncidentRevision = { revision: previous.length + 1, snapshotId: radius.snapshotId, at: now, diff };
  const props: Props = { revisions: [...previous, revision] as unknown as Json };
  const sha256 = createHash('sha256').update(canonicalJson({ id: incident.id, revision: revision.revision, snapshotId: revision.snapshotId })).digest('hex');
  await store.write({
    input: REVISION_SOURCE,
    nodes: [{ id: incident.id, kind: 'Incident', props, sources: [{ source: REVISION_SOURCE, sha256, ingestedAt: now }] }],
    edges: [],
  });
  return revision;
}

/** Every open incident, by id. */
export async function openIncidents(store: GraphStore): Promise<StoredNode[]> {
  const open: StoredNode[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.listNodes({ kind: 'Incident', first: 500, ...(after !== undefined && { after }) });
    open.push(...page.filter(isOpen));
    if (page.length < 500) return open;
    after = page.at(-1)!.id;
  }
}

/** What changed after revision `since` (0: from nothing) up to the latest: the revisions and their net diff. */
export function diffSince(incident: StoredNode, since: number): { since: number; latest: number; revisions: IncidentRevision[]; diff: RevisionDiff } {
  const all = storedRevisions(incident);
  if (!Number.isSafeInteger(since) || since < 0 || since > all.length) {
    throw new BlastError('BAD_INPUT', `no revision ${since}: ${incident.id} has revisions 1 to ${all.length}`, { input: '--since' });
  }
  let at = emptyAnswer();
  for (const r of all.slice(0, since)) at = applyDiff(at, r.diff);
  let latest = at;
  for (const r of all.slice(since)) latest = applyDiff(latest, r.diff);
  return { since, latest: all.length, revisions: all.slice(since), diff: diffAnswers(at, latest) };
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
