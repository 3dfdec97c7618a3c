/**
 * Reads ZIP archives in tests with the system's Info-ZIP `unzip`: an independent implementation, so
 * a test passes only if a real extractor accepts what the server wrote. Missing `unzip` fails loudly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

function run(args: string[]): string {
  const r = spawnSync('unzip', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run unzip (apt-get install -y unzip): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`unzip ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Extracts `archive` into a new temporary folder (after `unzip -t` checked every CRC); returns it. */
export function unzipToDir(archive: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'blast-unzip-'));
  const file = join(dir, 'archive.zip');
  writeFileSync(file, archive);
  run(['-tqq', file]);
  const out = join(dir, 'out');
  run(['-qq', file, '-d', out]);
  return out;
}

/** `zipinfo`-style listing lines of an archive: permissions, sizes, method, time, name. */
export function zipListing(archive: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'blast-zipinfo-'));
  const file = join(dir, 'archive.zip');
  writeFileSync(file, archive);
  try {
    return run(['-Z', '-l', '-T', file]).trimEnd().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every file under `dir` as `/`-separated relative path -> bytes, sorted by path. */
export function readTree(dir: string): Map<string, Buffer> {
  const paths = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
  return new Map(paths.map((p) => [p, readFileSync(join(dir, ...p.split('/')))]));
}
