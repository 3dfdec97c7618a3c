/**
 * The read API over both transports (in process and a real socket) on every store: node, nodes
 * (Relay pages), search, neighborhood, path, stats, viewer, and the per-request batching that keeps a
 * page of 500 nodes to a handful of store calls.
 */
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES, useStore } from '../support/stores.js';
import { TRANSPORTS, errorCode, gql, inProcess, loadScenario, makeApp, useTransport, type Transport } from './helpers.js';

describe.each(STORES)('GraphQL queries: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });

  describe.each(TRANSPORTS)('over $name', ({ open }) => {
    let t: Transport;
    const q = (query: string, variables?: Record<string, unknown>) => gql(t.fetch, t.base, query, variables);
    useTransport(() => open(makeApp(store)), (x) => (t = x));

    it('looks up a node with its props, sources and edges; normalises purls; null when absent', async () => {
      const r = await q(`{
        node(id: "pkg:pypi/LiteLLM@1.82.8") { id kind name compromised props sources { source sha256 ingestedAt pointer }
          edges(direction: IN, kinds: [DEPENDS_ON], first: 3) { key kind from to since until confidence fromNode { id kind } } }
        missing: node(id: "svc:acme/nope") { id }
      }`);
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      const n = r.body.data!.node;
      expect(n).toMatchObject({ id: 'pkg:pypi/litellm@1.82.8', kind: 'PackageVersion' });
      expect(n.props.publishedAt).toBe('2026-03-24T10:52:00Z');
      expect(n.sources[0]).toMatchObject({ source: 'seed/reference/scenario.yaml', ingestedAt: '2026-04-01T00:00:00Z' });
      expect(n.sources[0].sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(n.edges).toHaveLength(3);
      for (const e of n.edges) {
        expect(e).toMatchObject({ kind: 'DEPENDS_ON', to: 'pkg:pypi/litellm@1.82.8' });
        expect(e.fromNode.id).toBe(e.from);
      }
      expect(n.edges.map((e: { key: string }) => e.key)).toEqual([...n.edges.map((e: { key: string }) => e.key)].sort());
      expect(r.body.data!.missing).toBeNull();
    });

    it('rejects a malformed id with BAD_INPUT naming the argument', async () => {
      const r = await q(`{ node(id: "not an id") { id } }`);
      expect(errorCode(r)).toBe('BAD_INPUT');
      expect(r.body.errors![0]!.extensions!.input).toBe('id');
      expect(r.body.data?.node ?? null).toBeNull();
    });

    it('pages through every node of a kind with Relay cursors, in id order, without gaps', async () => {
      const ids: string[] = [];
      let after: string | null = null;
      let total = 0;
      for (let i = 0; i < 20; i++) {
        const r: Awaited<ReturnType<typeof q>> = await q(
          `query ($after: String) { nodes(kind: Credential, first: 10, after: $after) {
            edges { cursor node { id kind } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`,
          { after },
        );
        expect(r.body.errors).toBeUndefined();
        const page = r.body.data!.nodes;
        total = page.totalCount;
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        for (const e of page.edges) expect(e.node.kind).toBe('Credential');
        ids.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
        if (page.edges.length > 0) {
          expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
          expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
        }
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(total).toBe(49);
      expect(ids).toHaveLength(49);
      expect(ids).toEqual([...new Set(ids)].sort());
    });

    it('bounds the page size and rejects foreign cursors', async () => {
      expect(errorCode(await q(`{ nodes(first: 501) { totalCount } }`))).toBe('BAD_INPUT');
      expect(errorCode(await q(`{ nodes(first: 0) { totalCount } }`))).toBe('BAD_INPUT');
      expect(errorCode(await q(`{ nodes(after: "bogus!") { totalCount } }`))).toBe('BAD_INPUT');
    });

    it('searches the full-text index, filtered by kind, best first', async () => {
      const r = await q(`{ all: search(text: "litellm 1.82.8") { id } pv: search(text: "litellm", kinds: [PackageVersion], first: 3) { id kind } none: search(text: "zzzqqq") { id } }`);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.all.map((n: { id: string }) => n.id)).toContain('pkg:pypi/litellm@1.82.8');
      expect(r.body.data!.pv).toHaveLength(3);
      for (const n of r.body.data!.pv) expect(n.kind).toBe('PackageVersion');
      expect(r.body.data!.none).toEqual([]);
    });

    it('returns a neighbourhood: the centre first, the edges among the nodes, bounded', async () => {
      const r = await q(`{ neighborhood(id: "svc:labelwise/llm-gateway", hops: 1) { center { id } nodes { id } edges { key from to } truncated } }`);
      expect(r.body.errors).toBeUndefined();
      const nb = r.body.data!.neighborhood;
      expect(nb.center.id).toBe('svc:labelwise/llm-gateway');
      expect(nb.nodes[0].id).toBe('svc:labelwise/llm-gateway');
      expect(nb.truncated).toBe(false);
      const ids = new Set(nb.nodes.map((n: { id: string }) => n.id));
      expect(ids.has('pkg:pypi/litellm@1.82.8')).toBe(true);
      for (const e of nb.edges) {
        expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
      }
      // One hop: every node but the centre touches it.
      for (const id of ids) {
        if (id === 'svc:labelwise/llm-gateway') continue;
        expect(nb.edges.some((e: { from: string; to: string }) => (e.from === id || e.to === id) && (e.from === 'svc:labelwise/llm-gateway' || e.to === 'svc:labelwise/llm-gateway'))).toBe(true);
      }
      const two = await q(`{ neighborhood(id: "svc:labelwise/llm-gateway", hops: 2, edgeKinds: [HOLDS, GRANTS]) { nodes { id } edges { kind } } }`);
      for (const e of two.body.data!.neighborhood.edges) expect(['HOLDS', 'GRANTS']).toContain(e.kind);
      expect(errorCode(await q(`{ neighborhood(id: "svc:labelwise/llm-gateway", hops: 9) { truncated } }`))).toBe('BAD_INPUT');
      expect((await q(`{ neighborhood(id: "svc:labelwise/none") { truncated } }`)).body.data!.neighborhood).toBeNull();
    });

    it('finds a shortest path in either direction, hop by hop', async () => {
      const r = await q(`{ path(from: "pkg:pypi/litellm@1.82.8", to: "org:google-deepmind") { hops nodes { id } steps { from to reversed edge { kind from to } } } }`);
      expect(r.body.errors).toBeUndefined();
      const p = r.body.data!.path;
      expect(p.nodes[0].id).toBe('pkg:pypi/litellm@1.82.8');
      expect(p.nodes.at(-1).id).toBe('org:google-deepmind');
      expect(p.steps).toHaveLength(p.hops);
      expect(p.nodes).toHaveLength(p.hops + 1);
      p.steps.forEach((s: { from: string; to: string; reversed: boolean; edge: { from: string; to: string } }, i: number) => {
        expect(s.from).toBe(p.nodes[i].id);
        expect(s.to).toBe(p.nodes[i + 1].id);
        expect(s.reversed ? [s.edge.to, s.edge.from] : [s.edge.from, s.edge.to]).toEqual([s.from, s.to]);
      });
      // gateway DEPENDS_ON litellm, gateway READS/WRITES a dataset, dataset BELONGS_TO DeepMind: 3 hops at most.
      expect(p.hops).toBeLessThanOrEqual(3);
      const same = await q(`{ path(from: "org:meta", to: "org:meta") { hops nodes { id } } }`);
      expect(same.body.data!.path).toEqual({ hops: 0, nodes: [{ id: 'org:meta' }] });
      const none = await q(`{ path(from: "org:meta", to: "org:google-deepmind", edgeKinds: [VERSION_OF]) { hops } }`);
      expect(none.body.data!.path).toBeNull();
      const short = await q(`{ path(from: "pkg:githubactions/aquasecurity/trivy-action@0.33.1", to: "org:brightpath-learning", maxHops: 1) { hops } }`);
      expect(short.body.data!.path).toBeNull();
    });

    it('answers stats and viewer', async () => {
      const r = await q(`{ stats { store totalNodes totalEdges nodes snapshotId } viewer { role authRequired } }`);
      expect(r.body.data!.stats).toMatchObject({ store: adapter.backend, totalNodes: 151 });
      expect(r.body.data!.stats.nodes.Credential).toBe(49);
      expect(r.body.data!.stats.snapshotId).toBe(await store.snapshotId());
      expect(r.body.data!.viewer).toEqual({ role: 'admin', authRequired: false });
    });
  });

  it('batches: a page of 500 nodes with their edges and far ends costs a handful of store calls', async () => {
    const calls: string[] = [];
    const counting = new Proxy(store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(prop));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const t = await inProcess(makeApp(counting));
    const r = await gql(t.fetch, t.base, `{ nodes(first: 500) { totalCount edges { node { id edges { kind fromNode { id name } toNode { id name } } } } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.nodes.edges.length).toBe(151);
    // listNodes, countNodes, one edgesOf for all 151 nodes, one getNodes for every far end not on the page (none here).
    expect(calls.sort()).toEqual(['countNodes', 'edgesOf', 'listNodes']);

    // A smaller page: the far ends are mostly not on it, and all of them come from one getNodes.
    calls.length = 0;
    const small = await gql(t.fetch, t.base, `{ nodes(kind: Service, first: 20) { edges { node { id edges { fromNode { name } toNode { name kind } } } } } }`);
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data!.nodes.edges).toHaveLength(20);
    expect(calls.sort()).toEqual(['edgesOf', 'getNodes', 'listNodes']);
  });
});
