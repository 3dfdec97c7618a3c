/**
 * Bounded blast-radius answers, on both stores: counts, pages and single paths agree with the full
 * contract answer; a selection over the configured size is refused (LIMIT_EXCEEDED, naming the
 * limit) before anything is built; and a 20,000-package dependency cycle, whose printed paths would
 * be quadratic (~200 million hops), answers its counts and single paths or refuses, over GraphQL and
 * the CLI, while /healthz keeps answering.
 */
import { describe, expect, it } from 'vitest';
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import type { GraphBatch } from '../../server/model/types.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node } from '../support/batches.js';
import { spawnCli } from '../support/cli.js';
import { STORES, useStore } from '../support/stores.js';
import { errorCode, gql, loadScenario, makeApp, overHttp, type GqlResult } from './helpers.js';

const LITELLM = 'pkg:pypi/litellm@1.82.8';
const TRIVY = 'pkg:githubactions/aquasecurity/trivy-action@0.33.1';
const CYCLE = 20_000;
const v = (i: number) => `pkg:npm/cycle-${String(i).padStart(5, '0')}@1.0.0`;

/** Version i depends on version i+1 (mod N): from version 0 the taint walks the whole ring backwards. */
function cycle(): GraphBatch {
  const nodes = Array.from({ length: CYCLE }, (_, i) => node(v(i), { publishedAt: '2026-03-01T00:00:00Z' }));
  const edges = Array.from({ length: CYCLE }, (_, i) => edge(v(i), 'DEPENDS_ON', v((i + 1) % CYCLE)));
  nodes.push(node('svc:ring/app', {}, 'Ring app'), node('org:ring-customer', {}, 'Ring customer'));
  edges.push(edge('svc:ring/app', 'DEPENDS_ON', v(1)), edge('org:ring-customer', 'USES', 'svc:ring/app'));
  return batch(nodes, edges, 'ring.json');
}

/** The built CLI against `store` in a child process with a 1 GiB heap. */
const cli = (store: GraphStore, args: string[]) => spawnCli(store, args, ['--max-old-space-size=1024']);

