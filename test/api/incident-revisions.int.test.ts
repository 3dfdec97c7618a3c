/**
 * Incidents that watch, on every store: after a committed change the server re-evaluates each open
 * incident off the request path and stores a revision when the answer changed; `incident.revisions`
 * pages through them; `blast incident diff` prints what changed. Times are on 2026-03-24.
 *
 * The graph: pkg:npm/evil@1.0.0 compromised at 10:00; svc:a has run it since 12:00 and holds cred:a,
 * which reads ds:a, which belongs to org:a.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerIncident } from '../../server/cli/commands/incident.js';
import type { CliContext } from '../../server/cli/context.js';
import type { App } from '../../server/api/create-app.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node } from '../support/batches.js';
import { STORES, startFrom, useStore } from '../support/stores.js';
import { gql, makeApp, type GqlResult } from './helpers.js';

const at = (hm: string) => `2026-03-24T${hm}:00Z`;
const SEED = 'pkg:npm/evil@1.0.0';
const graph = () =>
  batch(
    [node(SEED, { compromisedAt: at('10:00') })],
    [edge('svc:a', 'DEPENDS_ON', SEED, { since: at('12:00') }), edge('svc:a', 'HOLDS', 'cred:a'), edge('cred:a', 'GRANTS', 'ds:a', { access: 'read' }), edge('ds:a', 'BELONGS_TO', 'org:a')],
  );

/** A file someone ingests: a new service that ran the poisoned version, its secret, whose data it opens. */
const NEW_SERVICE = `version: 1
services:
  - id: svc:new
    dependsOn:
      - { purl: ${SEED}, since: "${at('13:00')}" }
    holds: [cred:new]
credentials:
  - id: cred:new
    grants:
      - { id: ds:new, access: read }
datasets:
  - id: ds:new
    belongsTo: [org:new]
customers:
  - id: org:uses-new
    uses: [svc:new]
  - id: org:unrelated
`;

const REVISIONS = `query ($id: ID!, $first: Int, $after: String) { incident(id: $id) { updatedAt revisions(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { revision snapshotId at diff {
    nodes { added { id firstExposedAt } removed { id firstExposedAt } moved { id from to } }
    customers { added { id firstExposedAt } removed { id firstExposedAt } moved { id from to } } } } } } } }`;

const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);

