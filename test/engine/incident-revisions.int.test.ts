/**
 * Incident re-evaluation, below the API, on every store: the answer read off the search's compact
 * form equals the one the whole contract object gives (random temporal graphs); an unchanged answer
 * stores nothing, with or without a stored digest; a second server on the same store does not store
 * a revision the first already stored; and the watcher gives the same revisions whether its searches
 * run in the engine pool's workers or in this thread.
 */
import { describe, expect, it } from 'vitest';
import { deferredStore } from '../../server/api/deferred-store.js';
import { EngineRuns } from '../../server/api/engine-runs.js';
import { IncidentWatcher, type RevisionEvent } from '../../server/api/incident-watcher.js';
import { compareText } from '../../server/engine/blast-options.js';
import { computeBlastRadius, runBlastRadius, type SeedInput } from '../../server/engine/blast-radius.js';
import {
  answerDigestOf,
  answerOf,
  answerOfRun,
  diffSince,
  evaluate,
  evaluateIncident,
  storedDigest,
  storedRevisions,
  storeRevision,
  type Answer,
} from '../../server/engine/incident-revisions.js';
import type { StoredNode } from '../../server/model/record.js';
import type { EdgeInput, GraphBatch, Json, NodeInput } from '../../server/model/types.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { openStore } from '../../server/store/open-store.js';
import { batch, edge, node, source } from '../support/batches.js';
import { prng } from '../support/prng.js';
import { STORES, useStore } from '../support/stores.js';

const DAY = Date.parse('2026-03-24T00:00:00Z');
const NOW = '2026-03-25T00:00:00Z';

/** Hour slots on one day, so arrivals often tie. */
const prngOf = (seed: number) => prng(seed, { day: DAY, slots: 24, slotMs: 3_600_000 });

/**
 * A random temporal graph: versions (some compromised), services running them since some hour,
 * holding credentials that grant datasets, which belong to customers; customers use services.
 */
function randomGraph(seed: number, size = 30): { graph: GraphBatch; seeds: SeedInput[]; more: () => EdgeInput[] } {
  const r = prngOf(seed);
  const versions = Array.from({ length: 6 }, (_, i) => `pkg:npm/p${i}@1.0.0`);
  const svcs = Array.from({ length: size }, (_, i) => `svc:s${i}`);
  const creds = Array.from({ length: size }, (_, i) => `cred:c${i}`);
  const dss = Array.from({ length: size }, (_, i) => `ds:d${i}`);
  const orgs = Array.from({ length: Math.ceil(size / 3) }, (_, i) => `org:o${i}`);
  const nodes: NodeInput[] = versions.map((id) => node(id, r.chance(0.5) ? { compromisedAt: r.time() } : {}));
  for (const id of [...svcs, ...creds, ...dss, ...orgs]) nodes.push(node(id));
  const edges: EdgeInput[] = [];
  const some = (): EdgeInput[] => {
    const out: EdgeInput[] = [];
    for (const s of svcs) if (r.chance(0.3)) out.push(edge(s, 'DEPENDS_ON', r.pick(versions), { since: r.time() }));
    for (const s of svcs) if (r.chance(0.4)) out.push(edge(s, 'HOLDS', r.pick(creds), r.chance(0.5) ? { since: r.time() } : {}));
    for (const c of creds) if (r.chance(0.4)) out.push(edge(c, 'GRANTS', r.pick(dss), { access: r.pick(['read', 'write'] as const) }));
    for (const d of dss) if (r.chance(0.5)) out.push(edge(d, 'BELONGS_TO', r.pick(orgs)));
    for (const o of orgs) if (r.chance(0.3)) out.push(edge(o, 'USES', r.pick(svcs), r.chance(0.5) ? { since: r.time() } : {}));
    return out;
  };
  edges.push(...some());
  return { graph: batch(nodes, edges), seeds: versions.slice(0, 1 + r.int(3)).map((id) => ({ id })), more: () => some().slice(0, 6) };
}

