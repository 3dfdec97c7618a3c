/**
 * `blastRadius` is the engine's answer, field for field, and byte for byte the same JSON as
 * `blast radius --format json` on the same store (the contract), on every store.
 */
import { describe, expect, it } from 'vitest';
import { registerRadius } from '../../server/cli/commands/radius.js';
import { computeBlastRadius, defaultSeeds } from '../../server/engine/blast-radius.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { runCli } from '../support/cli.js';
import { STORES, useStore } from '../support/stores.js';
import { TRANSPORTS, errorCode, gql, loadScenario, makeApp, useTransport, type Transport } from './helpers.js';

const TRIVY = 'pkg:githubactions/aquasecurity/trivy-action@0.33.1';
const LITELLM = 'pkg:pypi/litellm@1.82.8';

/** Every field of the contract, in the contract's order. */
export const FULL_BLAST_QUERY = `query ($seeds: [SeedInput!], $options: BlastOptions) {
  blastRadius(seeds: $seeds, options: $options) {
    snapshotId
    seeds { id at found }
    options
    affected { id kind name firstExposedAt hops confidence path { from edge to arrival sources } }
    customers { id name firstExposedAt reasons { via path { from edge to arrival sources } } }
  }
}`;

describe.each(STORES)('blastRadius: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });

  describe.each(TRANSPORTS)('over $name', ({ open }) => {
    let t: Transport;
    useTransport(() => open(makeApp(store)), (x) => (t = x));

    it('equals the engine for the reference incident (from the Trivy action)', async () => {
      const r = await gql(t.fetch, t.base, FULL_BLAST_QUERY, { seeds: [{ id: TRIVY }] });
      expect(r.body.errors).toBeUndefined();
      const expected = await computeBlastRadius(store, [{ id: TRIVY }]);
      expect(r.body.data!.blastRadius).toEqual(JSON.parse(JSON.stringify(expected)));
      // seed/reference/README.md, "Expected result".
      expect(expected.customers.map((c) => c.id).sort()).toEqual([
        'org:brightpath-learning',
        'org:google-deepmind',
        'org:klarheit-ai',
        'org:meta',
        'org:microsoft',
        'org:openai',
      ]);
    });

    it('equals the engine with every option set', async () => {
      const options = {
        maxHops: 6,
        minConfidence: 'likely',
        asOf: '2026-04-02T00:00:00Z',
        edgeKinds: ['DEPENDS_ON', 'HOLDS', 'GRANTS', 'READS', 'WRITES', 'BELONGS_TO', 'USES', 'DERIVED_FROM'],
        contained: [{ id: 'svc:labelwise/llm-gateway', at: '2026-03-24T11:30:00+00:00' }],
      };
      const r = await gql(t.fetch, t.base, FULL_BLAST_QUERY, { seeds: [{ id: LITELLM, at: '2026-03-24T10:52:00Z' }], options });
      expect(r.body.errors).toBeUndefined();
      const expected = await computeBlastRadius(store, [{ id: LITELLM, at: '2026-03-24T10:52:00Z' }], {
        ...options,
        minConfidence: 'likely',
        edgeKinds: options.edgeKinds as never,
        contained: [{ id: 'svc:labelwise/llm-gateway', at: '2026-03-24T11:30:00Z' }],
      });
      expect(r.body.data!.blastRadius).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(r.body.data!.blastRadius.options.contained).toEqual([{ id: 'svc:labelwise/llm-gateway', at: '2026-03-24T11:30:00Z' }]);
    });

    it('links affected nodes and customers to their stored nodes', async () => {
      const r = await gql(t.fetch, t.base, `{ blastRadius(seeds: [{id: "${LITELLM}"}]) { affected { id node { id props } } customers { id node { props } } } }`);
      expect(r.body.errors).toBeUndefined();
      for (const a of r.body.data!.blastRadius.affected) expect(a.node.id).toBe(a.id);
      const meta = r.body.data!.blastRadius.customers.find((c: { id: string }) => c.id === 'org:meta');
      expect(meta.node.props.notifyWithinHours).toBeTypeOf('number');
    });

    it('rejects bad seeds and options with BAD_INPUT or a validation error', async () => {
      expect(errorCode(await gql(t.fetch, t.base, FULL_BLAST_QUERY, { seeds: [{ id: 'nope' }] }))).toBe('BAD_INPUT');
      expect(errorCode(await gql(t.fetch, t.base, FULL_BLAST_QUERY, { seeds: [{ id: LITELLM, at: 'yesterday' }] }))).toBe('BAD_INPUT');
      expect(errorCode(await gql(t.fetch, t.base, FULL_BLAST_QUERY, { seeds: [{ id: LITELLM }], options: { maxHops: -1 } }))).toBe('BAD_INPUT');
      expect(errorCode(await gql(t.fetch, t.base, FULL_BLAST_QUERY, { seeds: [{ id: LITELLM }], options: { edgeKinds: ['AFFECTS'] } }))).toBe('BAD_INPUT');
      const many = Array.from({ length: 1001 }, (_, i) => ({ id: `svc:x/s${i}` }));
      const tooMany = await gql(t.fetch, t.base, FULL_BLAST_QUERY, { seeds: many });
      expect(errorCode(tooMany)).toBe('BAD_INPUT');
      expect(tooMany.body.errors![0]!.message).toMatch(/at most 1000/);
    });
  });

  it('prints the same JSON as `blast radius --format json`, byte for byte', async () => {
    const app = makeApp(store);
    for (const args of [[TRIVY], [LITELLM, '--min-confidence', 'likely', '--max-hops', '7']]) {
      const seeds = [{ id: args[0] }];
      const options = args.length > 1 ? { minConfidence: 'likely', maxHops: 7 } : undefined;
      const r = await gql((req) => app.fetch(req), 'http://127.0.0.1', FULL_BLAST_QUERY, { seeds, options });
      expect(r.body.errors).toBeUndefined();
      const printed = await runCli(store, registerRadius, ['radius', ...args, '--format', 'json']);
      expect(`${JSON.stringify(r.body.data!.blastRadius, null, 2)}\n`).toBe(printed);
    }
  });

  it('without seeds starts from every node marked compromised, like `blast radius` without ids', async () => {
    const app = makeApp(store);
    const mark = await gql((req) => app.fetch(req), 'http://127.0.0.1', `mutation { markCompromised(id: "${LITELLM}", at: "2026-03-24T10:52:00Z", advisory: "MAL-2026-2144") { id compromised compromisedAt props } }`);
    expect(mark.body.errors).toBeUndefined();
    expect(mark.body.data!.markCompromised).toMatchObject({ id: LITELLM, compromised: true, compromisedAt: '2026-03-24T10:52:00Z' });
    expect(mark.body.data!.markCompromised.props.advisories).toContain('osv:MAL-2026-2144');
    const r = await gql((req) => app.fetch(req), 'http://127.0.0.1', FULL_BLAST_QUERY, {});
    expect(r.body.errors).toBeUndefined();
    const seeds = await defaultSeeds(store);
    expect(seeds.map((s) => s.id)).toContain(LITELLM);
    expect(r.body.data!.blastRadius).toEqual(JSON.parse(JSON.stringify(await computeBlastRadius(store, seeds))));
    expect(`${JSON.stringify(r.body.data!.blastRadius, null, 2)}\n`).toBe(await runCli(store, registerRadius, ['radius', '--format', 'json']));
    const empty = await gql((req) => app.fetch(req), 'http://127.0.0.1', FULL_BLAST_QUERY, { seeds: [] });
    expect(empty.body.data!.blastRadius).toEqual(r.body.data!.blastRadius);
  });
});