describe.each(STORES)('incident revisions: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: startFrom(graph) });

  type Q = (query: string, variables?: Record<string, unknown>) => Promise<GqlResult>;
  async function withApp<T>(pollMs: number, use: (app: App, q: Q) => Promise<T>): Promise<T> {
    const app = makeApp(store, { watchIncidents: { pollMs } });
    try {
      return await use(app, (query, variables) => gql((r) => app.fetch(r), 'http://127.0.0.1', query, variables));
    } finally {
      await app.close();
    }
  }

  async function revisionsOf(q: Q, first = 50, after?: string) {
    const r = await q(REVISIONS, { id: 'inc:evil', first, after });
    expect(r.body.errors).toBeUndefined();
    return r.body.data!.incident.revisions;
  }

  it('stores the first answer, then exactly what an ingested file adds: the service, its secret and the customers behind them', async () => {
    await withApp(0, async (app, q) => {
      const created = await q(`mutation { createIncident(input: { id: "inc:evil", name: "evil", seeds: [{ id: "${SEED}" }] }) { id } }`);
      expect(created.body.errors).toBeUndefined();
      await app.watcher!.idle();
      const first = await revisionsOf(q);
      expect(first.totalCount).toBe(1);
      const r1 = first.edges[0].node;
      expect(r1.revision).toBe(1);
      expect(r1.snapshotId).toMatch(/^sha256:/);
      expect(r1.diff.nodes.added).toEqual([
        { id: 'cred:a', firstExposedAt: at('12:00') },
        { id: 'ds:a', firstExposedAt: at('12:00') },
        { id: 'org:a', firstExposedAt: at('12:00') },
        { id: 'svc:a', firstExposedAt: at('12:00') },
      ]);
      expect(ids(r1.diff.customers.added)).toEqual(['org:a']);

      const ingested = await q(`mutation ($input: IngestInput!) { ingest(input: $input) { format } }`, { input: { name: 'new-service.yaml', content: NEW_SERVICE } });
      expect(ingested.body.errors).toBeUndefined();
      await app.watcher!.idle();
      const second = await revisionsOf(q);
      expect(second.totalCount).toBe(2);
      const r2 = second.edges[1].node;
      // Exactly the new service, its secret, what that opens and the customers behind them, all from
      // 13:00; org:unrelated is not reached, and nothing that was affected moved or left.
      expect(r2.diff.nodes).toEqual({
        added: ['cred:new', 'ds:new', 'org:new', 'org:uses-new', 'svc:new'].map((id) => ({ id, firstExposedAt: at('13:00') })),
        removed: [],
        moved: [],
      });
      expect(r2.diff.customers).toEqual({ added: [{ id: 'org:new', firstExposedAt: at('13:00') }, { id: 'org:uses-new', firstExposedAt: at('13:00') }], removed: [], moved: [] });
      expect(r2.snapshotId).not.toBe(r1.snapshotId);

      // A change that leaves the answer as it is stores no revision.
      await q(`mutation ($input: IngestInput!) { ingest(input: $input) { format } }`, { input: { name: 'other.yaml', content: 'version: 1\ncustomers:\n  - id: org:someone-else\n' } });
      await app.watcher!.idle();
      expect((await revisionsOf(q)).totalCount).toBe(2);

      // Pages of one, oldest first.
      const page1 = await revisionsOf(q, 1);
      expect(page1.edges.map((e: { node: { revision: number } }) => e.node.revision)).toEqual([1]);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = await revisionsOf(q, 1, page1.pageInfo.endCursor);
      expect(page2.edges.map((e: { node: { revision: number } }) => e.node.revision)).toEqual([2]);
      expect(page2.pageInfo.hasNextPage).toBe(false);
    });
  });

  it('notices writes by another process through the poll, and leaves closed incidents alone', async () => {
    await withApp(50, async (app, q) => {
      await q(`mutation { createIncident(input: { id: "inc:evil", name: "evil", seeds: [{ id: "${SEED}" }] }) { id } }`);
      await q(`mutation { createIncident(input: { id: "inc:closed", name: "closed", status: closed, seeds: [{ id: "${SEED}" }] }) { id } }`);
      await app.watcher!.idle();
      expect((await revisionsOf(q)).totalCount).toBe(1);
      // Another process learns svc:a ran it from 11:00, not 12:00: everything behind it moves.
      await store.write(batch([], [edge('svc:a', 'DEPENDS_ON', SEED, { since: at('11:00') })], 'other-process'));
      let revisions = await revisionsOf(q);
      for (let i = 0; i < 200 && revisions.totalCount < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        revisions = await revisionsOf(q);
      }
      expect(revisions.totalCount).toBe(2);
      expect(revisions.edges[1].node.diff.nodes).toEqual({
        added: [],
        removed: [],
        moved: ['cred:a', 'ds:a', 'org:a', 'svc:a'].map((id) => ({ id, from: at('12:00'), to: at('11:00') })),
      });
      const closed = await q(`{ incident(id: "inc:closed") { revisions { totalCount } } }`);
      expect(closed.body.data!.incident.revisions.totalCount).toBe(0);
    });
  });

  it('`blast incident diff` re-evaluates, stores what changed, and prints the net change since a revision', async () => {
    await withApp(0, async (app, q) => {
      await q(`mutation { createIncident(input: { id: "inc:evil", name: "evil", seeds: [{ id: "${SEED}" }] }) { id } }`);
      await app.watcher!.idle();
    });
    // No server watching: the graph changes twice (svc:a from 11:00; then cred:a no longer opens ds:a).
    await store.write(batch([], [edge('svc:a', 'DEPENDS_ON', SEED, { since: at('11:00') })], 'one'));
    const run = async (...argv: string[]) => {
      let out = '';
      const ctx: CliContext = { openStore: async () => store, out: (t) => (out += t), write: async (t) => void (out += t), err: () => undefined, interactive: false };
      const program = new Command('blast').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
      registerIncident(program, ctx);
      await program.parseAsync(argv, { from: 'user' });
      return out;
    };
    const first = JSON.parse(await run('incident', 'diff', 'inc:evil', '--since', '1', '--format', 'json'));
    expect(first).toMatchObject({ incident: 'inc:evil', since: 1, latest: 2 });
    expect(first.diff.nodes.moved.map((m: { id: string }) => m.id)).toEqual(['cred:a', 'ds:a', 'org:a', 'svc:a']);
    await store.write(batch([], [edge('cred:a', 'GRANTS', 'ds:a', { access: 'read', until: at('10:30') })], 'two'));
    const net = JSON.parse(await run('incident', 'diff', 'inc:evil', '--since', '1', '--format', 'json'));
    expect(net.latest).toBe(3);
    expect(net.revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 3]);
    // Net since revision 1: cred:a and svc:a moved to 11:00; ds:a and org:a are no longer reached.
    expect(net.diff.nodes).toEqual({
      added: [],
      removed: [{ id: 'ds:a', firstExposedAt: at('12:00') }, { id: 'org:a', firstExposedAt: at('12:00') }],
      moved: [{ id: 'cred:a', from: at('12:00'), to: at('11:00') }, { id: 'svc:a', from: at('12:00'), to: at('11:00') }],
    });
    expect(net.diff.customers.removed).toEqual([{ id: 'org:a', firstExposedAt: at('12:00') }]);
    const text = await run('incident', 'diff', 'inc:evil', '--since', '2');
    expect(text).toContain('inc:evil: revision 3, compared with revision 2');
    expect(text).toContain('Customers: 0 newly affected, 1 no longer affected, 0 first exposed at another time');
    expect(text).toContain('  - org:a  was 2026-03-24T11:00:00Z');
    await expect(run('incident', 'diff', 'inc:evil', '--since', '9')).rejects.toMatchObject({ code: 'BAD_INPUT', input: '--since' });
    await expect(run('incident', 'diff', 'inc:nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
