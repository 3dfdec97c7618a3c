/**
 * What only the embedded store promises: it persists in its folder across reopen, it refuses a folder
 * it cannot use with STORE_UNAVAILABLE, several connections to one folder see each other's writes, a
 * failure inside the write transaction leaves nothing behind, the maintained snapshot totals always
 * equal a recount, and search treats any text as plain words. The shared behaviour is in
 * graph-store.int.test.ts; the crash test is embedded-crash.int.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BlastError } from '../../server/model/errors.js';
import { contentHash, hashParts, mergeEdge, mergeNode, snapshotIdFrom, type StoredEdge, type StoredNode } from '../../server/model/record.js';
import { EmbeddedStore } from '../../server/store/embedded/embedded-store.js';
import { ftsQuery } from '../../server/store/embedded/fts-query.js';
import { DB_FILE } from '../../server/store/embedded/schema.js';
import { batch, edge, node, source } from '../support/batches.js';

const dirs: string[] = [];
const stores: EmbeddedStore[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'blast-embedded-test-'));
  dirs.push(dir);
  return dir;
}

async function openAt(dir: string): Promise<EmbeddedStore> {
  const store = EmbeddedStore.open(dir);
  await store.init();
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function scenario() {
  return batch(
    [
      node('pkg:pypi/litellm@1.82.8', { publishedAt: '2026-03-24T10:52:00Z' }, 'litellm 1.82.8'),
      node('svc:acme/labeling-api', { serviceKind: 'app', owner: 'ml-platform' }, 'Labeling API'),
      node('cred:acme/aws-prod-s3-reader', { type: 'aws-access-key', createdAt: '2025-11-02T00:00:00Z' }),
      node('ds:acme/rlhf-transcripts', { classification: 'training-data', sizeBytes: 4e12 }, 'RLHF transcripts'),
      node('org:meta', { notifyWithinHours: 72, '10': 'integer-like key', nested: { b: [1, 2, { z: null }], a: true } }, 'Meta'),
    ],
    [
      edge('svc:acme/labeling-api', 'DEPENDS_ON', 'pkg:pypi/litellm@1.82.8', { since: '2026-03-24T10:58:00Z', until: '2026-03-24T16:20:00Z', confidence: 'likely' }),
      edge('svc:acme/labeling-api', 'HOLDS', 'cred:acme/aws-prod-s3-reader'),
      edge('cred:acme/aws-prod-s3-reader', 'GRANTS', 'ds:acme/rlhf-transcripts', { access: 'read' }),
      edge('cred:acme/aws-prod-s3-reader', 'GRANTS', 'ds:acme/rlhf-transcripts', { access: 'write', until: '2026-03-25T09:00:00Z' }),
      edge('ds:acme/rlhf-transcripts', 'BELONGS_TO', 'org:meta'),
      edge('org:meta', 'USES', 'svc:acme/labeling-api', { confidence: 'possible' }),
    ],
    'scenario.yaml',
  );
}

/** Everything a store holds, read through the contract. */
async function dump(store: EmbeddedStore) {
  const nodes = await store.listNodes({ first: 1_000_000 });
  const edges = await store.edgesOf(nodes.map((n) => n.id), { direction: 'out' });
  return { nodes, edges, stats: await store.stats() };
}

/** The snapshotId computed in plain TypeScript from the records, independently of SQL. */
function snapshotOf(nodes: StoredNode[], edges: StoredEdge[]): string {
  const sum = (records: Array<{ hash: string }>) => {
    const sums = [0n, 0n, 0n, 0n];
    for (const r of records) hashParts(r.hash).forEach((p, i) => (sums[i]! += BigInt(p)));
    return { count: records.length, sums };
  };
  return snapshotIdFrom(sum(nodes), sum(edges));
}

