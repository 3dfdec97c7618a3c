/**
 * Neo4j-only behaviour of Neo4jStore: how records sit in the database, exact round trips, the cached
 * snapshot sums, atomic and dry-run writes, hostile search text, outage and recovery, debug logging.
 * What every store must do alike is in the shared conformance suite.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createHash } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { BlastError } from '../../server/model/errors.js';
import { completeBatch, mergeEdge, mergeNode, snapshotIdFrom } from '../../server/model/record.js';
import type { GraphBatch, Source } from '../../server/model/types.js';
import { buildProjection } from '../../server/projection/build.js';
import { EDGE_KINDS } from '../../server/model/kinds.js';
import { Neo4jStore } from '../../server/store/neo4j/neo4j-store.js';
import { toBigInt } from '../../server/store/neo4j/records.js';
import { escapeLucene, fulltextQuery } from '../../server/store/neo4j/search-query.js';

const settings = inject('neo4j');

function source(name: string, ingestedAt = '2026-03-25T00:00:00Z', pointer?: string): Source {
  return { source: name, sha256: createHash('sha256').update(name).digest('hex'), ingestedAt, ...(pointer !== undefined && { pointer }) };
}

const S1 = source('inventory.yaml', '2026-03-25T00:00:00Z', '/services/0');
const S2 = source('sbom.json', '2026-03-26T00:00:00Z');

function scenario(): GraphBatch {
  return {
    input: 'inventory.yaml',
    nodes: [
      { id: 'pkg:pypi/litellm@1.82.8', kind: 'PackageVersion', props: { publishedAt: '2026-03-24T10:52:00Z', compromisedAt: '2026-03-24T10:52:00Z' }, sources: [S1] },
      { id: 'svc:acme/labeling-api', kind: 'Service', name: 'Labeling API', props: { environment: 'prod', owner: 'ml', nested: { b: [1, 2.5, null, 'x'], a: true } }, sources: [S1] },
      { id: 'cred:acme/aws-prod-s3-reader', kind: 'Credential', props: { type: 'aws-access-key', createdAt: '2025-11-02T00:00:00Z' }, sources: [S1] },
      { id: 'ds:acme/rlhf-transcripts', kind: 'Dataset', name: 'RLHF transcripts', sources: [S1] },
      { id: 'org:meta', kind: 'Customer', name: 'Meta', props: { notifyWithinHours: 72 }, sources: [S1] },
    ],
    edges: [
      { from: 'svc:acme/labeling-api', kind: 'DEPENDS_ON', to: 'pkg:pypi/litellm@1.82.8', since: '2026-03-24T10:58:00Z', until: '2026-03-24T16:20:00Z', confidence: 'likely', sources: [S1] },
      { from: 'svc:acme/labeling-api', kind: 'HOLDS', to: 'cred:acme/aws-prod-s3-reader', sources: [S1] },
      { from: 'cred:acme/aws-prod-s3-reader', kind: 'GRANTS', to: 'ds:acme/rlhf-transcripts', access: 'read', sources: [S1] },
      { from: 'ds:acme/rlhf-transcripts', kind: 'BELONGS_TO', to: 'org:meta', sources: [S1] },
      { from: 'org:meta', kind: 'USES', to: 'svc:acme/labeling-api', sources: [S1] },
    ],
  };
}

const EMPTY_SNAPSHOT = snapshotIdFrom({ count: 0, sums: [0, 0, 0, 0] }, { count: 0, sums: [0, 0, 0, 0] });

describe('Neo4jStore (Neo4j-only behaviour)', () => {
  let store: Neo4jStore;
  let driver: Driver;

  /** Raw Cypher for inspecting what the store wrote (the store itself only runs cypher/). */
  async function raw(query: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>[]> {
    const session = driver.session(settings.database ? { database: settings.database } : {});
    try {
      return (await session.run(query, params)).records.map((r) => r.toObject());
    } finally {
      await session.close();
    }
  }

  beforeAll(async () => {
    store = new Neo4jStore(settings);
    await store.init();
    driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password));
  });
  beforeEach(async () => {
    await store.clear();
  });
  afterAll(async () => {
    await store?.clear();
    await store?.close();
    await driver?.close();
  });

  it('init is idempotent and leaves every index online', async () => {
    await store.init();
    const rows = await raw('SHOW INDEXES YIELD name, state, type RETURN name, state, type');
    const byName = new Map(rows.map((r) => [r.name as string, r]));
    expect(byName.get('node_search_text')).toMatchObject({ state: 'ONLINE', type: 'FULLTEXT' });
    expect(byName.get('node_id_unique')).toMatchObject({ state: 'ONLINE' });
    expect(byName.get('node_Customer_id')).toMatchObject({ state: 'ONLINE' });
    expect(byName.get('node_compromised')).toMatchObject({ state: 'ONLINE' });
  });

  it('stores nodes as (:Node:<Kind>) with JSON text and integer hash parts, edges as typed relationships', async () => {
    await store.write(scenario());
    const [svc] = await raw(
      `MATCH (n:Node {id: 'svc:acme/labeling-api'})
       RETURN labels(n) AS labels, n.props AS props, valueType(n.props) AS propsType, valueType(n.sources) AS sourcesType,
              valueType(n.h1) AS h1Type, n.compromised AS compromised, keys(n) AS keys`,
    );
    expect([...(svc!.labels as string[])].sort()).toEqual(['Node', 'Service']);
    expect(svc!.propsType).toBe('STRING NOT NULL');
    expect(svc!.sourcesType).toBe('STRING NOT NULL');
    expect(svc!.h1Type).toBe('INTEGER NOT NULL');
    expect(JSON.parse(svc!.props as string)).toEqual({ environment: 'prod', nested: { a: true, b: [1, 2.5, null, 'x'] }, owner: 'ml' });
    expect(svc!.compromised).toBe(false);

    const rels = await raw(`MATCH (a:Node)-[e]->(b:Node) RETURN type(e) AS type, a.id AS from, b.id AS to, keys(e) AS keys ORDER BY e.key`);
    const holds = rels.find((r) => r.type === 'HOLDS')!;
    // Optional fields are absent, not null.
    expect([...(holds.keys as string[])].sort()).toEqual(['firstIngestedAt', 'h1', 'h2', 'h3', 'h4', 'hash', 'key', 'sources']);
    const dep = rels.find((r) => r.type === 'DEPENDS_ON')!;
    expect(dep.keys).toEqual(expect.arrayContaining(['since', 'until', 'confidence']));
    expect(dep.keys).not.toContain('access');
    // completeBatch's Package and VERSION_OF edge are there too.
    expect(rels.some((r) => r.type === 'VERSION_OF' && r.to === 'pkg:pypi/litellm')).toBe(true);
    const [version] = await raw(`MATCH (n:PackageVersion) RETURN n.compromised AS c`);
    expect(version!.c).toBe(true);
  });

  it('reads back exactly the records planWrite made (same JSON text, absent fields absent)', async () => {
    const batch = completeBatch(scenario());
    await store.write(batch);
    const expectedNodes = batch.nodes.map((n) => mergeNode(undefined, n));
    const got = await store.getNodes(expectedNodes.map((n) => n.id));
    expect(JSON.stringify(got)).toBe(JSON.stringify(expectedNodes));
    const expectedEdges = batch.edges.map((e) => mergeEdge(undefined, e)).sort((a, b) => (a.key < b.key ? -1 : 1));
    const edges = await store.edgesOf(expectedNodes.map((n) => n.id));
    expect(JSON.stringify(edges)).toBe(JSON.stringify(expectedEdges));
  });

  it('keeps the cached snapshot sums equal to a full recount, through updates, and recovers when the cache is lost', async () => {
    expect(await store.snapshotId()).toBe(EMPTY_SNAPSHOT);
    const first = await store.write(scenario());
    const second = await store.write({
      input: 'sbom.json',
      nodes: [{ id: 'svc:acme/labeling-api', kind: 'Service', props: { environment: 'staging' }, sources: [S2] }],
      edges: [{ from: 'svc:acme/labeling-api', kind: 'HOLDS', to: 'cred:acme/aws-prod-s3-reader', confidence: 'possible', sources: [S2] }],
    });
    // The service changed; the credential is only an edge endpoint here (a stub), so it did not.
    expect(second.nodes).toEqual({ added: 0, updated: 1, unchanged: 1 });
    expect(second.snapshotId).not.toBe(first.snapshotId);
    expect(await store.snapshotId()).toBe(second.snapshotId);

    const recount = async () => {
      const [n] = await raw('MATCH (n:Node) RETURN count(n) AS c, [sum(n.h1), sum(n.h2), sum(n.h3), sum(n.h4)] AS s');
      const [e] = await raw('MATCH ()-[e]->() RETURN count(e) AS c, [sum(e.h1), sum(e.h2), sum(e.h3), sum(e.h4)] AS s');
      return snapshotIdFrom(
        { count: Number(toBigInt(n!.c)), sums: (n!.s as unknown[]).map(toBigInt) },
        { count: Number(toBigInt(e!.c)), sums: (e!.s as unknown[]).map(toBigInt) },
      );
    };
    expect(await recount()).toBe(second.snapshotId);

    // The same content, its records in another order, gives the same id.
    await store.clear();
    const b = scenario();
    await store.write({ ...b, nodes: [...b.nodes].reverse(), edges: [...b.edges].reverse() });
    const again = await store.write({
      input: 'sbom.json',
      nodes: [{ id: 'svc:acme/labeling-api', kind: 'Service', props: { environment: 'staging' }, sources: [S2] }],
      edges: [{ from: 'svc:acme/labeling-api', kind: 'HOLDS', to: 'cred:acme/aws-prod-s3-reader', confidence: 'possible', sources: [S2] }],
    });
    expect(again.snapshotId).toBe(second.snapshotId);

    // The cache lost or stale (changed behind the store's back): the store recounts.
    await raw(`MATCH (m:Meta) DETACH DELETE m`);
    expect(await store.snapshotId()).toBe(second.snapshotId);
    await raw(`MATCH (m:Meta) SET m.nodeCount = 999`);
    await store.write(scenario());
    expect(await store.snapshotId()).toBe(await recount());
    await raw(`MATCH (n:Node {id: 'org:meta'}) DETACH DELETE n`);
    expect(await store.snapshotId()).toBe(await recount());
  });

  it('reads sums past 2^53 exactly', () => {
    expect(toBigInt(neo4j.int('21474836470000007'))).toBe(21474836470000007n);
  });

  it('is idempotent: the same batch twice changes nothing', async () => {
    const a = await store.write(scenario());
    const b = await store.write(scenario());
    expect(b.snapshotId).toBe(a.snapshotId);
    expect(b.nodes).toEqual({ added: 0, updated: 0, unchanged: a.nodes.added });
    expect(b.edges).toEqual({ added: 0, updated: 0, unchanged: a.edges.added });
  });

  it('dry run reports what would change, with the snapshotId it would give, and commits nothing', async () => {
    const dry = await store.write(scenario(), { dryRun: true });
    expect(dry.nodes.added).toBe(6);
    expect(await store.snapshotId()).toBe(EMPTY_SNAPSHOT);
    expect(await store.countNodes()).toBe(0);
    const real = await store.write(scenario());
    expect(real).toEqual(dry);
  });

  it('validates before touching the database, and a failing write leaves it unchanged', async () => {
    await store.write(scenario());
    const before = await store.snapshotId();
    const bad = scenario();
    bad.edges.push({ from: 'svc:acme/labeling-api', kind: 'GRANTS', to: 'ds:acme/x', access: 'read', sources: [S1] });
    await expect(store.write(bad)).rejects.toMatchObject({ code: 'BAD_INPUT' });

    expect(await store.snapshotId()).toBe(before);
  });

  it('serialises concurrent writers without losing a merge', async () => {
    await store.write(scenario());
    const writes = Array.from({ length: 8 }, (_, i) =>
      store.write({
        input: `w${i}`,
        nodes: [{ id: 'svc:acme/labeling-api', kind: 'Service', props: { [`k${i}`]: i }, sources: [source(`w${i}`)] }],
        edges: [],
      }),
    );
    await Promise.all(writes);
    const [svc] = await store.getNodes(['svc:acme/labeling-api']);
    for (let i = 0; i < 8; i++) expect(svc!.props[`k${i}`]).toBe(i);
    expect(svc!.sources).toHaveLength(9);
  });

  describe('search', () => {
    beforeEach(async () => {
      await store.write(scenario());
      await store.write({
        input: 'more.yaml',
        nodes: [
          { id: 'pkg:pypi/litellm@1.82.7', kind: 'PackageVersion', sources: [S1] },
          { id: 'svc:acme/label-printer', kind: 'Service', name: 'Label printer', sources: [S1] },
          { id: 'svc:acme/o-reilly', kind: 'Service', name: "O'Reilly feed (beta) [v2] *new* AND/OR \\ \"quoted\" Cafe", sources: [S1] },
        ],
        edges: [],
      });
    });

    it('never fails on hostile text', async () => {
      const hostile = ['"', '*', 'AND (', '\\', 'OR', 'NOT', '&&', '||', '(', ')', '[', '{', '~', '^', '?', ':', '/', '-', '+', '!', 'a:b', '"unclosed', 'AND', 'to', '', '   ', '*:*', 'x'.repeat(5000), '🙂', 'a '.repeat(200), "'", '...', '_'];
      for (const text of hostile) await expect(store.search({ text, first: 10 }), text).resolves.toBeInstanceOf(Array);
      // Operators are words like any other.
      expect((await store.search({ text: 'AND (', first: 10 })).map((n) => n.id)).toEqual(['svc:acme/o-reilly']);
    });

    it('matches the words of ids and names, each word also as a prefix, best first then id', async () => {
      const ids = async (text: string, first = 10) => (await store.search({ text, first })).map((n) => n.id);
      expect(await ids('Labeling API')).toEqual(['svc:acme/labeling-api']);
      expect(await ids('lab')).toEqual(['svc:acme/label-printer', 'svc:acme/labeling-api']);
      expect(await ids('label')).toEqual(['svc:acme/label-printer', 'svc:acme/labeling-api']); // the exact word first
      expect((await ids('litellm 1.82')).sort()).toEqual(['pkg:pypi/litellm@1.82.7', 'pkg:pypi/litellm@1.82.8']);
      expect(await ids('1.82.8')).toEqual(['pkg:pypi/litellm@1.82.8']); // not 1.82.7, though 8* matches its 82
      expect((await ids('1.8')).sort()).toEqual(['pkg:pypi/litellm@1.82.7', 'pkg:pypi/litellm@1.82.8']);
      expect(await ids('82.1')).toEqual([]); // the tokens, but not adjacent in this order
      expect(await ids('pkg:pypi/litellm@1.82.8')).toEqual(['pkg:pypi/litellm@1.82.8']);
      expect(await ids('acme')).toEqual(expect.arrayContaining(['svc:acme/labeling-api', 'cred:acme/aws-prod-s3-reader', 'ds:acme/rlhf-transcripts']));
      expect(await ids('rlhf')).toEqual(['ds:acme/rlhf-transcripts']);
      expect(await ids("o'reilly")).toEqual(['svc:acme/o-reilly']);
      expect(await ids('"quoted"')).toEqual(['svc:acme/o-reilly']);
      expect(await ids('REILLY Feed')).toEqual(['svc:acme/o-reilly']);
      expect(await ids('café')).toEqual(['svc:acme/o-reilly']); // diacritics folded on both sides
      expect(await ids('nothing-like-this')).toEqual([]);
    });

    it('filters by kind and honours first', async () => {
      expect((await store.search({ text: 'litellm', kinds: ['Package'], first: 10 })).map((n) => n.id)).toEqual(['pkg:pypi/litellm']);
      expect(await store.search({ text: 'litellm', kinds: [], first: 10 })).toEqual([]);
      expect(await store.search({ text: 'litellm', first: 1 })).toHaveLength(1);
      expect(await store.search({ text: 'litellm', first: 0 })).toEqual([]);
    });

    it('builds escaped Lucene queries', () => {
      expect(fulltextQuery('Labeling API')).toEqual({ query: '+("labeling" labeling*) +("api" api*)', phrases: [' labeling', ' api'] });
      expect(fulltextQuery('"*" AND (')).toEqual({ query: '+("and" and*)', phrases: [' and'] });
      expect(fulltextQuery('litellm@1.82')).toEqual({ query: '+"litellm" +"1" +("82" 82*)', phrases: [' litellm 1 82'] });
      expect(fulltextQuery('x'.repeat(5000))?.query).toBe(`+("${'x'.repeat(255)}" ${'x'.repeat(255)}*)`);
      expect(fulltextQuery('  ')).toBeNull();
      expect(escapeLucene('a+b-c:d/e\\f')).toBe('a\\+b\\-c\\:d\\/e\\\\f');
    });
  });

  it('lists by kind through the per-kind index, in id order with a cursor', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `svc:acme/s${String(i).padStart(2, '0')}`);
    await store.write({ input: 'svcs', nodes: ids.map((id) => ({ id, kind: 'Service' as const, sources: [S1] })), edges: [] });
    const page1 = await store.listNodes({ kind: 'Service', first: 10 });
    const page2 = await store.listNodes({ kind: 'Service', first: 10, after: page1.at(-1)!.id });
    expect(page1.map((n) => n.id)).toEqual(ids.slice(0, 10));
    expect(page2.map((n) => n.id)).toEqual(ids.slice(10, 20));
    const all = await store.listNodes({ first: 1000 });
    expect(all.map((n) => n.id)).toEqual([...all.map((n) => n.id)].sort());
    expect(await store.countNodes('Service')).toBe(25);
    await expect(store.listNodes({ kind: 'Nope' as never, first: 1 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('streams the projection of 2,500 services in pages, each edge once', async () => {
    // 2,500 services, each holding its own credential and used by one customer: more than a page.
    const n = 2500;
    const services = Array.from({ length: n }, (_, i) => `svc:bulk/s${String(i).padStart(5, '0')}`);
    const edges = services.flatMap((id, i) => [
      { from: id, kind: 'HOLDS' as const, to: `cred:bulk/c${i}`, sources: [S1] },
      { from: 'org:bulk', kind: 'USES' as const, to: id, sources: [S1] },
    ]);
    await store.write({ input: 'bulk', nodes: [], edges });
    const p = await buildProjection(store);
    expect(p.nodeCount).toBe(2 * n + 1);
    expect(p.stepCount).toBe(2 * n);
    const first = p.numberOf(services[0]!);
    const c = p.c;
    const out = Array.from({ length: c.stepStart[first + 1]! - c.stepStart[first]! }, (_, i) => c.stepStart[first]! + i).map(
      (s) => `${EDGE_KINDS[c.stepKind[s]!]} ${p.id(c.far[s]!)}`,
    );
    expect(out.sort()).toEqual(['HOLDS cred:bulk/c0', 'USES org:bulk']);
  }, 300_000);

  it('runs the naive benchmark query under a timeout', async () => {
    // 14 datasets, each derived from every other: many paths, few nodes. (Longer bounds are left to the
    // bench: whether the planner prunes the paths depends on its statistics.)
    const ids = Array.from({ length: 14 }, (_, i) => `ds:dense/d${i}`);
    const edges = ids.flatMap((a) => ids.filter((b) => b !== a).map((b) => ({ from: a, kind: 'DERIVED_FROM' as const, to: b, sources: [S1] })));
    await store.write({ input: 'dense', nodes: [], edges });
    expect(await store.naiveReach(ids[0]!, 2, 30_000)).toBe(14); // naive: the start node too, by going there and back
    expect(await store.naiveReach('ds:dense/absent', 6, 30_000)).toBe(0);
  });

  it('clear removes everything, the cached sums included', async () => {
    await store.write(scenario());
    const before = await store.graphVersion();
    await store.clear();
    expect(await raw('MATCH (n:Node) RETURN count(n) AS c')).toEqual([{ c: neo4j.int(0) }]);
    // Only the Meta singleton is left: a new epoch for the graph version, no cached sums.
    expect(await raw('MATCH (m) RETURN labels(m) AS l, m.nodeCount AS sums, m.epoch IS NOT NULL AS epoch')).toEqual([{ l: ['Meta'], sums: null, epoch: true }]);
    expect(await store.graphVersion()).not.toBe(before);
    expect(await store.snapshotId()).toBe(EMPTY_SNAPSHOT);
    expect(await store.stats()).toEqual({ nodes: {}, edges: {}, totalNodes: 0, totalEdges: 0, snapshotId: EMPTY_SNAPSHOT });
  });

  it('logs Cypher with parameters to stderr when BLAST_DEBUG=cypher', async () => {
    const previous = process.env.BLAST_DEBUG;
    process.env.BLAST_DEBUG = 'cypher';
    const logged: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    const debugStore = new Neo4jStore(settings);
    try {
      await debugStore.getNodes(['org:meta']);
    } finally {
      spy.mockRestore();
      if (previous === undefined) delete process.env.BLAST_DEBUG;
      else process.env.BLAST_DEBUG = previous;
      await debugStore.close();
    }
    const text = logged.join('');
    expect(text).toContain('[cypher] getNodes nodesById');
    expect(text).toContain('MATCH (n:Node {id: id})');
    expect(text).toContain('"ids":["org:meta"]');
  });
});

describe('Neo4jStore when the database is away', () => {
  it('fails fast with STORE_UNAVAILABLE naming the URI', async () => {
    const closed = await freePort();
    const store = new Neo4jStore({ uri: `bolt://127.0.0.1:${closed}`, user: 'neo4j', password: 'x' });
    const started = Date.now();
    try {
      const err = await store.ping().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlastError);
      expect((err as BlastError).code).toBe('STORE_UNAVAILABLE');
      expect((err as BlastError).message).toContain(`bolt://127.0.0.1:${closed}`);
      await expect(store.init()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(store.write(scenario())).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      await store.close();
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('rejects a malformed URI as BAD_INPUT', () => {
    expect(() => new Neo4jStore({ uri: 'http://127.0.0.1:7474', user: 'neo4j', password: 'x' })).toThrow(/NEO4J_URI|Neo4j URI/);
  });

  describe('outage and recovery (through a TCP proxy we can cut)', () => {
    let proxy: Proxy;
    let store: Neo4jStore;
    beforeAll(async () => {
      const target = new URL(settings.uri.replace(/^[a-z+]+:/, 'http:'));
      proxy = await Proxy.start(target.hostname, Number(target.port || 7687));
      store = new Neo4jStore({ ...settings, uri: `bolt://127.0.0.1:${proxy.port}`, connectionTimeoutMs: 1000, maxRetryMs: 1000 });
      await store.init();
      await store.clear();
    });
    afterEach(async () => {
      if (!proxy.listening) await proxy.listen();
    });
    afterAll(async () => {
      await store?.clear().catch(() => undefined);
      await store?.close();
      await proxy?.close();
    });

    it('maps the outage to STORE_UNAVAILABLE within seconds, then works again by itself', async () => {
      await store.write(scenario());
      const id = await store.snapshotId();
      await proxy.close();
      const started = Date.now();
      const err = await store.getNodes(['org:meta']).catch((e: unknown) => e);
      expect((err as BlastError).code).toBe('STORE_UNAVAILABLE');
      expect((err as BlastError).message).toContain(`127.0.0.1:${proxy.port}`);
      await expect(store.write(scenario())).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(15_000);
      await proxy.listen();
      expect(await store.snapshotId()).toBe(id);
      expect((await store.getNodes(['org:meta']))[0]?.name).toBe('Meta');
    });

    it('a write cut off half-way leaves nothing of it behind', async () => {
      await store.write(scenario());
      const before = await store.snapshotId();
      const big: GraphBatch = {
        input: 'big.json',
        nodes: Array.from({ length: 8000 }, (_, i) => ({ id: `svc:acme/bulk-${i}`, kind: 'Service' as const, props: { pad: 'x'.repeat(400) }, sources: [S2] })),
        edges: [],
      };
      // ~4 MB of rows go up in chunks; the connection drops after 1.5 MB, inside the upserts.
      proxy.cutAfter(1_500_000);
      await expect(store.write(big)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(proxy.cut).toBe(true);
      await proxy.listen();
      expect(await store.snapshotId()).toBe(before);
      expect(await store.countNodes('Service')).toBe(1);
    });
  });
});

/** A TCP forwarder whose listener and live connections can be cut and brought back on the same port. */
class Proxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private budget = Infinity;
  /** Whether the last cutAfter() fired. */
  cut = false;
  private constructor(
    private readonly host: string,
    private readonly targetPort: number,
    public port: number,
  ) {}

  static async start(host: string, targetPort: number): Promise<Proxy> {
    const p = new Proxy(host, targetPort, await freePort());
    await p.listen();
    return p;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (chunk: Buffer) => {
        this.budget -= chunk.length;
        if (this.budget < 0 && !this.cut) {
          this.cut = true;
          void this.close();
        }
      });
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve()));
  }

  /** Drops every connection and stops listening once `bytes` more have gone from clients to Neo4j. */
  cutAfter(bytes: number): void {
    this.budget = bytes;
    this.cut = false;
  }

  close(): Promise<void> {
    this.budget = Infinity;
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
