/**
 * The embedded store's in-memory propagation index (server/store/embedded/propagation-index.ts) gives
 * exactly what the SQL path gives: the same steps in the same order, deep-equal records with the same
 * key order; and it is dropped when this store writes or another connection commits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import type { StoredNode } from '../../server/model/record.js';
import { EmbeddedStore } from '../../server/store/embedded/embedded-store.js';
import { planSynthetic } from '../../seed/synthetic/generate.js';
import { batch, edge, node, source } from '../support/batches.js';
import { rowsOfColumns, rowsOfSteps, type StepRow } from '../support/columns.js';

const ENV = 'BLAST_EMBEDDED_PROPAGATION_INDEX';
const dirs: string[] = [];
const stores: EmbeddedStore[] = [];
const envBefore = process.env[ENV];

async function openAt(dir: string): Promise<EmbeddedStore> {
  const store = EmbeddedStore.open(dir);
  await store.init();
  stores.push(store);
  return store;
}

async function fresh(): Promise<{ dir: string; store: EmbeddedStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'blast-propindex-test-'));
  dirs.push(dir);
  return { dir, store: await openAt(dir) };
}

/** A fresh store holding a 3,000-node synthetic graph; `all` is every node id written, in write order. */
async function freshSynthetic(): Promise<{ store: EmbeddedStore; plan: ReturnType<typeof planSynthetic>; all: string[] }> {
  const { store } = await fresh();
  const plan = planSynthetic({ nodes: 3000, batchSize: 5000 });
  const all: string[] = [];
  for (const b of plan.batches()) {
    await store.write(b);
    all.push(...b.nodes.map((n) => n.id));
  }
  return { store, plan, all };
}