describe.each(STORES)('bounded blast radius answers: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });

  it('counts, pages and single paths say what the whole answer says', async () => {
    const app = makeApp(store, { limits: { maxPageSize: 7 } });
    try {
      const full = await computeBlastRadius(store, [{ id: TRIVY }]);
      const f = (r: Request) => app.fetch(r);
      const head = await gql(f, 'http://127.0.0.1', `{ blastRadius(seeds: [{ id: "${TRIVY}" }]) { affectedCount pathHops counts { kind count } } }`);
      const br = head.body.data!.blastRadius;
      expect(br.affectedCount).toBe(full.affected.length);
      const byKind = new Map<string, number>();
      for (const a of full.affected) byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + 1);
      expect(br.counts).toEqual([...byKind].map(([kind, count]) => ({ kind, count })).sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind)));
      const hops = full.affected.reduce((n, a) => n + a.path.length, 0) + full.customers.reduce((n, c) => n + c.reasons.reduce((m, r) => m + r.path.length, 0), 0);
      expect(br.pathHops).toBe(hops);

      // Every page in turn, 7 at a time: the same nodes in the same order as `affected`.
      const seen: string[] = [];
      for (let after: string | null = null; ; ) {
        const page: GqlResult = await gql(f, 'http://127.0.0.1', `query($after: String) { blastRadius(seeds: [{ id: "${TRIVY}" }]) { affectedPage(first: 7, after: $after) { totalCount edges { cursor node { id hops } } pageInfo { hasNextPage endCursor } } } }`, { after });
        expect(page.body.errors).toBeUndefined();
        const conn: { totalCount: number; edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = page.body.data!.blastRadius.affectedPage;
        expect(conn.totalCount).toBe(full.affected.length);
        seen.push(...conn.edges.map((e: { node: { id: string } }) => e.node.id));
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      expect(seen).toEqual(full.affected.map((a) => a.id));

      const services = await gql(f, 'http://127.0.0.1', `{ blastRadius(seeds: [{ id: "${TRIVY}" }]) { affectedPage(kind: Service, first: 7) { totalCount edges { node { id kind } } } } }`);
      const wanted = full.affected.filter((a) => a.kind === 'Service');
      expect(services.body.data!.blastRadius.affectedPage.totalCount).toBe(wanted.length);
      expect(services.body.data!.blastRadius.affectedPage.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(wanted.slice(0, 7).map((a) => a.id));

      // One node's path on demand: exactly its entry in the whole answer.
      const target = full.affected.find((a) => a.kind === 'Customer')!;
      const one = await gql(f, 'http://127.0.0.1', `{ blastRadius(seeds: [{ id: "${TRIVY}" }]) { affectedNode(id: "${target.id}") { id kind name firstExposedAt hops confidence path { from edge to arrival sources } } seed: affectedNode(id: "${TRIVY}") { id } } }`);
      expect(one.body.data!.blastRadius.affectedNode).toEqual(JSON.parse(JSON.stringify(target)));
      expect(one.body.data!.blastRadius.seed).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('refuses a selection over the limits before building it, naming the limit', async () => {
    const app = makeApp(store, { limits: { maxAnswerPathHops: 20, maxAnswerNodes: 30 } });
    try {
      const f = (r: Request) => app.fetch(r);
      const ask = (selection: string) => gql(f, 'http://127.0.0.1', `{ blastRadius(seeds: [{ id: "${LITELLM}" }]) { ${selection} } }`);
      const withPaths = await ask('customers { id reasons { via path { from } } }');
      expect(errorCode(withPaths)).toBe('LIMIT_EXCEEDED');
      expect(withPaths.body.errors![0]!.message).toMatch(/maxAnswerPathHops/);
      const tooMany = await ask('affected { id }');
      expect(errorCode(tooMany)).toBe('LIMIT_EXCEEDED');
      expect(tooMany.body.errors![0]!.message).toMatch(/maxAnswerNodes/);
      // The same radius read within the limits answers.
      const ok = await ask('affectedCount customers { id reasons { via } } affectedPage(first: 5) { edges { node { id path { from } } } }');
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data!.blastRadius.affectedCount).toBeGreaterThan(30);
    } finally {
      await app.close();
    }
  });

  describe('a 20,000-package dependency cycle', () => {
    it('answers its counts and a 19,999-hop path over GraphQL, refuses all paths, and /healthz answers meanwhile', async () => {
      await store.write(cycle());
      const app = makeApp(store);
      const t = await overHttp(app);
      let polling = true;
      let health = 0;
      const poll = (async () => {
        while (polling) {
          const r = await fetch(`${t.base}/healthz`);
          expect(r.status).toBe(200);
          health++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      try {
        const counts = await gql((r) => fetch(r), t.base, `{ blastRadius(seeds: [{ id: "${v(0)}" }]) { affectedCount pathHops counts { kind count } customers { id reasons { via } } last: affectedNode(id: "${v(1)}") { hops path { from to } } } }`);
        expect(counts.body.errors).toBeUndefined();
        const br = counts.body.data!.blastRadius;
        expect(br.counts).toEqual([
          { kind: 'PackageVersion', count: CYCLE - 1 },
          { kind: 'Service', count: 1 },
          { kind: 'Customer', count: 1 },
        ]);
        expect(br.pathHops).toBeGreaterThan(190_000_000);
        expect(br.customers).toEqual([{ id: 'org:ring-customer', reasons: [{ via: 'svc:ring/app' }] }]);
        expect(br.last.hops).toBe(CYCLE - 1);
        expect(br.last.path).toHaveLength(CYCLE - 1);
        expect(br.last.path[0]).toEqual({ from: v(0), to: v(CYCLE - 1) });
        const all = await gql((r) => fetch(r), t.base, `{ blastRadius(seeds: [{ id: "${v(0)}" }]) { affected { id path { from } } } }`);
        expect(errorCode(all)).toBe('LIMIT_EXCEEDED');
      } finally {
        polling = false;
        await poll;
        await t.close();
        await app.close();
      }
      expect(health).toBeGreaterThan(0);
    });

    it('over the CLI: JSON refused with LIMIT_EXCEEDED, the table and a bounded JSON answer, in a 1 GiB heap', async () => {
      // The previous test wrote the cycle into this suite's store.
      const json = await cli(store, ['radius', v(0)]);
      expect(json.code).toBe(1);
      expect(json.out).toBe('');
      expect(json.err).toMatch(/LIMIT_EXCEEDED/);
      expect(json.err).toMatch(/--max-path-hops/);
      const table = await cli(store, ['radius', v(0), '--format', 'table']);
      expect(table.code).toBe(0);
      expect(table.out).toContain(`PackageVersion (${CYCLE - 1})`);
      expect(table.out).toContain('Affected customers and partners: 1');
      const bounded = await cli(store, ['radius', v(0), '--max-hops', '50']);
      expect(bounded.code).toBe(0);
      const parsed = JSON.parse(bounded.out);
      expect(parsed.affected).toHaveLength(50);
      expect(parsed.affected.find((a: { hops: number }) => a.hops === 50).path).toHaveLength(50);
    });
  });
});

const KINDS = ['Package', 'PackageVersion', 'Service', 'Credential', 'Dataset', 'Customer', 'Advisory', 'Incident'];
