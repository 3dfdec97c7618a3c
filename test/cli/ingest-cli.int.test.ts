/**
 * `blast ingest` and `blast stats` as a user runs them: summaries, --dry-run, progress on slow files,
 * and a refused file that leaves the store's snapshotId unchanged, on both stores.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { main } from '../../server/cli/main.js';
import { openStore } from '../../server/store/open-store.js';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/real/', import.meta.url));
const SCENARIO = fileURLToPath(new URL('../../seed/reference/scenario.yaml', import.meta.url));

async function blast(args: string[], interactive = false) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), interactive });
  return { code, out, err };
}

describe.each(['embedded', 'neo4j'] as const)('blast ingest: %s', (backend) => {
  let dir: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blast-cli-'));
    process.env.BLAST_DATA_DIR = join(dir, 'data');
    process.env.BLAST_STORE = backend;
    const neo = inject('neo4j');
    process.env.NEO4J_URI = neo.uri;
    process.env.NEO4J_USER = neo.user;
    process.env.NEO4J_PASSWORD = neo.password;
    if (backend === 'neo4j') {
      const store = await openStore({ backend, neo4j: neo });
      await store.clear();
      await store.close();
    }
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a summary per file, and nothing changes the second time', async () => {
    const first = await blast(['ingest', SCENARIO]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/scenario\.yaml \(inventory\): nodes 151 added, 0 updated, 0 unchanged; edges 269 added/);
    const again = await blast(['ingest', SCENARIO, '--format', 'json']);
    const summary = JSON.parse(again.out) as { files: Array<{ nodes: { added: number; updated: number }; edges: { added: number } }> };
    expect(summary.files[0]!.nodes).toMatchObject({ added: 0, updated: 0 });
    expect(summary.files[0]!.edges.added).toBe(0);
  });

  it('--dry-run validates and writes nothing', async () => {
    const before = JSON.parse((await blast(['stats', '--format', 'json'])).out) as { snapshotId: string; totalNodes: number };
    const dry = await blast(['ingest', '--dry-run', join(FIXTURES, 'lockfiles/Aider-AI-aider/requirements.txt')]);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^\[dry run\] .*requirements\.txt \(requirements\.txt\): nodes \d+ added/m);
    const after = JSON.parse((await blast(['stats', '--format', 'json'])).out) as { snapshotId: string; totalNodes: number };
    expect(after).toEqual(before);
  });

  it('refuses a bad file with one line naming it, and leaves the snapshotId unchanged', async () => {
    const before = (await blast(['stats', '--format', 'json'])).out;
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nservices:\n  - id: svc:acme/x\n    holds: [cred:acme/y]\n  - id: not-an-id\n');
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'version: 1\ncustomers:\n  - id: org:new-one\n');
    // A good file listed before a bad one is not written either: all files are validated first.
    const r = await blast(['ingest', good, bad]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/bad\.yaml at line 5: .*not a valid id.*\[BAD_INPUT\]/);
    expect((await blast(['stats', '--format', 'json'])).out).toBe(before);
    const secret = join(dir, 'secret.yaml');
    writeFileSync(secret, 'version: 1\ncredentials:\n  - id: cred:acme/k\n    password: hunter2hunter2\n');
    const s = await blast(['ingest', secret]);
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/secret\.yaml at line 4: refused: the field "password" would hold a secret value.*\[SECRET_REFUSED\]/);
    expect((await blast(['stats', '--format', 'json'])).out).toBe(before);
    const missing = await blast(['ingest', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nope\.json: cannot read: ENOENT \[NOT_FOUND\]/);
  });

  it('ingests an SBOM through the compiled CLI, and again changes nothing', async () => {
    const { execFileSync } = await import('node:child_process');
    const bin = fileURLToPath(new URL('../../bin/blast.js', import.meta.url));
    const sbom = join(FIXTURES, 'sbom/cyclonedx/bom-examples-juice-shop-via_npm-flat/bom.1.4.json');
    const out = execFileSync('node', [bin, 'ingest', sbom], { env: process.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/bom\.1\.4\.json \(cyclonedx\): nodes \d+ added/);
    const quiet = execFileSync('node', [bin, 'ingest', sbom, '--format', 'json'], { env: process.env, encoding: 'utf8' });
    expect(JSON.parse(quiet).files[0].nodes.added).toBe(0);
  });

  it('prints the progress phases on stderr once work passes the delay (a line per phase off a terminal)', async () => {
    // The delay is 1 s by default; BLAST_PROGRESS_DELAY_MS=0 shows every phase.
    const { spawnSync } = await import('node:child_process');
    const bin = fileURLToPath(new URL('../../bin/blast.js', import.meta.url));
    const r = spawnSync('node', [bin, 'ingest', '--dry-run', SCENARIO], { env: { ...process.env, BLAST_PROGRESS_DELAY_MS: '0' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/ingest .*scenario\.yaml: resolving/);
    expect(r.stderr).toMatch(/ingest .*scenario\.yaml: writing \d+ nodes, \d+ edges/);
  });
});
