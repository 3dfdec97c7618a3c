/**
 * `containmentPlan` is `blast plan --format json`, field for field and byte for byte, on every store;
 * bad arguments are BAD_INPUT naming them.
 */
import { describe, expect, it } from 'vitest';
import { registerPlan } from '../../server/cli/commands/plan.js';
import { computeContainmentPlan } from '../../server/engine/containment-plan.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { runCli } from '../support/cli.js';
import { STORES, useStore } from '../support/stores.js';
import { errorCode, gql, loadScenario, makeApp } from './helpers.js';

const LITELLM = 'pkg:pypi/litellm@1.82.8';
const T = '2026-03-24T11:00:00Z';

/** Every field, in the CLI JSON's order. */
const FULL_PLAN_QUERY = `query ($seeds: [SeedInput!], $options: BlastOptions, $at: DateTime, $customers: [ID!], $costs: ActionCostsInput) {
  containmentPlan(seeds: $seeds, options: $options, at: $at, customers: $customers, costs: $costs) {
    at totalCost customers
    actions { action node edge cost protects cuts { from edge to arrival sources } }
    alreadyReached unprotectable spared { customers assets } snapshotId
  }
}`;

describe.each(STORES)('containmentPlan: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });
  const ask = (variables: Record<string, unknown>) => {
    const app = makeApp(store);
    return gql((req) => app.fetch(req), 'http://127.0.0.1', FULL_PLAN_QUERY, variables);
  };

  it('prints the same JSON as `blast plan --format json`, byte for byte, and equals the engine', async () => {
    for (const [variables, args] of [
      [{ seeds: [{ id: LITELLM }], at: T }, [LITELLM, '--at', T]],
      [{ seeds: [{ id: LITELLM }], at: T, costs: { revoke: 5, rotate: null }, customers: ['org:meta', 'org:openai'] }, [LITELLM, '--at', T, '--cost', 'revoke=5', '--customers', 'org:openai,org:meta']],
      [{ seeds: [{ id: LITELLM }], at: T, options: { minConfidence: 'likely', maxHops: 7 } }, [LITELLM, '--at', T, '--min-confidence', 'likely', '--max-hops', '7']],
    ] as const) {
      const r = await ask(variables);
      expect(r.body.errors).toBeUndefined();
      const printed = await runCli(store, registerPlan, ['plan', ...args, '--format', 'json']);
      expect(`${JSON.stringify(r.body.data!.containmentPlan, null, 2)}\n`).toBe(printed);
    }
    const r = await ask({ seeds: [{ id: LITELLM }], at: T });
    const expected = await computeContainmentPlan(store, [{ id: LITELLM }], {}, { at: T });
    expect(r.body.data!.containmentPlan).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.actions.length).toBeGreaterThan(0);
  });

  it('defaults `at` to now: by now every customer is already reached and there is nothing left to cut', async () => {
    const r = await ask({ seeds: [{ id: LITELLM }] });
    expect(r.body.errors).toBeUndefined();
    const plan = r.body.data!.containmentPlan;
    expect(Date.parse(plan.at)).toBeGreaterThan(Date.parse('2026-04-01T00:00:00Z'));
    expect(plan).toMatchObject({ totalCost: 0, customers: [], actions: [] });
    expect(plan.alreadyReached.length).toBeGreaterThan(0);
  });

  it('rejects bad arguments with BAD_INPUT', async () => {
    expect(errorCode(await ask({ seeds: [{ id: LITELLM }], at: 'soon' }))).toBe('BAD_INPUT');
    expect(errorCode(await ask({ seeds: [{ id: LITELLM }], at: T, costs: { rotate: 0 } }))).toBe('BAD_INPUT');
    expect(errorCode(await ask({ seeds: [{ id: LITELLM }], at: T, customers: ['org:nobody'] }))).toBe('BAD_INPUT');
    expect(errorCode(await ask({ seeds: [{ id: LITELLM }], at: T, customers: ['not an id'] }))).toBe('BAD_INPUT');
    const many = Array.from({ length: 1001 }, (_, i) => `org:c${i}`);
    expect(errorCode(await ask({ seeds: [{ id: LITELLM }], at: T, customers: many }))).toBe('BAD_INPUT');
  });
});
