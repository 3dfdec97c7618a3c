/**
 * manifest.json: which tool made the export, when, from which graph (snapshotId), with which
 * parameters, and the SHA-256 of every other file (sorted by path). `verifyExport` recomputes the
 * digests and reports every changed, missing or extra file.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compareText } from '../engine/blast-options.js';
import { BlastError } from '../model/errors.js';

export const MANIFEST = 'manifest.json';
export const MANIFEST_FORMAT = 'blast-radius-export/1';

/** A relative, `/`-separated path without empty segments (checked before reading what a manifest lists). */
const SAFE_PATH = /^[^/\\\u0000]+(\/[^/\\\u0000]+)*$/;

export interface ManifestFile {
  /** Relative to the export folder, `/`-separated. */
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  tool: { name: string; version: string };
  title: string;
  generatedAt: string;
  snapshotId: string;
  parameters: Record<string, unknown>;
  files: ManifestFile[];
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function buildManifest(base: Omit<Manifest, 'format' | 'files'>, files: ReadonlyMap<string, Buffer>): string {
  const list = [...files]
    .filter(([path]) => path !== MANIFEST)
    .map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), bytes: bytes.length }))
    .sort((a, b) => compareText(a.path, b.path));
  const manifest: Manifest = { format: MANIFEST_FORMAT, ...base, files: list };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export interface Mismatch {
  path: string;
  problem: 'changed' | 'missing' | 'extra';
  /** For `changed`: the digests listed and found. */
  expected?: string;
  actual?: string;
}

export interface VerifyResult {
  ok: boolean;
  manifest: Manifest;
  /** Files checked and matching. */
  matched: number;
  mismatches: Mismatch[];
}

/** Every regular file under `dir`, as sorted `/`-separated relative paths. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort(compareText);
}

/** Reads `dir/manifest.json` and compares every file with it. Throws when there is no usable manifest. */
export async function verifyExport(dir: string): Promise<VerifyResult> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BlastError(code === 'ENOENT' || code === 'ENOTDIR' ? 'NOT_FOUND' : 'BAD_INPUT', code ? `cannot read ${MANIFEST}: ${code}` : `${MANIFEST} is not JSON`, { input: dir });
  }
  if (!manifest || manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files)) {
    throw new BlastError('BAD_INPUT', `${MANIFEST} is not a Blast Radius export manifest (format ${MANIFEST_FORMAT})`, { input: dir });
  }
  for (const f of manifest.files) {
    if (typeof f?.path !== 'string' || !SAFE_PATH.test(f.path) || f.path.split('/').some((p) => p === '.' || p === '..')) {
      throw new BlastError('BAD_INPUT', `${MANIFEST} lists an unsafe path ${JSON.stringify(f?.path)}`, { input: dir });
    }
  }
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const present = new Set(await listFiles(dir));
  const mismatches: Mismatch[] = [];
  let matched = 0;
  for (const f of [...listed.values()].sort((a, b) => compareText(a.path, b.path))) {
    if (!present.has(f.path)) {
      mismatches.push({ path: f.path, problem: 'missing' });
      continue;
    }
    const actual = sha256Hex(await readFile(join(dir, ...f.path.split('/'))));
    if (actual === f.sha256) matched++;
    else mismatches.push({ path: f.path, problem: 'changed', expected: f.sha256, actual });
  }
  for (const path of present) {
    if (path !== MANIFEST && !listed.has(path)) mismatches.push({ path, problem: 'extra' });
  }
  mismatches.sort((a, b) => compareText(a.path, b.path) || compareText(a.problem, b.problem));
  return { ok: mismatches.length === 0, manifest, matched, mismatches };
}
