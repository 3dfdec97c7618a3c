/**
 * Crash safety of the embedded store, with real processes and kill -9: a child process
 * (fixtures/crash-writer.mjs, running the compiled store) starts one large write and is killed while
 * it holds the write transaction open. Reopened, the store must hold exactly the graph from before
 * (same snapshotId, same counts, a clean SQLite and FTS integrity check), give a propagation projection
 * that says exactly what it holds (the file kept from before the crash, or a rebuild) and take new
 * writes. A write the child saw committed must survive the kill.
 *
 * The child needs JavaScript: the store's import closure is compiled with tsc into
 * test-artifacts/embedded-build (when its sources are newer than the build), independent of the rest
 * of the tree.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../server/store/embedded/embedded-store.js';
import { DB_FILE } from '../../server/store/embedded/schema.js';
import { batch, edge, node, source } from '../support/batches.js';
import { currentProjection, forgetProjection } from '../../server/projection/current-projection.js';
import { stepsOfProjection, stepsOfRecords } from '../support/projection-rows.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD = join(ROOT, 'test-artifacts', 'embedded-build');
const ENTRY = join(BUILD, 'server/store/embedded/embedded-store.js');
const CHILD = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url));
/** Versions in the child's one write when it is to be killed: its transaction lasts well over a second. */
const BIG_WRITE = 50_000;
/** Versions in the write that is to complete before the kill. */
const SMALL_WRITE = 20_000;

/** Counts after the child's write of `count` (>= 5000) versions: their 1000 packages, 2500 services and the edges. */
function whole(before: { totalNodes: number; totalEdges: number }, count: number) {
  return { nodes: before.totalNodes + count + 1000 + 2500, edges: before.totalEdges + count + count / 2 };
}

/** Compiles the store's import closure unless the build is newer than every source it comes from. */
function buildStore(): void {
  const sourceDirs = ['server/model', 'server/store/embedded', 'server/store'];
  const newest = Math.max(
    ...sourceDirs.flatMap((d) =>
      readdirSync(join(ROOT, d))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => statSync(join(ROOT, d, f)).mtimeMs),
    ),
  );
  if (existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= newest) return;
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const flags = ['--outDir', BUILD, '--rootDir', ROOT, '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext'];
  flags.push('--strict', '--skipLibCheck', '--esModuleInterop', '--types', 'node', '--sourceMap', 'false');
  try {
    execFileSync(process.execPath, [tsc, ...flags, join(ROOT, 'server/store/embedded/embedded-store.ts')], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    const out = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`compiling the embedded store for the child process failed:\n${out.stdout?.toString() ?? ''}${out.stderr?.toString() ?? ''}`);
  }
}

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A store holding a small consistent graph; returns its folder and what it holds. */
async function consistentStore() {
  const dir = mkdtempSync(join(tmpdir(), 'blast-crash-'));
  dirs.push(dir);
  const store = EmbeddedStore.open(dir);
  await store.init();
  const nodes = Array.from({ length: 2000 }, (_, i) => node(`svc:base/s${i}`, { i }, `Base service ${i}`));
  const edges = Array.from({ length: 2000 }, (_, i) => edge(`svc:base/s${i}`, 'HOLDS', `cred:base/c${i % 300}`));
  const summary = await store.write(batch(nodes, edges, 'base.yaml'));
  const stats = await store.stats();
  // A reader built (and kept on disk) the projection of this graph before the writer comes.
  expect((await currentProjection(store)).origin).toBe('built');
  await store.close();
  expect(stats.snapshotId).toBe(summary.snapshotId);
  return { dir, stats };
}

