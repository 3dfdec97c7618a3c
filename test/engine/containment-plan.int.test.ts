/**
 * Containment plans worked out by hand, on every store. Times are on 2026-03-24; `13:00` means
 * 2026-03-24T13:00:00Z. Unless said otherwise the seed pkg:npm/evil@1.0.0 is compromised from 10:00,
 * the plan is applied at T = 12:00, and the default costs hold: revoke 1, rotate 2, contain 3.
 *
 * Each plan is also applied for real and checked with the engine: every rotate / contain as the
 * radius's `contained` option at T, every revoke by rewriting the grant with `until: T`; none of the
 * plan's customers may still be reached.
 */
import { describe, expect, it } from 'vitest';
import { computeBlastRadius, runBlastRadius, type SeedInput } from '../../server/engine/blast-radius.js';
import { computeContainmentPlan, normalisePlanInput, planFromRadius, type ContainmentPlan, type PlanInput } from '../../server/engine/containment-plan.js';
import type { EdgeInput, NodeInput } from '../../server/model/types.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node } from '../support/batches.js';
import { STORES, useStore } from '../support/stores.js';

const at = (hm: string) => `2026-03-24T${hm}:00Z`;
const SEED = 'pkg:npm/evil@1.0.0';
const T = at('12:00');
const evil = node(SEED, { compromisedAt: at('10:00') });
/** `svc` has run the poisoned version since `since`. */
const runs = (svc: string, since = at('13:00')) => edge(svc, 'DEPENDS_ON', SEED, { since });
const grant = (cred: string, to: string, access: 'read' | 'admin' | 'deploy' | 'publish' = 'read') => edge(cred, 'GRANTS', to, { access });

/** The plan's actions as `action node [edge] cost -> protects`, the readable form the comments use. */
function summary(plan: ContainmentPlan): string[] {
  return plan.actions.map((a) => `${a.action} ${a.node}${a.edge ? ` [${a.edge}]` : ''} ${a.cost} -> ${a.protects.join(',')}`);
}

