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
 *   answerDigest  { revision, snapshotId, at, sha256 }: the digest of the answer at that revision
 *              (answerDigestOf), written with each revision so that an unchanged answer is recognised
 *              without replaying the diffs; ignored unless it names the latest revision (one stored
 *              by an older version leaves it behind)
 *
 * A diff names, for nodes (every reached node but the seeds, customers included) and for customers,
 * what is newly affected, what is no longer affected, and what is still affected but with another
 * firstExposedAt. Revisions replay: applying every diff up to revision n to the empty answer gives the
 * answer at n, so the last answer is not stored apart.
 *
 * The answer is read off the search's compact form (BlastRun: ids and firstExposedAt), never from
 * the materialised contract object (paths and sources are not needed). The main-thread work on large
 * answers (building, hashing, replaying, diffing) gives the event loop back every TimeSlicer budget.
 */
import { createHash } from 'node:crypto';
import { BlastError } from '../model/errors.js';
import { canonicalJson, type StoredNode } from '../model/record.js';
import type { Json, Props } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';
import { compareText, type BlastOptions, type SeedInput } from './blast-options.js';
import { runBlastRadius, type BlastRadius, type BlastRun, type RunOptions } from './blast-radius.js';

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
  const next: Answer = { nodes: new Map(answer.nodes), customers: new Map(answer.customers) };
  applyInPlace(next, diff);
  return next;
}

function applyInPlace(answer: Answer, diff: RevisionDiff): void {
  for (const [map, part] of [[answer.nodes, diff.nodes], [answer.customers, diff.customers]] as const) {
    for (const r of part.removed) map.delete(r.id);
    for (const a of part.added) map.set(a.id, a.firstExposedAt);
    for (const m of part.moved) map.set(m.id, m.to);
  }
}

/** The incident's stored revisions, oldest first. */
export function storedRevisions(incident: StoredNode): IncidentRevision[] {
  const r = incident.props.revisions;
  return Array.isArray(r) ? (r as unknown as IncidentRevision[]) : [];
}

/** The stored digest of the answer at the latest revision, when it was stored with it. */
export function storedDigest(incident: StoredNode): string | null {
  const d = incident.props.answerDigest;
  if (!isObject(d) || typeof d.sha256 !== 'string') return null;
  // It must name the latest revision exactly: one stored since by an older version left it behind.
  const last = storedRevisions(incident).at(-1);
  return last !== undefined && d.revision === last.revision && d.snapshotId === last.snapshotId && d.at === last.at ? d.sha256 : null;
}

/**
 * Gives the event loop back once `budgetMs` of work has run since it last did: long loops call
 * `breathe()` every few hundred items, so a request arriving meanwhile waits at most about that long.
 */
export class TimeSlicer {
  private last = performance.now();

  constructor(private readonly budgetMs = 20) {}

