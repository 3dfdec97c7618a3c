/** What every input format provides to `blast ingest` (detection from content, then parsing). */
import type { GraphBatch } from '../model/types.js';
import type { ParsedInput } from './parsed-input.js';

export interface IngestOptions {
  /** Attach what the file describes (an SBOM, a lockfile) to this Service as what it runs. */
  service?: { id: string; since?: string; until?: string };
  /** `owner/repo` a GitHub Actions workflow belongs to (its Service and secrets are named after it). */
  repo?: string;
}

export interface IngestContext {
  /** The input's name as the user gave it: file path or `graphql:ingest`. */
  input: string;
  /** SHA-256 (hex) of the input's bytes. */
  sha256: string;
  /** When this ingestion happens (canonical ISO-8601 UTC). */
  ingestedAt: string;
  options: IngestOptions;
}

export interface InputFormat {
  /** Stable name, shown in summaries: `inventory`, `cyclonedx`, `spdx`, `osv`, `uv.lock`, … */
  name: string;
  /** True when the content is this format. Called in registry order; the first match wins. */
  detect(input: ParsedInput): boolean;
  /** Turns the content into one batch; throws BlastError naming ctx.input and a line or pointer. */
  parse(input: ParsedInput, ctx: IngestContext): GraphBatch;
}
