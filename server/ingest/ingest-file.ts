/**
 * From bytes to one validated batch: size limit, digest, format detection from content, parsing.
 * Writing is the store's job (one atomic write per file).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { BlastError } from '../model/errors.js';
import { formatTime } from '../model/time.js';
import type { GraphBatch } from '../model/types.js';
import type { IngestOptions } from './format.js';
import { FORMATS } from './formats.js';
import { parseKubernetesDocuments } from './kubernetes.js';
import { parseInput } from './parsed-input.js';

/** Largest input accepted. @default 256 MiB (BLAST_MAX_INPUT_BYTES) */
export const MAX_INPUT_BYTES = Number(process.env.BLAST_MAX_INPUT_BYTES) || 256 * 1024 * 1024;

export interface PreparedInput {
  format: string;
  batch: GraphBatch;
  sha256: string;
}

/** Parses content already in memory (the GraphQL `ingest` mutation, tests). */
export function prepareInput(
  input: string,
  bytes: Buffer | string,
  opts: { options?: IngestOptions; ingestedAt?: string; maxBytes?: number } = {},
): PreparedInput {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const max = opts.maxBytes ?? MAX_INPUT_BYTES;
  if (buffer.length > max) throw new BlastError('TOO_LARGE', `input is ${buffer.length} bytes; the limit is ${max}`, { input });
  if (buffer.includes(0)) throw new BlastError('UNKNOWN_FORMAT', 'binary content (NUL bytes) is not a supported format', { input });
  const text = buffer.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(buffer)) {
    throw new BlastError('BAD_INPUT', 'input is not valid UTF-8', { input });
  }
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  // Multi-document YAML is read only as Kubernetes manifests; everything else is one document.
  const parsed = parseKubernetesDocuments(input, text) ?? parseInput(input, text);
  const format = FORMATS.find((f) => f.detect(parsed));
  if (!format) {
    throw new BlastError(
      'UNKNOWN_FORMAT',
      `not a supported format (inventory v1, CycloneDX JSON, SPDX JSON, OSV, uv.lock, poetry.lock, requirements.txt, package-lock.json, GitHub Actions workflow, Kubernetes manifests)`,
      { input },
    );
  }
  const ctx = { input, sha256, ingestedAt: opts.ingestedAt ?? nowIso(), options: opts.options ?? {} };
  return { format: format.name, batch: format.parse(parsed, ctx), sha256 };
}

export async function prepareFile(path: string, opts: { options?: IngestOptions; ingestedAt?: string } = {}): Promise<PreparedInput> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new BlastError('BAD_INPUT', 'not a regular file', { input: path });
    size = s.size;
  } catch (err) {
    if (err instanceof BlastError) throw err;
    throw new BlastError('NOT_FOUND', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { input: path });
  }
  if (size > MAX_INPUT_BYTES) throw new BlastError('TOO_LARGE', `file is ${size} bytes; the limit is ${MAX_INPUT_BYTES} (BLAST_MAX_INPUT_BYTES)`, { input: path });
  return prepareInput(path, await readFile(path), opts);
}

/** The ingestion time: now, or BLAST_NOW when set (reproducible runs and tests). */
export function nowIso(): string {
  return formatTime(process.env.BLAST_NOW ? Date.parse(process.env.BLAST_NOW) : Date.now());
}
