/**
 * Marking a node compromised (`blast compromise`, the GraphQL mutation): one atomic store write that
 * sets `compromised`, `compromisedAt` when a time is given, and adds an advisory id, with a source
 * naming the mark. The node must exist: a mark never creates one (a typo would otherwise seed a
 * phantom node that reaches nothing and hides the mistake).
 */
import { createHash } from 'node:crypto';
import { BlastError, badInput } from '../model/errors.js';
import { parseId, parseIdOfKind } from '../model/ids.js';
import { canonicalJson } from '../model/record.js';
import { formatTime, normalizeTime } from '../model/time.js';
import type { GraphBatch, Props, WriteSummary } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';

export interface MarkInput {
  id: string;
  /**
   * When the compromise started. Absent: a stored `compromisedAt` is kept, and none is invented
   * (the seed then starts at publishedAt, else "unknown, as early as possible").
   * @example '2026-03-24T10:52:00Z'
   */
  at?: string | null;
  /** An advisory id to record in props.advisories; `osv:` is added when missing. @example 'osv:MAL-2026-2144' */
  advisory?: string | null;
}

export interface MarkOptions {
  /** The source name recorded on the node. @default 'mark:cli' */
  source?: string;
  /** The ingestion time recorded for a new mark. @default now ($BLAST_NOW when set) */
  ingestedAt?: string;
  dryRun?: boolean;
}

export interface MarkResult {
  id: string;
  compromisedAt: string | null;
  advisories: string[];
  summary: WriteSummary;
}

export async function markCompromised(store: GraphStore, input: MarkInput, opts: MarkOptions = {}): Promise<MarkResult> {
  const { id, kind } = parseId(input.id, 'id');
  if (kind === 'Advisory' || kind === 'Incident') throw badInput(`a ${kind} cannot be compromised`, id);
  let at: string | null = null;
  if (input.at !== undefined && input.at !== null) {
    at = normalizeTime(input.at);
    if (at === null) throw badInput(`"${input.at}" is not an ISO-8601 time with a zone (e.g. 2026-03-24T10:52:00Z)`, '--at');
  }
  const advisory = input.advisory ? parseIdOfKind(input.advisory.startsWith('osv:') ? input.advisory : `osv:${input.advisory}`, 'Advisory', '--advisory') : null;

  const [existing] = await store.getNodes([id]);
  if (!existing) throw new BlastError('NOT_FOUND', 'no such node; ingest it first (a mark never creates nodes)', { input: id });

  const stored = existing.props.advisories;
  const advisories = new Set(Array.isArray(stored) ? stored.filter((a): a is string => typeof a === 'string') : []);
  if (advisory) advisories.add(advisory);
  const props: Props = { compromised: true };
  if (at !== null) props.compromisedAt = at;
  if (advisory) props.advisories = [...advisories].sort();

  const text = canonicalJson({ mark: 'compromised', id, at, advisory });
  const sha256 = createHash('sha256').update(text).digest('hex');
  const batch: GraphBatch = {
    input: opts.source ?? 'mark:cli',
    nodes: [{ id, kind: existing.kind, props, sources: [{ source: opts.source ?? 'mark:cli', sha256, ingestedAt: opts.ingestedAt ?? now() }] }],
    edges: [],
  };
  const summary = await store.write(batch, { dryRun: opts.dryRun });
  const compromisedAt = at ?? normalizeTime(existing.props.compromisedAt);
  return { id, compromisedAt, advisories: [...advisories].sort(), summary };
}

function now(): string {
  return formatTime(process.env.BLAST_NOW ? Date.parse(process.env.BLAST_NOW) : Date.now());
}