afterEach(async () => {
  if (envBefore === undefined) delete process.env[ENV];
  else process.env[ENV] = envBefore;
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The record-level answer (always SQL), as rows. */
async function viaSql(store: EmbeddedStore, ids: string[]): Promise<StepRow[]> {
  return rowsOfSteps(await store.propagation(ids));
}

/** The columnar answer through the index, as rows. */
async function viaIndex(store: EmbeddedStore, ids: string[]): Promise<StepRow[]> {
  process.env[ENV] = 'always';
  return rowsOfColumns(ids, await store.propagationColumns(ids));
}

/** The columnar answer through SQL, as rows. */
async function viaSqlColumns(store: EmbeddedStore, ids: string[]): Promise<StepRow[]> {
  process.env[ENV] = 'off';
  return rowsOfColumns(ids, await store.propagationColumns(ids));
}

async function expectSame(store: EmbeddedStore, ids: string[]): Promise<number> {
  const sql = await viaSql(store, ids);
  const index = await viaIndex(store, ids);
  expect(index).toStrictEqual(sql);
  // Far node records byte-identical once serialised: same key order, absent optional fields absent.
  expect(JSON.stringify(index)).toBe(JSON.stringify(sql));
  expect(await viaSqlColumns(store, ids)).toStrictEqual(sql);
  return sql.length;
}

/** Ids whose UTF-8 (SQLite) order differs from their UTF-16 (JavaScript) order. */
const ODD = ['svc:x\u{1F600}', 'svc:x\uFF01', 'svc:x\u00E9', 'svc:xz'];

describe('embedded propagation index', () => {
  it('answers like the SQL path on a synthetic graph', async () => {
    const { store, plan, all } = await freshSynthetic();
    let r = 7;
    const rand = (n: number) => ((r = (r * 1103515245 + 12345) % 2147483648), r % n);
    let steps = 0;
    for (let round = 0; round < 20; round++) {
      const size = 1 + rand(round < 10 ? 20 : 2000);
      const ids = Array.from({ length: size }, () => all[rand(all.length)]!);
      ids.push(ids[0]!, 'svc:not-there', 'pkg:npm/not-there');
      steps += await expectSame(store, ids);
    }
    steps += await expectSame(store, all);
    steps += await expectSame(store, plan.popularVersions.slice(0, 5));
    expect(steps).toBeGreaterThan(1000);
    expect(await viaIndex(store, ['svc:not-there'])).toEqual([]);
  });

  it('orders ids and keys by their UTF-8 bytes, as SQLite does', async () => {
    const { store } = await fresh();
    const dep = 'pkg:npm/left-pad@1.0.0';
    await store.write(
      batch(
        [...ODD.map((id) => node(id, { containedAt: '2026-05-01T00:00:00Z' }, `name of ${id}`)), node(dep, { publishedAt: '2026-01-01T00:00:00Z' })],
        [
          ...ODD.map((id) => edge(id, 'DEPENDS_ON', dep, { since: '2026-02-01T00:00:00Z', confidence: 'likely' })),
          ...ODD.map((id) => edge(id, 'HOLDS', 'cred:k\u{1F511}')),
          edge('cred:k\u{1F511}', 'GRANTS', 'svc:x\uFF01', { access: 'deploy', until: '2026-06-01T00:00:00Z' }),
          edge('cred:k\u{1F511}', 'GRANTS', 'svc:x\uFF01', { access: 'admin' }),
          edge('cred:k\u{1F511}', 'GRANTS', 'pkg:npm/left-pad', { access: 'publish' }),
          edge('org:\u00FCber', 'USES', 'svc:x\u00E9', {}, source('other.yaml', '2026-03-02T00:00:00Z', '/customers/0')),
        ],
      ),
    );
    const ids = [...ODD, dep, 'cred:k\u{1F511}', 'pkg:npm/left-pad'];
    expect(await expectSame(store, ids)).toBeGreaterThan(10);
    const steps = await viaIndex(store, ids);
    const froms = [...new Set(steps.map((s) => s.from))];
    expect(froms).toEqual([...froms].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  });

  it('gives the engine the same blast radius as SQL, node numbers and all', async () => {
    const { store, plan } = await freshSynthetic();
    for (const seed of plan.popularVersions.slice(0, 3)) {
      process.env[ENV] = 'always';
      const viaIndex = await computeBlastRadius(store, [{ id: seed }]);
      process.env[ENV] = 'off';
      const viaSql = await computeBlastRadius(store, [{ id: seed }]);
      expect(viaIndex.affected.length).toBeGreaterThan(100);
      expect(JSON.stringify(viaIndex)).toBe(JSON.stringify(viaSql));
    }
  });

  it('lets the engine rank ids by node numbers only when they follow JavaScript order', async () => {
    const cases: Array<[readonly string[], boolean]> = [
      [['svc:b', 'svc:a', 'svc:c'], true],
      [ODD, false],
    ];
    for (const [services, idOrder] of cases) {
      const { store } = await fresh();
      const dep = 'pkg:npm/left-pad@1.0.0';
      await store.write(
        batch(
          [node(dep, { publishedAt: '2026-01-01T00:00:00Z' })],
          [...services.map((id) => edge(id, 'DEPENDS_ON', dep, { since: '2026-02-01T00:00:00Z' })), ...services.map((id) => edge(id, 'HOLDS', 'cred:k'))],
        ),
      );
      process.env[ENV] = 'always';
      const columns = await store.propagationColumns([dep, 'svc:not-there']);
      expect(columns.numbers?.idOrder).toBe(idOrder);
      expect(columns.numbers?.asked[1]).toBe(-1);
      const viaIndex = await computeBlastRadius(store, [{ id: dep }]);
      process.env[ENV] = 'off';
      const viaSql = await computeBlastRadius(store, [{ id: dep }]);
      expect(viaIndex).toStrictEqual(viaSql);
      // Every service reaches the credential at the same time in as many hops: the path comes from
      // the smallest id in JavaScript order (for ODD not the smallest in SQLite's).
      const credential = viaIndex.affected.find((a) => a.id === 'cred:k');
      expect(credential?.path.map((h) => h.from)).toEqual([dep, [...services].sort()[0]]);
    }
  });

  it('takes the numbers the engine already knows only when they name the ids asked', async () => {
    const { store, all } = await freshSynthetic();
    process.env[ENV] = 'always';
    const ids = [...all.slice(0, 60), 'svc:not-there'];
    const first = await store.propagationColumns(ids);
    const right = first.numbers!.asked;
    expect(right.at(-1)).toBe(-1);
    const wrong = Int32Array.from(right, (n, i) => [-1, n + 1, 1e9][i % 3]!);
    const expected = rowsOfColumns(ids, first);
    for (const known of [
      { numbering: first.numbers!.numbering, numbers: right },
      { numbering: first.numbers!.numbering, numbers: wrong },
      { numbering: {}, numbers: wrong },
    ]) {
      const again = await store.propagationColumns(ids, known);
      expect(rowsOfColumns(ids, again)).toStrictEqual(expected);
      expect(again.numbers!.asked).toStrictEqual(right);
    }
  });

  it('is dropped when this store writes and when another connection commits', async () => {
    const { dir, store } = await fresh();
    const v = 'pkg:npm/a@1.0.0';
    await store.write(batch([node(v, { publishedAt: '2026-01-01T00:00:00Z' })], [edge('svc:one', 'DEPENDS_ON', v)]));
    expect((await viaIndex(store, [v])).map((s) => s.to)).toEqual(['svc:one']);

    await store.write(batch([], [edge('svc:two', 'DEPENDS_ON', v)]));
    expect((await viaIndex(store, [v])).map((s) => s.to)).toEqual(['svc:one', 'svc:two']);

    const other = await openAt(dir);
    await other.write(batch([node('svc:one', { containedAt: '2026-02-01T00:00:00Z' })], [edge('svc:three', 'DEPENDS_ON', v)]));
    const steps = await viaIndex(store, [v]);
    expect(steps.map((s) => s.to)).toEqual(['svc:one', 'svc:three', 'svc:two']);
    expect((steps[0]!.toRecord as StoredNode).props).toEqual({ containedAt: '2026-02-01T00:00:00Z' });
    await expectSame(store, [v, 'svc:one']);

    await other.clear();
    expect(await viaIndex(store, [v])).toEqual([]);
  });

  it('switches from SQL to the index only for large asks by default', async () => {
    const { store, all } = await freshSynthetic();
    delete process.env[ENV];
    // Only the index's answers carry its node numbers.
    const small = await store.propagationColumns(all.slice(0, 10));
    expect(small.numbers).toBeUndefined();
    const large = await store.propagationColumns(all.slice(0, 2500));
    expect(large.numbers).toBeDefined();
    const again = await store.propagationColumns(all.slice(0, 10));
    expect(again.numbers?.numbering).toBe(large.numbers!.numbering);
    expect(rowsOfColumns(all, again)).toStrictEqual(rowsOfColumns(all, small));
    expect(rowsOfColumns(all, large)).toStrictEqual(await viaSql(store, all.slice(0, 2500)));
  });
});
