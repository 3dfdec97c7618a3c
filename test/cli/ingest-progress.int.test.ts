/**
 * Progress of `blast ingest` on large inputs, as a user sees it: records/s and an ETA on stderr while
 * a write runs, and a final line with the time and rate, for different formats.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSbom } from '../../scripts/bench/ingest-bench.js';

const BIN = fileURLToPath(new URL('../../bin/blast.js', import.meta.url));

/** An OSV advisory naming `n` versions of one package. */
function osvWithVersions(n: number): string {
  const versions = Array.from({ length: n }, (_, i) => `0.${Math.floor(i / 100)}.${i % 100}`);
  return JSON.stringify({
    id: 'GHSA-prog-ress-test',
    modified: '2026-03-24T12:00:00Z',
    published: '2026-03-24T12:00:00Z',
    summary: 'progress test',
    affected: [{ package: { ecosystem: 'npm', name: 'progress-victim' }, versions }],
  });
}

describe('blast ingest progress (embedded)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'blast-progress-'));
    writeFileSync(join(dir, 'big.cdx.json'), syntheticSbom(20_000));
    writeFileSync(join(dir, 'osv.json'), osvWithVersions(20_000));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (file: string) =>
    spawnSync('node', [BIN, 'ingest', join(dir, file)], {
      env: { ...process.env, BLAST_STORE: 'embedded', BLAST_DATA_DIR: join(dir, 'data'), BLAST_PROGRESS_DELAY_MS: '0' },
      encoding: 'utf8',
    });

  it.each(['big.cdx.json', 'osv.json'])('shows records/s and an ETA while writing %s, then the time and rate', (file) => {
    const r = run(file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`ingest .*${file.replace('.', '\\.')}: writing \\d+ nodes, \\d+ edges [\\d,]+/[\\d,]+ records, [\\d,]+ records/s, ETA [\\d.]+s`));
    // The last counted line of the write reaches the whole batch.
    const counted = [...r.stderr.matchAll(/([\d,]+)\/([\d,]+) records/g)].at(-1)!;
    expect(counted[1]).toBe(counted[2]);
    expect(r.stdout).toMatch(/^1 file: [\d,]+ records in [\d.]+s \([\d,]+ records\/s\)$/m);
    // The snapshot line stays last.
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^snapshot sha256:[0-9a-f]{64}$/);
  });
});
