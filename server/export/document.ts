/**
 * A tiny document model shared by the Markdown and PDF renderers, so that report.md and report.pdf
 * say exactly the same thing. Every string is plain text (untrusted values included); each renderer
 * escapes for its own format.
 */
import type { PathHop } from '../engine/blast-radius.js';

export interface TableColumn {
  title: string;
  /** Relative width in the PDF. @default 1 */
  weight?: number;
  /** Holds SHA-256 hex digests: set in Courier in the PDF, wide enough that one never wraps. */
  hash?: boolean;
  /** Holds ISO-8601 times: the PDF gives it the width of one, so a time never wraps. */
  time?: boolean;
}

/** One hop of an evidence chain with the names of its ends, for people. */
export interface EvidenceHop extends PathHop {
  fromName: string;
  toName: string;
}

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; items: string[] }
  /** Label/value pairs (labels are ours, values may be untrusted). */
  | { type: 'fields'; rows: Array<[string, string]> }
  | { type: 'table'; columns: TableColumn[]; rows: string[][] }
  /** An evidence chain, hop by hop: time, edge, the source documents with their SHA-256. */
  | { type: 'evidence'; hops: EvidenceHop[] };

export interface Doc {
  title: string;
  blocks: Block[];
}

/** How an absent time reads: null means "unknown, as early as possible" (ARCHITECTURE.md). */
export function timeText(t: string | null | undefined): string {
  return t === null || t === undefined ? 'unknown (as early as possible)' : t;
}

/** `source#pointer` as cited in evidence. */
export function citeSource(s: { source: string; pointer?: string }): string {
  return s.pointer ? `${s.source} #${s.pointer}` : s.source;
}