describe.each(STORES)('containment plan: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: (s) => s.clear() });

  const write = (nodes: NodeInput[], edges: EdgeInput[]) => store.write(batch([evil, ...nodes], edges));
  const plan = (input: PlanInput = {}, seeds: SeedInput[] = [{ id: SEED }]) => computeContainmentPlan(store, seeds, {}, { at: T, ...input });

  /** Applies the plan for real and returns the plan's customers the radius still reaches (want none). */
  async function stillReached(p: ContainmentPlan, seeds: SeedInput[] = [{ id: SEED }]): Promise<string[]> {
    const revokes = p.actions.filter((a) => a.action === 'revoke');
    if (revokes.length > 0) {
      const edges = await store.edgesOf(revokes.map((a) => a.node), { direction: 'out', kinds: ['GRANTS'] });
      const revoked = edges.filter((e) => revokes.some((a) => a.edge === e.key)).map((e) => ({ ...e, until: p.at }));
      expect(revoked).toHaveLength(revokes.length);
      await store.write(batch([], revoked, 'revoke'));
    }
    const contained = p.actions.filter((a) => a.action !== 'revoke').map((a) => ({ id: a.node, at: p.at }));
    const r = await computeBlastRadius(store, seeds, { contained });
    return r.customers.map((c) => c.id).filter((c) => p.customers.includes(c));
  }

  it('a chain: the single cheapest link, a grant, is revoked', async () => {
    // evil -> svc:app (from 13:00) -> cred:k -> ds:d -> org:c. Links that can be cut after 12:00:
    // contain svc:app (3), rotate cred:k (2), revoke k's grant on ds:d (1). Cheapest: the revoke.
    await write([], [runs('svc:app'), edge('svc:app', 'HOLDS', 'cred:k'), grant('cred:k', 'ds:d'), edge('ds:d', 'BELONGS_TO', 'org:c')]);
    const p = await plan();
    expect(p.at).toBe(T);
    expect(p.totalCost).toBe(1);
    expect(p.customers).toEqual(['org:c']);
    expect(summary(p)).toEqual(['revoke cred:k [cred:k|GRANTS|ds:d|read] 1 -> org:c']);
    // It cuts the customer's one evidence path, evil -> svc:app -> cred:k -> ds:d -> org:c.
    expect(p.actions[0]!.cuts.map((path) => path.map((h) => h.to))).toEqual([['svc:app', 'cred:k', 'ds:d', 'org:c']]);
    // Done at 12:00, the dataset and the customer are spared; svc:app and cred:k are still reached.
    expect(p.spared).toEqual({ customers: ['org:c'], assets: ['ds:d'] });
    expect(await stillReached(p)).toEqual([]);
  });

  it('a write between the radius and the plan (an incident revision, say) does not spoil the plan made on the radius\'s projection', async () => {
    await write([], [runs('svc:app'), edge('svc:app', 'HOLDS', 'cred:k'), grant('cred:k', 'ds:d'), edge('ds:d', 'BELONGS_TO', 'org:c')]);
    const run = await runBlastRadius(store, [{ id: SEED }]);
    const radius = await run.materialise(store);
    await store.write(batch([node('inc:elsewhere', { status: 'open' })], []));
    const p = await planFromRadius(store, radius, normalisePlanInput({ at: T }), run.projection);
    expect(summary(p)).toEqual(['revoke cred:k [cred:k|GRANTS|ds:d|read] 1 -> org:c']);
    expect(p.snapshotId).toBe(radius.snapshotId);
    // Without the radius's projection the store's current one is of another snapshot: CONFLICT, not a
    // plan mixing two graphs.
    await expect(planFromRadius(store, radius, normalisePlanInput({ at: T }))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a chain reached before T: nothing left to cut, the customer is reported as already reached', async () => {
    // svc:app ran evil from 11:00, so by 12:00 the whole chain is reached (10:00 -> 11:00 at each hop).
    await write([], [runs('svc:app', at('11:00')), edge('svc:app', 'HOLDS', 'cred:k'), grant('cred:k', 'ds:d'), edge('ds:d', 'BELONGS_TO', 'org:c')]);
    const p = await plan();
    expect(p).toMatchObject({ totalCost: 0, customers: [], actions: [], alreadyReached: ['org:c'], unprotectable: [] });
    // At 10:30, before svc:app first ran it, the same single revoke suffices and spares the same.
    const earlier = await plan({ at: at('10:30') });
    expect(summary(earlier)).toEqual(['revoke cred:k [cred:k|GRANTS|ds:d|read] 1 -> org:c']);
  });

  it('a diamond: two paths meet at a service; revoking both grants (2) beats containing it (3)', async () => {
    // evil -> svc:a -> cred:ka -admin-> svc:db <- org:c uses it
    //      -> svc:b -> cred:kb -deploy-^
    // Cuts: contain svc:db (3); revoke ka->db and kb->db (1 + 1 = 2); rotate ka and kb (4);
    // contain svc:a and svc:b (6). Cheapest: both revokes, each protecting org:c.
    await write(
      [],
      [
        runs('svc:a'),
        runs('svc:b'),
        edge('svc:a', 'HOLDS', 'cred:ka'),
        edge('svc:b', 'HOLDS', 'cred:kb'),
        grant('cred:ka', 'svc:db', 'admin'),
        grant('cred:kb', 'svc:db', 'deploy'),
        edge('org:c', 'USES', 'svc:db'),
      ],
    );
    const p = await plan();
    expect(p.totalCost).toBe(2);
    expect(summary(p)).toEqual(['revoke cred:ka [cred:ka|GRANTS|svc:db|admin] 1 -> org:c', 'revoke cred:kb [cred:kb|GRANTS|svc:db|deploy] 1 -> org:c']);
    // Each revoke shows the path it cuts: org:c's own evidence path runs through one grant only, so
    // the other's is found by the search back from org:c, through its own grant.
    expect(p.actions.map((a) => a.cuts.map((path) => path.map((h) => h.to)))).toEqual([[['svc:a', 'cred:ka', 'svc:db', 'org:c']], [['svc:b', 'cred:kb', 'svc:db', 'org:c']]]);
    expect(p.actions.flatMap((a) => a.cuts.flatMap((path) => path.map((h) => h.arrival)))).not.toContain(null);
    // With revoking priced at 2, containing svc:db (3) is cheaper than the two revokes (4).
    const pricey = await plan({ costs: { revoke: 2 } });
    expect(summary(pricey)).toEqual(['contain svc:db 3 -> org:c']);
    expect(await stillReached(p)).toEqual([]);
  });

  it('two customers sharing a dataset: one revoke protects both; naming one customer gives the same cut', async () => {
    // evil -> svc:app -> cred:k -> ds:shared -> org:x and org:y. Revoke k->shared (1) protects both.
    await write(
      [],
      [runs('svc:app'), edge('svc:app', 'HOLDS', 'cred:k'), grant('cred:k', 'ds:shared'), edge('ds:shared', 'BELONGS_TO', 'org:x'), edge('ds:shared', 'BELONGS_TO', 'org:y')],
    );
    const p = await plan();
    expect(p.customers).toEqual(['org:x', 'org:y']);
    expect(summary(p)).toEqual(['revoke cred:k [cred:k|GRANTS|ds:shared|read] 1 -> org:x,org:y']);
    expect(p.actions[0]!.cuts.map((path) => path.at(-1)!.to)).toEqual(['org:x', 'org:y']);
    const onlyX = await plan({ customers: ['org:x'] });
    expect(onlyX.customers).toEqual(['org:x']);
    expect(summary(onlyX)).toEqual(['revoke cred:k [cred:k|GRANTS|ds:shared|read] 1 -> org:x']);
    expect(await stillReached(p)).toEqual([]);
  });

  it('a credential cheaper than the two services holding it, and than its three grants', async () => {
    // evil -> svc:a, svc:b (from 13:00), both hold cred:k, which reads ds:d1, ds:d2, ds:d3, each
    // org:c's. Cuts: contain a and b (3 + 3 = 6), rotate k (2), revoke the three grants (3).
    const edges = [
      runs('svc:a'),
      runs('svc:b'),
      edge('svc:a', 'HOLDS', 'cred:k'),
      edge('svc:b', 'HOLDS', 'cred:k'),
      ...['ds:d1', 'ds:d2', 'ds:d3'].flatMap((d) => [grant('cred:k', d), edge(d, 'BELONGS_TO', 'org:c')]),
    ];
    await write([], edges);
    const p = await plan();
    expect(summary(p)).toEqual(['rotate cred:k 2 -> org:c']);
    // One evidence path per protected customer: org:c's first, through ds:d1.
    expect(p.actions[0]!.cuts.map((path) => path.map((h) => h.to).join(' > '))).toEqual(['svc:a > cred:k > ds:d1 > org:c']);
    expect(p.spared).toEqual({ customers: ['org:c'], assets: ['ds:d1', 'ds:d2', 'ds:d3'] });
    expect(await stillReached(p)).toEqual([]);
    // Costs are per action kind: rotate 7 makes the three revokes (3) cheapest; contain 1 then makes
    // containing both services (2) cheapest.
    expect((await plan({ costs: { rotate: 7 } })).totalCost).toBe(3);
    expect(summary(await plan({ costs: { rotate: 7, contain: 1 } }))).toEqual(['contain svc:a 1 -> org:c', 'contain svc:b 1 -> org:c']);
  });

  it('equal-cost ties go to the plan closest to the compromise, whatever the ids', async () => {
    // evil -> svc:app -> cred:k, which reads two datasets of org:c. rotate k (2) and revoking both
    // grants (1 + 1) tie at 2; rotating acts earlier on the paths (and leaves the datasets unreached),
    // so it wins. Renaming the nodes so that the ids sort the other way changes nothing.
    for (const [k, d1, d2, c] of [
      ['cred:a', 'ds:y', 'ds:z', 'org:c'],
      ['cred:z', 'ds:a', 'ds:b', 'org:a'],
    ] as const) {
      await store.clear();
      await write([], [runs('svc:app'), edge('svc:app', 'HOLDS', k), grant(k, d1), grant(k, d2), edge(d1, 'BELONGS_TO', c), edge(d2, 'BELONGS_TO', c)]);
      const p = await plan();
      expect(summary(p)).toEqual([`rotate ${k} 2 -> ${c}`]);
      expect(p.spared.assets).toEqual([d1, d2]);
    }
    // contain svc:app priced like a rotation: contain (2) and rotate (2) tie; the service comes first.
    const p = await plan({ costs: { contain: 2 } });
    expect(summary(p)).toEqual(['contain svc:app 2 -> org:a']);
    expect(await stillReached(p)).toEqual([]);
  });

  it('the publish rule: revoking the publish grant keeps the next version, and who runs it, out', async () => {
    // evil -> svc:ci (from 11:00) holds cred:pypi, which may publish pkg:pypi/lib; lib@2 is
    // published at 13:00 and svc:user runs it from 13:30; org:c uses svc:user. By 12:00 svc:ci and
    // cred:pypi are reached; after it, only lib@2 -> svc:user -> org:c can follow. Cuts: revoke the
    // publish grant (1), rotate cred:pypi (2), contain svc:ci (3) or svc:user (3).
    await write(
      [node('pkg:pypi/lib@2', { publishedAt: at('13:00') })],
      [
        runs('svc:ci', at('11:00')),
        edge('svc:ci', 'HOLDS', 'cred:pypi'),
        grant('cred:pypi', 'pkg:pypi/lib', 'publish'),
        edge('pkg:pypi/lib@2', 'VERSION_OF', 'pkg:pypi/lib'),
        edge('svc:user', 'DEPENDS_ON', 'pkg:pypi/lib@2', { since: at('13:30') }),
        edge('org:c', 'USES', 'svc:user'),
      ],
    );
    const p = await plan();
    expect(summary(p)).toEqual(['revoke cred:pypi [cred:pypi|GRANTS|pkg:pypi/lib|publish] 1 -> org:c']);
    expect(p.spared).toEqual({ customers: ['org:c'], assets: ['pkg:pypi/lib@2', 'svc:user'] });
    expect(await stillReached(p)).toEqual([]);
  });

  it('reports customers no action can cut off, and refuses customers the compromise does not reach', async () => {
    // A leaked dataset (the seed) belongs to org:z from 13:00 on: nothing on that path can be
    // rotated, contained or revoked, so org:z is unprotectable; org:w behind a service is not.
    await store.write(
      batch(
        [node('ds:leak')],
        [edge('ds:leak', 'BELONGS_TO', 'org:z', { since: at('13:00') }), edge('ds:leak', 'DERIVED_FROM', 'ds:src'), edge('org:w', 'USES', 'svc:s'), edge('svc:s', 'READS', 'ds:other')],
      ),
    );
    await write([], [runs('svc:s')]);
    const seeds = [{ id: 'ds:leak', at: at('10:00') }, { id: SEED }];
    const p = await plan({}, seeds);
    expect(p.unprotectable).toEqual(['org:z']);
    expect(p.customers).toEqual(['org:w']);
    expect(summary(p)).toEqual(['contain svc:s 3 -> org:w']);
    await expect(plan({ customers: ['org:nobody'] }, seeds)).rejects.toMatchObject({ code: 'BAD_INPUT', input: 'customers' });
    await expect(plan({ costs: { rotate: 0 } }, seeds)).rejects.toMatchObject({ code: 'BAD_INPUT', input: 'costs' });
    await expect(plan({ at: 'yesterday' }, seeds)).rejects.toMatchObject({ code: 'BAD_INPUT', input: 'at' });
  });
});