const entries = (m: ReadonlyMap<string, string | null>) => [...m].sort((a, b) => compareText(a[0], b[0]));
const same = (a: Answer, b: Answer) => {
  expect(entries(a.nodes)).toEqual(entries(b.nodes));
  expect(entries(a.customers)).toEqual(entries(b.customers));
};

function incident(id: string, seeds: SeedInput[], props: Record<string, Json> = {}): GraphBatch {
  return batch([node(id, { status: 'open', seeds: seeds as unknown as Json, ...props }, id, source('incident-test'))]);
}

async function read(store: GraphStore, id: string): Promise<StoredNode> {
  const [n] = await store.getNodes([id]);
  return n!;
}

/** The latest stored answer, replayed from every revision. */
function latestAnswer(n: StoredNode): Answer {
  const d = diffSince(n, 0).diff;
  return {
    nodes: new Map(d.nodes.added.map((e) => [e.id, e.firstExposedAt])),
    customers: new Map(d.customers.added.map((e) => [e.id, e.firstExposedAt])),
  };
}

describe.each(STORES)('incident re-evaluation: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: (s) => s.clear() });

  it('reads the same answer off the compact run as off the whole radius, in id order, on random graphs', async () => {
    let reachedSome = 0;
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      await store.clear();
      const g = randomGraph(seed);
      await store.write(g.graph);
      const compact = await answerOfRun(await runBlastRadius(store, g.seeds));
      same(compact, answerOf(await computeBlastRadius(store, g.seeds)));
      const ids = [...compact.nodes.keys()];
      expect(ids).toEqual([...ids].sort(compareText));
      // The digest follows the answer: equal for a second run, different once the graph grew.
      const digest = await answerDigestOf(compact);
      expect(await answerDigestOf(await answerOfRun(await runBlastRadius(store, g.seeds)))).toBe(digest);
      if (compact.customers.size > 0) reachedSome++;
    }
    expect(reachedSome).toBeGreaterThan(2);
  });

  it('stores a revision only when the answer changed, with the digest of the answer it leads to', async () => {
    const g = randomGraph(21);
    await store.write(g.graph);
    await store.write(incident('inc:r', g.seeds));
    const first = await evaluateIncident(store, await read(store, 'inc:r'), NOW);
    expect(first?.revision).toBe(1);
    const digest1 = storedDigest(await read(store, 'inc:r'));
    expect(digest1).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Nothing changed, then a change elsewhere: no revision, no write (the graph version holds).
    expect(await evaluateIncident(store, await read(store, 'inc:r'), NOW)).toBeNull();
    await store.write(batch([node('org:elsewhere')]));
    const version = await store.graphVersion();
    expect(await evaluateIncident(store, await read(store, 'inc:r'), NOW)).toBeNull();
    expect(await store.graphVersion()).toBe(version);
    // Recognised by its digest, which a new node elsewhere (every node numbered anew) leaves alone.
    expect((await evaluate(store, await read(store, 'inc:r'))).digest).toBe(digest1);

    // A change that reaches further: a revision whose replay gives the new answer.
    for (let i = 0; i < 5; i++) {
      await store.write(batch([], g.more()));
      const before = storedRevisions(await read(store, 'inc:r')).length;
      const stored = await evaluateIncident(store, await read(store, 'inc:r'), NOW);
      const after = await read(store, 'inc:r');
      const expected = answerOf(await computeBlastRadius(store, g.seeds));
      same(latestAnswer(after), expected);
      expect(storedRevisions(after).length).toBe(stored ? before + 1 : before);
      expect(storedDigest(after)).toBe(await answerDigestOf(await answerOfRun(await runBlastRadius(store, g.seeds))));
    }
    expect(storedRevisions(await read(store, 'inc:r')).length).toBeGreaterThan(1);
  });

  it('recognises an unchanged answer of an incident stored without a digest (by replaying its revisions)', async () => {
    const g = randomGraph(31);
    await store.write(g.graph);
    const answer = answerOf(await computeBlastRadius(store, g.seeds));
    expect(answer.nodes.size).toBeGreaterThan(0);
    // As an older version stored it: revision 1 adds everything reached, and no answerDigest.
    const added = (m: Map<string, string | null>) => entries(m).map(([id, firstExposedAt]) => ({ id, firstExposedAt }));
    const r1 = { revision: 1, snapshotId: await store.snapshotId(), at: NOW, diff: { nodes: { added: added(answer.nodes), removed: [], moved: [] }, customers: { added: added(answer.customers), removed: [], moved: [] } } };
    await store.write(incident('inc:old', g.seeds, { revisions: [r1] as unknown as Json }));
    const n = await read(store, 'inc:old');
    expect(storedDigest(n)).toBeNull();
    const known = new Map<string, string>();
    const evaluation = await evaluate(store, n, { known });
    expect(evaluation.diff).toBeNull();
    expect(evaluation.base).toBe(1);
    // Remembered, so that the next pass of the same process skips the replay.
    expect(known.get('inc:old')).toBe(`1 ${evaluation.digest}`);
    expect(await evaluateIncident(store, n, NOW)).toBeNull();

    // A digest left behind (it names revision 1 of another snapshot) is not trusted, even when it
    // equals the digest of the answer now: the graph grew, and that is a revision.
    let now = answer;
    for (let i = 0; i < 10 && entries(now.nodes).join() === entries(answer.nodes).join(); i++) {
      await store.write(batch([], g.more()));
      now = answerOf(await computeBlastRadius(store, g.seeds));
    }
    expect(entries(now.nodes)).not.toEqual(entries(answer.nodes));
    const digestNow = await answerDigestOf(await answerOfRun(await runBlastRadius(store, g.seeds)));
    await store.write(incident('inc:old', g.seeds, { answerDigest: { revision: 1, snapshotId: `sha256:${'0'.repeat(64)}`, at: NOW, sha256: digestNow } }));
    const left = await read(store, 'inc:old');
    expect(storedDigest(left)).toBeNull();
    const stored = await evaluateIncident(store, left, NOW);
    expect(stored?.revision).toBe(2);
    same(latestAnswer(await read(store, 'inc:old')), now);
  });

  it('two servers on one store: the second does not store the revision the first already stored', async () => {
    const other = await openStore(store.openSettings!);
    try {
      const g = randomGraph(41);
      await store.write(g.graph);
      await store.write(incident('inc:two', g.seeds));
      const log = { error: (m: string, e: unknown) => expect.fail(`${m}: ${String(e)}`) };
      const a = new IncidentWatcher(store, () => NOW, log, { pollMs: 0 });
      const b = new IncidentWatcher(other, () => NOW, log, { pollMs: 0 });
      const heard: Array<[string, RevisionEvent]> = [];
      a.onRevision((e) => heard.push(['a', e]));
      b.onRevision((e) => heard.push(['b', e]));
      const pass = async (w: IncidentWatcher) => {
        w.changed();
        await w.idle();
      };

      await pass(a);
      await pass(b);
      let changes = 0;
      for (let i = 0; i < 4; i++) {
        await store.write(batch([], g.more()));
        // Both read the incident before either writes (as two servers polling at once do) ...
        const [ea, eb] = await Promise.all([evaluate(store, await read(store, 'inc:two')), evaluate(other, await read(other, 'inc:two'))]);
        expect(eb.diff).toEqual(ea.diff);
        // ... then one stores its revision, and the other notices and stores nothing.
        const stored = await storeRevision(store, ea, NOW);
        expect(await storeRevision(other, eb, NOW)).toBeNull();
        if (stored) changes++;
        // And the watchers, one after the other, add nothing to that.
        await pass(b);
        await pass(a);
      }
      const n = await read(store, 'inc:two');
      expect(storedRevisions(n).map((r) => r.revision)).toEqual(Array.from({ length: 1 + changes }, (_, i) => i + 1));
      // Only the first revision was announced, and only by the server that stored it.
      expect(heard.map(([who, e]) => [who, e.revision.revision])).toEqual([['a', 1]]);
      same(latestAnswer(n), answerOf(await computeBlastRadius(store, g.seeds)));
      expect(changes).toBeGreaterThan(0);
      await a.close();
      await b.close();
    } finally {
      await other.close();
    }
  });

  it('the watcher stores the same revisions with its searches in the engine pool as in this thread', async () => {
    const g = randomGraph(51, 60);
    await store.write(g.graph);
    const seedsOf = [g.seeds, [{ id: 'pkg:npm/p3@1.0.0' }], [{ id: 'svc:s1' }, { id: 'cred:c2' }]];
    const id = (i: number) => `inc:pool-${i}`;
    for (const [i, seeds] of seedsOf.entries()) await store.write(incident(id(i), seeds));
    const engine = new EngineRuns(60_000);
    const log = { error: (m: string, e: unknown) => expect.fail(`${m}: ${String(e)}`) };
    const watcher = new IncidentWatcher(store, () => NOW, log, { pollMs: 0 }, engine.runner(store));
    const heard: RevisionEvent[] = [];
    watcher.onRevision((e) => heard.push(e));
    try {
      let changed = 0;
      for (let round = 0; round < 4; round++) {
        if (round > 0) await store.write(batch([], g.more()));
        // What this thread makes of each incident, before the watcher looks.
        const expected = await Promise.all(seedsOf.map(async (_, i) => evaluate(store, await read(store, id(i)))));
        heard.length = 0;
        watcher.changed();
        await watcher.idle();
        for (const [i, seeds] of seedsOf.entries()) {
          const n = await read(store, id(i));
          const want = expected[i]!;
          const event = heard.find((e) => e.incident === id(i));
          if (want.diff === null) {
            expect(event).toBeUndefined();
            expect(storedRevisions(n).length).toBe(want.base);
          } else {
            changed++;
            expect(storedRevisions(n).length).toBe(want.base + 1);
            expect(storedRevisions(n).at(-1)!.diff).toEqual(want.diff);
            expect(event?.revision.diff).toEqual(want.diff);
            expect(storedRevisions(n).at(-1)!.snapshotId).toBe(want.snapshotId);
          }
          expect(storedDigest(n)).toBe(want.digest);
          same(latestAnswer(n), answerOf(await computeBlastRadius(store, seeds)));
        }
      }
      // Every first answer, and some later ones, were revisions.
      expect(changed).toBeGreaterThan(seedsOf.length);
    } finally {
      await watcher.close();
      await engine.close();
    }
  });

  it('watches a store opened only later, as `blast serve` opens it, with its searches in the pool', async () => {
    const g = randomGraph(61);
    await store.write(g.graph);
    await store.write(incident('inc:later', g.seeds));
    // Not open yet: no settings to hand to a worker; they appear once the first call opens it.
    const later = deferredStore(store.backend, async () => store);
    expect(later.openSettings).toBeUndefined();
    const engine = new EngineRuns(60_000);
    const log = { error: (m: string, e: unknown) => expect.fail(`${m}: ${String(e)}`) };
    const watcher = new IncidentWatcher(later, () => NOW, log, { pollMs: 0 }, engine.runner(later));
    try {
      for (let round = 0; round < 3; round++) {
        if (round > 0) await store.write(batch([], g.more()));
        watcher.changed();
        await watcher.idle();
        const n = await read(store, 'inc:later');
        same(latestAnswer(n), answerOf(await computeBlastRadius(store, g.seeds)));
        expect(storedDigest(n)).toBe(await answerDigestOf(await answerOfRun(await runBlastRadius(store, g.seeds))));
      }
      expect(later.openSettings).toEqual(store.openSettings);
    } finally {
      await watcher.close();
      await engine.close();
    }
  });
});
