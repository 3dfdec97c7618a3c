/** Shared by the ingest unit tests: the real fixtures, a fixed ingestion time, and error assertions. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { BlastError, type ErrorCode } from '../../server/model/errors.js';
import type { IngestOptions } from '../../server/ingest/format.js';
import { prepareInput, type PreparedInput } from '../../server/ingest/ingest-file.js';
import { completeBatch } from '../../server/model/record.js';
import type { GraphBatch } from '../../server/model/types.js';

export const INGESTED_AT = '2026-04-01T00:00:00Z';

/** Absolute path of a file under shared/fixtures/real. */
export function fixturePath(rel: string): string {
  return fileURLToPath(new URL(`../../../shared/fixtures/real/${rel}`, import.meta.url));
}

export function fixtureText(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

/** Parses a fixture as `blast ingest` would, and checks that every store would accept the batch. */
export function prepareFixture(rel: string, options: IngestOptions = {}): PreparedInput {
  const path = fixturePath(rel);
  const prepared = prepareInput(path, readFileSync(path), { ingestedAt: INGESTED_AT, options });
  completeBatch(prepared.batch);
  return prepared;
}

/** Parses in-memory content under a given input name. */
export function prepare(input: string, content: string, options: IngestOptions = {}): PreparedInput {
  const prepared = prepareInput(input, content, { ingestedAt: INGESTED_AT, options });
  completeBatch(prepared.batch);
  return prepared;
}

/** Asserts `fn` throws a BlastError with `code`, naming `input`, whose location matches. */
export function expectBlastError(fn: () => unknown, code: ErrorCode, opts: { input?: string; location?: RegExp | string; message?: RegExp } = {}): BlastError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a BlastError').toBeInstanceOf(BlastError);
  const err = caught as BlastError;
  expect(err.code, err.oneLine()).toBe(code);
  if (opts.input !== undefined) expect(err.input).toBe(opts.input);
  if (opts.location instanceof RegExp) expect(err.location ?? '').toMatch(opts.location);
  else if (opts.location !== undefined) expect(err.location).toBe(opts.location);
  if (opts.message) expect(err.message).toMatch(opts.message);
  return err;
}

export function ids(batch: GraphBatch, kind: string): string[] {
  return batch.nodes.filter((n) => n.kind === kind).map((n) => n.id);
}

export function edges(batch: GraphBatch, kind: string, fromPrefix = ''): GraphBatch['edges'] {
  return batch.edges.filter((e) => e.kind === kind && e.from.startsWith(fromPrefix));
}

export function edgePairs(batch: GraphBatch, kind: string, fromPrefix = 'pkg:'): Set<string> {
  return new Set(edges(batch, kind, fromPrefix).map((e) => `${e.from} -> ${e.to}`));
}

/** A JSON fixture with one change, for bad-input cases. */
export function jsonWith(rel: string, change: (doc: any) => void): string {
  const doc = JSON.parse(fixtureText(rel));
  change(doc);
  return JSON.stringify(doc, null, 2);
}