describe('EmbeddedStore', () => {
  it('persists across close and reopen: same records, bytes, search and snapshotId', async () => {
    const dir = tempDir();
    const first = await openAt(dir);
    const summary = await first.write(scenario());
    const before = await dump(first);
    await first.close();

    const again = await openAt(dir);
    const after = await dump(again);
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    expect(after.stats.snapshotId).toBe(summary.snapshotId);
    expect((await again.search({ text: 'labeling', first: 5 }))[0]?.id).toBe('svc:acme/labeling-api');
    // init() on an existing store is idempotent and keeps the data.
    await again.init();
    expect(await again.snapshotId()).toBe(summary.snapshotId);
  });

  it('reads records back exactly as record.ts merged them, key order included', async () => {
    const store = await openAt(tempDir());
    const b = scenario();
    await store.write(b);
    const [meta] = await store.getNodes(['org:meta']);
    const expected = mergeNode(undefined, b.nodes.find((n) => n.id === 'org:meta')!);
    expect(JSON.stringify(meta)).toBe(JSON.stringify(expected));
    expect(meta!.hash).toBe(contentHash({ id: meta!.id, kind: meta!.kind, name: meta!.name, props: meta!.props, sources: meta!.sources }));

    const edges = await store.edgesOf(['cred:acme/aws-prod-s3-reader', 'svc:acme/labeling-api'], { direction: 'out' });
    for (const input of b.edges.filter((e) => e.from !== 'ds:acme/rlhf-transcripts' && e.from !== 'org:meta')) {
      const want = mergeEdge(undefined, input);
      const got = edges.find((e) => e.key === want.key);
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
    }
    const holds = edges.find((e) => e.kind === 'HOLDS')!;
    expect(Object.keys(holds)).toEqual(['from', 'kind', 'to', 'sources', 'key', 'firstIngestedAt', 'hash']);
  });

  it('keeps the maintained snapshot totals equal to a recount from the records', async () => {
    const store = await openAt(tempDir());
    let rnd = 12345;
    const next = (n: number) => (rnd = (rnd * 48271) % 2147483647) % n;
    for (let round = 0; round < 12; round++) {
      const src = source(`file-${next(4)}`, `2026-03-0${1 + next(9)}T00:00:00Z`, `/r/${next(3)}`);
      const nodes = Array.from({ length: 40 }, () => node(`svc:acme/s${next(60)}`, { tier: next(3), owner: `team-${next(2)}` }, undefined, src));
      const edges = Array.from({ length: 60 }, () =>
        edge(`svc:acme/s${next(60)}`, 'HOLDS', `cred:acme/c${next(30)}`, next(2) ? { confidence: 'likely' } : {}, src),
      );
      const summary = await store.write(batch(nodes, edges));
      const { nodes: all, edges: allEdges } = await dump(store);
      expect(summary.snapshotId).toBe(snapshotOf(all, allEdges));
    }
    const maintained = await store.snapshotId();
    expect(await store.rebuildTotals()).toBe(maintained);
  });

  it('dry-run returns the would-be summary and snapshotId and leaves the store as it was', async () => {
    const store = await openAt(tempDir());
    await store.write(batch([node('org:meta')]));
    const before = await dump(store);
    const dry = await store.write(scenario(), { dryRun: true });
    expect(dry.nodes.updated).toBe(1);
    expect(JSON.stringify(await dump(store))).toBe(JSON.stringify(before));
    expect(await store.search({ text: 'labeling', first: 5 })).toEqual([]);
    const real = await store.write(scenario());
    expect(real).toEqual(dry);
  });

  it('rolls back everything when the database fails in the middle of a write', async () => {
    const dir = tempDir();
    const store = await openAt(dir);
    await store.write(scenario());
    const before = await dump(store);
    // Another connection plants a trigger that fails on one edge of the next batch, after its nodes
    // (and some edges) were already written inside the transaction.
    const other = new Database(join(dir, DB_FILE));
    other.exec(`CREATE TRIGGER boom BEFORE INSERT ON edges WHEN NEW.src = 'svc:acme/zz-last'
                BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    const failing = batch(
      [node('svc:acme/new-one', {}, 'Brand new'), node('org:meta', { contact: 'sec@example.com' })],
      [edge('svc:acme/new-one', 'HOLDS', 'cred:acme/aws-prod-s3-reader'), edge('svc:acme/zz-last', 'HOLDS', 'cred:acme/aws-prod-s3-reader')],
    );
    await expect(store.write(failing)).rejects.toThrow(/boom/);
    other.exec('DROP TRIGGER boom');
    other.close();
    expect(JSON.stringify(await dump(store))).toBe(JSON.stringify(before));
    expect(await store.search({ text: 'brand', first: 5 })).toEqual([]);
    expect(await store.rebuildTotals()).toBe(before.stats.snapshotId);
    // And the store still takes writes.
    await store.write(failing);
    expect((await store.getNodes(['svc:acme/zz-last']))[0]?.id).toBe('svc:acme/zz-last');
  });

  it('lets two connections to one folder see each other\'s writes (no stale cache)', async () => {
    const dir = tempDir();
    const a = await openAt(dir);
    const b = await openAt(dir);
    const empty = await b.snapshotId();
    const written = await a.write(scenario());
    expect(await b.snapshotId()).toBe(written.snapshotId);
    expect(await b.countNodes('Customer')).toBe(1);
    await b.write(batch([node('org:acme-partner', {}, 'Partner')]));
    expect((await a.stats()).nodes.Customer).toBe(2);
    await a.clear();
    expect(await b.snapshotId()).toBe(empty);
    expect(await b.search({ text: 'partner', first: 5 })).toEqual([]);
  });

  it('updates the search index when a name changes, and only then', async () => {
    const store = await openAt(tempDir());
    await store.write(batch([node('svc:acme/x1', {}, 'Old Name')]));
    await store.write(batch([node('svc:acme/x1', { owner: 'a' })]));
    expect((await store.search({ text: 'old', first: 5 })).map((n) => n.id)).toEqual(['svc:acme/x1']);
    await store.write(batch([node('svc:acme/x1', {}, 'Fresh Label')]));
    expect(await store.search({ text: 'old', first: 5 })).toEqual([]);
    expect((await store.search({ text: 'fresh lab', first: 5 })).map((n) => n.id)).toEqual(['svc:acme/x1']);
  });

  describe('search', () => {
    it('finds words, versions, prefixes and phrases of ids and names', async () => {
      const store = await openAt(tempDir());
      await store.write(scenario());
      const ids = async (text: string, kinds?: Parameters<EmbeddedStore['search']>[0]['kinds']) =>
        (await store.search({ text, first: 10, ...(kinds && { kinds }) })).map((n) => n.id);
      expect(await ids('litellm')).toEqual(['pkg:pypi/litellm', 'pkg:pypi/litellm@1.82.8']);
      expect(await ids('1.82.8')).toEqual(['pkg:pypi/litellm@1.82.8']);
      expect(await ids('lite')).toContain('pkg:pypi/litellm@1.82.8');
      expect(await ids('LABELING')).toEqual(['svc:acme/labeling-api']);
      expect(await ids('labeling-api')).toEqual(['svc:acme/labeling-api']);
      expect(await ids('svc:acme/labeling-api')).toEqual(['svc:acme/labeling-api']);
      expect(await ids('rlhf transcripts')).toEqual(['ds:acme/rlhf-transcripts']);
      expect(await ids('meta labeling')).toEqual([]);
      expect((await ids('acme', ['Credential', 'Dataset'])).sort()).toEqual(['cred:acme/aws-prod-s3-reader', 'ds:acme/rlhf-transcripts']);
      expect(await ids('acme', [])).toEqual([]);
      expect(await store.search({ text: 'acme', first: 2 })).toHaveLength(2);
      expect(await store.search({ text: 'acme', first: 0 })).toEqual([]);
    });

    it('treats hostile input as plain words and never errors', async () => {
      const store = await openAt(tempDir());
      await store.write(scenario());
      const hostile = [
        '"', '""', '"litellm', '*', 'lite*', '^lite', 'NEAR(', 'NEAR(litellm meta, 2)', "'; DROP TABLE nodes; --",
        'id:litellm', 'name : meta', '{id name}: meta', 'a AND', 'OR', 'NOT meta', '(', ')', '+-', '\\', '\u0000',
        '%', '_', '-meta', 'meta -', 'x'.repeat(100_000), 'a '.repeat(5000), '🔥', 'ñ', '\u200b',
      ];
      for (const text of hostile) {
        await expect(store.search({ text, first: 5 }), text.slice(0, 30)).resolves.toBeInstanceOf(Array);
      }
      expect((await store.search({ text: '"litellm', first: 5 })).map((n) => n.id)).toContain('pkg:pypi/litellm');
      expect((await store.search({ text: 'NEAR(litellm', first: 5 })).map((n) => n.id)).toEqual([]);
      expect((await store.search({ text: 'id:litellm', first: 5 })).map((n) => n.id)).toEqual([]);
      expect(await store.countNodes()).toBe(6);
    });

    it('builds one quoted prefix phrase per word', () => {
      expect(ftsQuery('litellm 1.82.8')).toBe('"litellm"* "1.82.8"*');
      expect(ftsQuery('a"b NEAR(')).toBe('"a""b"* "NEAR("*');
      expect(ftsQuery(' " * ( ')).toBeNull();
      expect(ftsQuery('')).toBeNull();
    });
  });

  describe('refuses what it cannot open, naming the folder', () => {
    it('a file where the folder should be', () => {
      const dir = tempDir();
      const file = join(dir, 'not-a-folder');
      writeFileSync(file, 'hello');
      expect(() => EmbeddedStore.open(file)).toThrow(BlastError);
      expect(() => EmbeddedStore.open(file)).toThrow(expect.objectContaining({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining(file) }));
    });

    it('a database file that is not a database', () => {
      const dir = tempDir();
      writeFileSync(join(dir, DB_FILE), Buffer.from('this is not sqlite at all, just some bytes '.repeat(200)));
      expect(() => EmbeddedStore.open(dir)).toThrow(expect.objectContaining({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining(dir) }));
    });

    it('a database written by a newer schema version', async () => {
      const dir = tempDir();
      const store = await openAt(dir);
      await store.close();
      const db = new Database(join(dir, DB_FILE));
      db.prepare("UPDATE meta SET value = '999' WHERE key = 'schema_version'").run();
      db.close();
      const newer = EmbeddedStore.open(dir);
      stores.push(newer);
      await expect(newer.init()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('999') });
    });

    it('a closed store', async () => {
      const store = await openAt(tempDir());
      await store.close();
      await store.close();
      await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(store.countNodes()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    });

    it('creates a missing folder, nested', async () => {
      const dir = join(tempDir(), 'a', 'b', '.blast');
      const store = await openAt(dir);
      await store.ping();
      expect(await store.countNodes()).toBe(0);
      expect(store.dir).toBe(dir);
    });
  });
});
