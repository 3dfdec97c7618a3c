/**
 * `blast export` and `blast verify` through the compiled CLI (node bin/blast.js; `npm test` builds
 * it first), on the embedded store in a temporary BLAST_DATA_DIR.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'blast.js');
const GENERATED_AT = '2026-03-26T09:00:00Z';

describe('blast export / blast verify (compiled CLI)', () => {
  let tmp: string;
  const blast = (...args: string[]) => {
    const run = spawnSync(process.execPath, [BIN, ...args], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, BLAST_STORE: 'embedded', BLAST_DATA_DIR: join(tmp, 'data'), BLAST_NOW: '2026-03-25T00:00:00Z' },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'server', 'cli', 'main.js'))) {
      throw new Error('dist/ is missing: build first with `npx tsc -p tsconfig.build.json` (npm test does)');
    }
    tmp = mkdtempSync(join(tmpdir(), 'blast-cli-export-'));
    const ingest = blast('ingest', join(ROOT, 'seed', 'reference', 'scenario.yaml'));
    expect(ingest.status, ingest.stderr).toBe(0);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('exports every compromised node when no id is given, byte-identically when repeated', () => {
    const a = blast('export', '--out', 'a', '--generated-at', GENERATED_AT);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^wrote \d+ files to a: \d+ affected, \d+ customers\n/);
    const b = blast('export', '--out', 'b', '--generated-at', GENERATED_AT, '--format', 'json');
    expect(b.status, b.stderr).toBe(0);
    const summary = JSON.parse(b.stdout);
    expect(summary.customers).toBeGreaterThan(0);
    for (const f of summary.files as Array<{ path: string }>) {
      expect(readFileSync(join(tmp, 'b', f.path)).equals(readFileSync(join(tmp, 'a', f.path))), f.path).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(tmp, 'a', 'manifest.json'), 'utf8'));
    // Both compromised Trivy tags of the scenario are the seeds.
    expect(manifest.parameters.seeds.map((s: { id: string }) => s.id)).toEqual([
      'pkg:githubactions/aquasecurity/trivy-action@0.33.1',
      'pkg:githubactions/aquasecurity/trivy-action@0.34.0',
    ]);
  });

  it('verify passes on an untouched export and exits non-zero listing each mismatch', () => {
    const ok = blast('verify', 'a');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: \d+ files match/);

    const file = join(tmp, 'a', 'report.md');
    const bytes = readFileSync(file);
    bytes[10] = bytes[10]! ^ 0x20;
    writeFileSync(file, bytes);
    const changed = blast('verify', 'a');
    expect(changed.status).not.toBe(0);
    expect(changed.stdout).toMatch(/^changed: report\.md \(manifest [0-9a-f]{64}, file [0-9a-f]{64}\)$/m);
    expect(changed.stderr.trim().split('\n')).toHaveLength(1);
    expect(changed.stderr).toMatch(/^blast: a: 1 file\(s\) do not match manifest\.json \[CONFLICT\]/);

    unlinkSync(join(tmp, 'a', 'customers.csv'));
    writeFileSync(join(tmp, 'a', 'extra.txt'), 'x');
    const more = blast('verify', 'a');
    expect(more.status).not.toBe(0);
    expect(more.stdout.trim().split('\n')).toEqual([
      'missing: customers.csv',
      'extra: extra.txt',
      expect.stringMatching(/^changed: report\.md /),
    ]);
  });

  it('verify and export fail with one line on bad input', () => {
    const none = blast('verify', 'nowhere');
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^blast: nowhere: cannot read manifest\.json: ENOENT \[NOT_FOUND\]\n$/);
    const badTime = blast('export', '--out', 'c', '--generated-at', 'yesterday');
    expect(badTime.status).toBe(1);
    expect(badTime.stderr).toMatch(/^blast: --generated-at: "yesterday" is not an ISO-8601 time/);
  });
});
