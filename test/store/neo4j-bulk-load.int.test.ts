/**
 * `blast load --bulk` as a user runs it: files to neo4j-admin import files, and with --local the
 * import into the local Neo4j of scripts/neo4j, started afterwards with constraints and indexes.
 * The import needs its database offline and new, so this test uses an instance of its own (port
 * NEO4J_BOLT_PORT + 10000, its own folder under .neo4j/), never the shared one other tests use, and
 * stops it at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSbom } from '../../scripts/bench/ingest-bench.js';
import { EmbeddedStore } from '../../server/store/embedded/embedded-store.js';
import { Neo4jStore } from '../../server/store/neo4j/neo4j-store.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/blast.js');
const SCRIPT = join(ROOT, 'scripts/neo4j');
const SCENARIO = join(ROOT, 'seed/reference/scenario.yaml');
const PORT = String(Number(process.env.NEO4J_BOLT_PORT || '7687') + 10_000);
const NOW = '2026-04-01T00:00:00Z';

describe('blast load --bulk (Neo4j bulk import)', () => {
  let dir: string;
  let files: string[];
  const env = (extra: Record<string, string> = {}) => ({
    ...process.env,
    BLAST_NOW: NOW,
    NEO4J_BOLT_PORT: PORT,
    NEO4J_HEAP: '512m',
    NEO4J_PAGECACHE: '64m',
    ...extra,
  });
  const stopOwn = () => execFileSync(SCRIPT, ['stop'], { env: env(), stdio: 'pipe' });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'blast-load-'));
    // Two files with records in common (the SBOM's versions are merged as ingest would).
    writeFileSync(join(dir, 'sbom.cdx.json'), syntheticSbom(3000));
    files = [SCENARIO, join(dir, 'sbom.cdx.json')];
    stopOwn();
  });
  afterAll(() => {
    stopOwn();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the import files and prints the command for another server', () => {
    const r = spawnSync('node', [BIN, 'load', '--bulk', '--out', join(dir, 'remote'), ...files], { env: env(), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['nodes.csv', 'edges.csv', 'meta.csv']) expect(existsSync(join(dir, 'remote/import', f))).toBe(true);
    expect(r.stdout).toContain(`neo4j-admin database import full neo4j --nodes=${join(dir, 'remote/import/nodes.csv')}`);
    expect(r.stdout).toMatch(/--relationships=\S+edges\.csv/);
    expect(r.stdout).toMatch(/^[\d,]+ records in [\d.]+s \([\d,]+ records\/s\)$/m);
    expect(existsSync(join(dir, 'remote/staging'))).toBe(false);
  });

  it('imports into the local Neo4j: the same graph and snapshotId as blast ingest, searchable, and writes continue', { timeout: 600_000 }, async () => {
    const r = spawnSync('node', [BIN, 'load', '--bulk', '--local', '--out', join(dir, 'local'), ...files], { env: env(), encoding: 'utf8' });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`loaded into the local Neo4j on bolt://127\\.0\\.0\\.1:${PORT}`));

    // The same files through blast ingest into an embedded store.
    const data = join(dir, 'embedded');
    const ingested = spawnSync('node', [BIN, 'ingest', ...files], { env: env({ BLAST_STORE: 'embedded', BLAST_DATA_DIR: data }), encoding: 'utf8' });
    expect(ingested.status, ingested.stderr).toBe(0);
    const embedded = EmbeddedStore.open(data);
    await embedded.init();
    const neo = new Neo4jStore({ uri: `bolt://127.0.0.1:${PORT}`, user: 'neo4j', password: 'neo4j' });
    try {
      const snapshotId = await embedded.snapshotId();
      expect(r.stdout).toContain(`snapshot ${snapshotId}`);
      expect(await neo.snapshotId()).toBe(snapshotId);
      expect(await neo.stats()).toEqual(await embedded.stats());
      const ids = ['pkg:pypi/litellm@1.82.8', 'svc:acme/labeling-api', 'pkg:npm/bench-7@1.7.0', 'pkg:npm/bench-7'];
      expect(await neo.getNodes(ids)).toEqual(await embedded.getNodes(ids));
      expect(await neo.edgesOf(ids)).toEqual(await embedded.edgesOf(ids));
      expect((await neo.search({ text: 'litellm', first: 10 })).map((n) => n.id)).toEqual((await embedded.search({ text: 'litellm', first: 10 })).map((n) => n.id));
      // A graph version with a fresh epoch, moved by the next write that changes something.
      const version = await neo.graphVersion();
      expect(version).toMatch(/^[0-9a-f-]{36}:1$/);
      const again = spawnSync('node', [BIN, 'ingest', '--format', 'json', SCENARIO], {
        env: env({ BLAST_STORE: 'neo4j', NEO4J_URI: `bolt://127.0.0.1:${PORT}`, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: 'neo4j' }),
        encoding: 'utf8',
      });
      expect(again.status, again.stderr).toBe(0);
      const summary = JSON.parse(again.stdout) as { files: Array<{ nodes: { added: number; updated: number }; edges: { added: number; updated: number } }> };
      expect(summary.files[0]).toMatchObject({ nodes: { added: 0, updated: 0 }, edges: { added: 0, updated: 0 } });
      expect(await neo.graphVersion()).toBe(version);
      const mark = await neo.write({ input: 'after-load', nodes: [{ id: 'svc:after/load', kind: 'Service', props: {}, sources: [{ source: 'after', sha256: 'a'.repeat(64), ingestedAt: NOW }] }], edges: [] });
      expect(mark.nodes.added).toBe(1);
      expect(await neo.graphVersion()).toBe(version.replace(/:1$/, ':2'));
    } finally {
      await embedded.close();
      await neo.close();
    }
  });

  it('refuses to import into a local Neo4j that is running, with one line saying how to stop it', () => {
    // The previous test left it running.
    const r = spawnSync('node', [BIN, 'load', '--bulk', '--local', '--out', join(dir, 'again'), SCENARIO], { env: env(), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^blast: --local: the local Neo4j on port ${PORT} is running; .*scripts/neo4j stop\\) \\[CONFLICT\\]$`));
  });
});