/** Starts the child writer; resolves its handle once it says "writing". */
async function startWriter(dir: string, count: number) {
  const child = spawn(process.execPath, [CHILD, BUILD, dir, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 60_000;
  while (!out.includes('writing')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the writer did not start: ${err || out}`);
    await sleep(5);
  }
  return { child, exited, output: () => out, errors: () => err };
}

/** True while another connection holds the database's write lock (the child's write transaction). */
function writeLockHeld(probe: Database.Database): boolean {
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return false;
  } catch (err) {
    if (String((err as { code?: string }).code).startsWith('SQLITE_BUSY')) return true;
    throw err;
  }
}

async function waitForWriteLock(dir: string, writer: Awaited<ReturnType<typeof startWriter>>): Promise<void> {
  const probe = new Database(join(dir, DB_FILE), { timeout: 0 });
  try {
    const deadline = Date.now() + 120_000;
    while (!writeLockHeld(probe)) {
      if (writer.child.exitCode !== null || writer.output().includes('committed') || Date.now() > deadline) {
        throw new Error(`never saw the writer inside its transaction: ${writer.output()} ${writer.errors()}`);
      }
      await sleep(2);
    }
  } finally {
    probe.close();
  }
}

/** Reopens the store after the crash and checks it is internally consistent and takes writes. */
async function reopenAndCheck(dir: string) {
  const store = EmbeddedStore.open(dir);
  await store.init();
  try {
    const stats = await store.stats();
    // The maintained totals equal a recount of the rows, so the snapshotId describes what is there.
    expect(await store.rebuildTotals()).toBe(stats.snapshotId);
    const db = new Database(join(dir, DB_FILE));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.prepare("INSERT INTO nodes_fts (nodes_fts, rank) VALUES ('integrity-check', 0)").run();
    } finally {
      db.close();
    }
    // The next reader's projection (loaded from the file written before the crash, or rebuilt) says
    // exactly what the store holds: a file of another version is never trusted.
    forgetProjection(store);
    const { projection } = await currentProjection(store);
    expect(projection.version).toBe(await store.graphVersion());
    expect(stepsOfProjection(projection)).toEqual(await stepsOfRecords(store));
    expect(projection.nodeCount).toBe(stats.totalNodes);
    const after = await store.write(batch([node('svc:after/crash', {}, 'After the crash')], [edge('svc:after/crash', 'HOLDS', 'cred:base/c1')]));
    expect(after.nodes.added).toBe(1);
    expect((await store.search({ text: 'after crash', first: 5 })).map((n) => n.id)).toEqual(['svc:after/crash']);
    expect(await store.snapshotId()).toBe(after.snapshotId);
    return stats;
  } finally {
    await store.close();
  }
}

describe('EmbeddedStore crash safety (kill -9)', () => {
  beforeAll(() => {
    buildStore();
    // These cover the transactional path: the child's write (~130,000 records into a 4,000-record
    // store) would otherwise take the bulk path, covered below.
    const saved = process.env.BLAST_BULK_MIN_RECORDS;
    process.env.BLAST_BULK_MIN_RECORDS = '1000000000';
    return () => {
      if (saved === undefined) delete process.env.BLAST_BULK_MIN_RECORDS;
      else process.env.BLAST_BULK_MIN_RECORDS = saved;
    };
  }, 180_000);

  it('a writer killed inside its write transaction leaves the previous graph', { timeout: 300_000 }, async () => {
    const { dir, stats: before } = await consistentStore();
    const writer = await startWriter(dir, BIG_WRITE);
    await waitForWriteLock(dir, writer);
    await sleep(50);
    writer.child.kill('SIGKILL');
    const exit = await writer.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(writer.output()).not.toContain('committed');

    const after = await reopenAndCheck(dir);
    expect(after).toEqual(before);
  });

  it('a writer killed late in its write, as the WAL grows, leaves all or nothing', { timeout: 300_000 }, async () => {
    const { dir, stats: before } = await consistentStore();
    const writer = await startWriter(dir, BIG_WRITE);
    await waitForWriteLock(dir, writer);
    // Kill once the WAL has grown by 1 MiB: pages of the transaction reaching the file, spilled from
    // the cache or being committed.
    const wal = join(dir, `${DB_FILE}-wal`);
    const size = () => (existsSync(wal) ? statSync(wal).size : 0);
    const start = size();
    const deadline = Date.now() + 120_000;
    while (size() < start + 1024 * 1024 && Date.now() < deadline && writer.child.exitCode === null) await sleep(1);
    writer.child.kill('SIGKILL');
    await writer.exited;

    const after = await reopenAndCheck(dir);
    // Killed before its commit record reached the WAL: the graph from before. Killed between that and
    // the "committed" line: all of the write. Never anything in between.
    const full = whole(before, BIG_WRITE);
    const state = after.snapshotId === before.snapshotId ? 'before' : after.totalNodes === full.nodes && after.totalEdges === full.edges ? 'whole' : 'partial';
    expect(['before', 'whole']).toContain(state);
    if (writer.output().includes('committed')) expect(state).toBe('whole');
    if (state === 'before') expect(after).toEqual(before);
  });

  it('a write that returned survives an immediate kill -9', { timeout: 300_000 }, async () => {
    const { dir, stats: before } = await consistentStore();
    const writer = await startWriter(dir, SMALL_WRITE);
    const deadline = Date.now() + 240_000;
    while (!writer.output().includes('committed')) {
      if (writer.child.exitCode !== null || Date.now() > deadline) throw new Error(`the writer failed: ${writer.errors()}`);
      await sleep(1);
    }
    writer.child.kill('SIGKILL');
    await writer.exited;
    const committed = /committed (\S+)/.exec(writer.output())![1];

    const store = EmbeddedStore.open(dir);
    await store.init();
    try {
      expect(await store.snapshotId()).toBe(committed);
      expect(await store.countNodes('PackageVersion')).toBe(SMALL_WRITE);
      expect(await store.countNodes()).toBe(whole(before, SMALL_WRITE).nodes);
      expect((await store.stats()).totalEdges).toBe(whole(before, SMALL_WRITE).edges);
    } finally {
      await store.close();
    }
  });
});

/**
 * The bulk path (store/embedded/bulk-file.ts): a write much larger than the store builds a new file
 * and copies it into graph.db in one transaction. Killed while it builds or while it copies, the
 * store holds the previous graph (or, past the commit, the whole write); the same input gives the
 * same snapshotId as the transactional path, and the graph version moves to a new epoch.
 */
describe('EmbeddedStore bulk path crash safety (kill -9)', () => {
  const bulkFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith(`${DB_FILE}.bulk-`));
  let savedMin: string | undefined;
  beforeAll(() => {
    buildStore();
    savedMin = process.env.BLAST_BULK_MIN_RECORDS;
    // The child inherits this: its 50,000-version write (~130,000 records) takes the bulk path.
    process.env.BLAST_BULK_MIN_RECORDS = '10000';
    return () => {
      if (savedMin === undefined) delete process.env.BLAST_BULK_MIN_RECORDS;
      else process.env.BLAST_BULK_MIN_RECORDS = savedMin;
    };
  }, 180_000);

  it('a bulk writer killed while it builds its new file leaves the previous graph, and the next open removes the file', { timeout: 300_000 }, async () => {
    const { dir, stats: before } = await consistentStore();
    const writer = await startWriter(dir, BIG_WRITE);
    const deadline = Date.now() + 120_000;
    // Into the build: the new file exists and has grown past its first rows.
    // A journal can vanish between the listing and its stat (the builder commits): count it as empty.
    const sizeOf = (f: string) => {
      try {
        return statSync(join(dir, f)).size;
      } catch {
        return 0;
      }
    };
    const size = () => bulkFiles(dir).reduce((n, f) => n + sizeOf(f), 0);
    while (size() < 1024 * 1024) {
      if (writer.child.exitCode !== null || writer.output().includes('committed') || Date.now() > deadline) {
        throw new Error(`never saw the bulk file grow: ${writer.output()} ${writer.errors()}`);
      }
      await sleep(2);
    }
    writer.child.kill('SIGKILL');
    await writer.exited;
    expect(writer.output()).not.toContain('committed');
    expect(bulkFiles(dir).length).toBe(1);

    const after = await reopenAndCheck(dir);
    expect(after).toEqual(before);
    expect(bulkFiles(dir)).toEqual([]);
  });

  it('a bulk writer killed while it copies into graph.db leaves all or nothing', { timeout: 300_000 }, async () => {
    const { dir, stats: before } = await consistentStore();
    const writer = await startWriter(dir, BIG_WRITE);
    const wal = join(dir, `${DB_FILE}-wal`);
    const walSize = () => (existsSync(wal) ? statSync(wal).size : 0);
    const start = walSize();
    const deadline = Date.now() + 180_000;
    // The copy writes the new pages into graph.db's WAL: kill once 1 MiB of them is there.
    while (walSize() < start + 1024 * 1024 && Date.now() < deadline && writer.child.exitCode === null) await sleep(1);
    expect(walSize()).toBeGreaterThanOrEqual(start + 1024 * 1024);
    writer.child.kill('SIGKILL');
    await writer.exited;

    const after = await reopenAndCheck(dir);
    const full = whole(before, BIG_WRITE);
    const state = after.snapshotId === before.snapshotId ? 'before' : after.totalNodes === full.nodes && after.totalEdges === full.edges ? 'whole' : 'partial';
    expect(['before', 'whole']).toContain(state);
    if (writer.output().includes('committed')) expect(state).toBe('whole');
    if (state === 'before') expect(after).toEqual(before);
  });

  it('gives the snapshotId of the transactional path for the same input, with a new epoch and a working search', { timeout: 300_000 }, async () => {
    // With the 4,000 records of consistentStore: 9,000 versions make ~22,000 records, over 4 times as many.
    const versions = 9000;
    const src = source('bulk.json');
    const nodes = Array.from({ length: versions }, (_, i) => ({
      ...node(`pkg:npm/bulk-${i % 300}@2.0.${Math.floor(i / 300)}`, { publishedAt: '2026-03-27T00:00:00Z', i }, `bulk thing ${i}`),
      sources: src,
    }));
    const edges = nodes.filter((_, i) => i % 3 === 0).map((n, i) => ({ ...edge(`svc:bulk/s${i % 500}`, 'DEPENDS_ON', n.id), sources: src }));
    const results = [];
    for (const min of ['100000000', '1000']) {
      process.env.BLAST_BULK_MIN_RECORDS = min;
      const { dir } = await consistentStore();
      const store = EmbeddedStore.open(dir);
      await store.init();
      try {
        const version = await store.graphVersion();
        const summary = await store.write(batch(nodes, edges, 'bulk.json'));
        const after = await store.graphVersion();
        expect(after).not.toBe(version);
        results.push({
          summary,
          epochChanged: after.split(':')[0] !== version.split(':')[0],
          stats: await store.stats(),
          found: (await store.search({ text: 'bulk thing 4321', first: 1 })).map((n) => n.id),
          edges: (await store.edgesOf(['svc:bulk/s7'])).map((e) => e.key),
          rebuilt: await store.rebuildTotals(),
        });
      } finally {
        await store.close();
      }
    }
    process.env.BLAST_BULK_MIN_RECORDS = '10000';
    const [tx, bulk] = results;
    expect(tx!.epochChanged).toBe(false);
    expect(bulk!.epochChanged).toBe(true);
    expect(bulk!.summary).toEqual(tx!.summary);
    expect(bulk!.stats).toEqual(tx!.stats);
    expect(bulk!.rebuilt).toBe(bulk!.summary.snapshotId);
    expect(bulk!.found).toEqual(['pkg:npm/bulk-121@2.0.14']);
    expect(bulk!.found).toEqual(tx!.found);
    expect(bulk!.edges.length).toBeGreaterThan(0);
    expect(bulk!.edges).toEqual(tx!.edges);
  });
});