  async breathe(): Promise<void> {
    if (performance.now() - this.last < this.budgetMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}

/** Items between two looks at the clock. */
const STRIDE = 512;

/**
 * The answer of a run, from its compact form (ids and firstExposedAt only). Entries are in id order
 * (the projection numbers nodes in id order), which answerDigestOf relies on and which makes the
 * diff's sorts cheap.
 */
export async function answerOfRun(run: BlastRun, slicer = new TimeSlicer()): Promise<Answer> {
  const order = run.affectedOrder;
  const byNumber = (list: Int32Array) => list.slice().sort((a, b) => order[a]! - order[b]!);
  const fill = async (positions: Int32Array) => {
    const map = new Map<string, string | null>();
    for (let k = 0; k < positions.length; k++) {
      if ((k & (STRIDE - 1)) === 0) await slicer.breathe();
      const s = run.summary(positions[k]!);
      map.set(s.id, s.firstExposedAt);
    }
    return map;
  };
  const nodes = await fill(byNumber(run.positions()));
  await slicer.breathe();
  // Every reached customer but a seed is affected and is a customer of the answer (customerRefs).
  return { nodes, customers: await fill(byNumber(run.positions('Customer'))) };
}

/**
 * A digest of an answer made by answerOfRun (entries in id order): equal answers, equal digests, in
 * any process.
 */
export async function answerDigestOf(answer: Answer, slicer = new TimeSlicer()): Promise<string> {
  const hash = createHash('sha256');
  for (const [label, map] of [['nodes', answer.nodes], ['customers', answer.customers]] as const) {
    hash.update(`${label}\u0000`);
    let text = '';
    let k = 0;
    for (const [id, t] of map) {
      text += `${id}\u0000${t ?? '-'}\u0001`;
      if ((++k & (STRIDE - 1)) === 0) {
        hash.update(text);
        text = '';
        await slicer.breathe();
      }
    }
    hash.update(text);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** The answer at the latest of `revisions`, replayed from their diffs into one map each. */
async function replayed(revisions: readonly IncidentRevision[], slicer: TimeSlicer): Promise<Answer> {
  const answer = emptyAnswer();
  const apply = async (map: Map<string, string | null>, part: DiffPart) => {
    for (let k = 0; k < part.removed.length; k++) {
      if ((k & (STRIDE - 1)) === 0) await slicer.breathe();
      map.delete(part.removed[k]!.id);
    }
    for (let k = 0; k < part.added.length; k++) {
      if ((k & (STRIDE - 1)) === 0) await slicer.breathe();
      map.set(part.added[k]!.id, part.added[k]!.firstExposedAt);
    }
    for (let k = 0; k < part.moved.length; k++) {
      if ((k & (STRIDE - 1)) === 0) await slicer.breathe();
      map.set(part.moved[k]!.id, part.moved[k]!.to);
    }
  };
  for (const r of revisions) {
    await apply(answer.nodes, r.diff.nodes);
    await apply(answer.customers, r.diff.customers);
  }
  return answer;
}

/** diffAnswers, giving the event loop back as it goes. */
async function diffAnswersSliced(before: Answer, after: Answer, slicer: TimeSlicer): Promise<RevisionDiff> {
  const part = async (b: ReadonlyMap<string, string | null>, a: ReadonlyMap<string, string | null>): Promise<DiffPart> => {
    const out: DiffPart = { added: [], removed: [], moved: [] };
    let k = 0;
    for (const [id, t] of a) {
      if ((++k & (STRIDE - 1)) === 0) await slicer.breathe();
      const was = b.get(id);
      if (was === undefined && !b.has(id)) out.added.push({ id, firstExposedAt: t });
      else if (was !== t) out.moved.push({ id, from: was!, to: t });
    }
    for (const [id, t] of b) {
      if ((++k & (STRIDE - 1)) === 0) await slicer.breathe();
      if (!a.has(id)) out.removed.push({ id, firstExposedAt: t });
    }
    // Entries come in id order (answerOfRun; a replay mostly): these sorts are about linear.
    for (const list of [out.added, out.removed, out.moved]) {
      list.sort((x, y) => compareText(x.id, y.id));
      await slicer.breathe();
    }
    return out;
  };
  return { nodes: await part(before.nodes, after.nodes), customers: await part(before.customers, after.customers) };
}

/** An incident's answer on the graph as it is, compared with its stored one. */
export interface Evaluation {
  incident: string;
  /** How many revisions the incident had when it was read: the diff is against the latest of them. */
  base: number;
  snapshotId: string;
  /** answerDigestOf the new answer. */
  digest: string;
  /** What changed; null when nothing did (a first answer always counts as a change). */
  diff: RevisionDiff | null;
}

export interface EvaluateOptions {
  /** How the search runs (the server: in its engine pool). */
  run?: RunOptions;
  slicer?: TimeSlicer;
  /**
   * Answers already found equal to the stored ones, by incident: `${revisions} ${digest}` (the
   * watcher's memory, for incidents stored without a digest); added to.
   */
  known?: Map<string, string>;
}

/**
 * Re-evaluates one incident (as read) on the graph as it is; stores nothing. The stored answer is
 * replayed only when the new answer's digest differs from the stored one.
 */
export async function evaluate(store: GraphStore, incident: StoredNode, options: EvaluateOptions = {}): Promise<Evaluation> {
  const slicer = options.slicer ?? new TimeSlicer();
  const run = await runBlastRadius(store, incidentSeeds(incident), incidentOptions(incident), options.run);
  const answer = await answerOfRun(run, slicer);
  const digest = await answerDigestOf(answer, slicer);
  const previous = storedRevisions(incident);
  const base = previous.length;
  const done = { incident: incident.id, base, snapshotId: run.snapshotId, digest };
  const known = `${base} ${digest}`;
  if (base > 0 && (storedDigest(incident) === digest || options.known?.get(incident.id) === known)) return { ...done, diff: null };
  const diff = await diffAnswersSliced(await replayed(previous, slicer), answer, slicer);
  if (base > 0 && isEmptyDiff(diff)) {
    options.known?.set(incident.id, known);
    return { ...done, diff: null };
  }
  return { ...done, diff };
}

/**
 * Stores an evaluation's revision (with the answer's digest), unless the incident's revisions moved
 * since it was read (another server or `blast incident diff` stored one meanwhile: that one stands,
 * and the next change re-evaluates against it). Returns the stored revision, or null.
 *
 * The incident is read again just before the write; a writer that stores its revision between that
 * read and this write is not noticed (the later write replaces the revisions prop, so the store keeps
 * one of the two, not both; closing that window needs a conditional write in the store).
 */
export async function storeRevision(store: GraphStore, evaluation: Evaluation, now: string): Promise<IncidentRevision | null> {
  if (evaluation.diff === null) return null;
  const [node] = await store.getNodes([evaluation.incident]);
  if (!node || node.kind !== 'Incident') return null;
  const previous = storedRevisions(node);
  if (previous.length !== evaluation.base) return null;
  const revision: IncidentRevision = { revision: previous.length + 1, snapshotId: evaluation.snapshotId, at: now, diff: evaluation.diff };
  const props: Props = {
    revisions: [...previous, revision] as unknown as Json,
    answerDigest: { revision: revision.revision, snapshotId: revision.snapshotId, at: revision.at, sha256: evaluation.digest },
  };
  const sha256 = createHash('sha256').update(canonicalJson({ id: node.id, revision: revision.revision, snapshotId: revision.snapshotId })).digest('hex');
  await store.write({
    input: REVISION_SOURCE,
    nodes: [{ id: node.id, kind: 'Incident', props, sources: [{ source: REVISION_SOURCE, sha256, ingestedAt: now }] }],
    edges: [],
  });
  return revision;
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
 * (always for its first one). Returns the stored revision, or null when nothing changed (or another
 * writer stored a revision meanwhile; see storeRevision).
 */
export async function evaluateIncident(store: GraphStore, incident: StoredNode, now: string, options: EvaluateOptions = {}): Promise<IncidentRevision | null> {
  return storeRevision(store, await evaluate(store, incident, options), now);
}

/**
 * Every open incident, by id, read a few at a time: an incident's props hold all its revisions (the
 * first names every node it reached), and a store that answers synchronously (embedded) parses a
 * whole page at once.
 */
export async function* eachOpenIncident(store: GraphStore, pageSize = 4): AsyncGenerator<StoredNode> {
  let after: string | undefined;
  for (;;) {
    const page = await store.listNodes({ kind: 'Incident', first: pageSize, ...(after !== undefined && { after }) });
    for (const n of page) if (isOpen(n)) yield n;
    if (page.length < pageSize) return;
    after = page.at(-1)!.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Every open incident, by id. */
export async function openIncidents(store: GraphStore): Promise<StoredNode[]> {
  const open: StoredNode[] = [];
  for await (const n of eachOpenIncident(store, 500)) open.push(n);
  return open;
}

/** What changed after revision `since` (0: from nothing) up to the latest: the revisions and their net diff. */
export function diffSince(incident: StoredNode, since: number): { since: number; latest: number; revisions: IncidentRevision[]; diff: RevisionDiff } {
  const all = storedRevisions(incident);
  if (!Number.isSafeInteger(since) || since < 0 || since > all.length) {
    throw new BlastError('BAD_INPUT', `no revision ${since}: ${incident.id} has revisions 1 to ${all.length}`, { input: '--since' });
  }
  // Replayed in place: one copy of the answer, not one per revision.
  const at = emptyAnswer();
  for (const r of all.slice(0, since)) applyInPlace(at, r.diff);
  const latest: Answer = { nodes: new Map(at.nodes), customers: new Map(at.customers) };
  for (const r of all.slice(since)) applyInPlace(latest, r.diff);
  return { since, latest: all.length, revisions: all.slice(since), diff: diffAnswers(at, latest) };
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
