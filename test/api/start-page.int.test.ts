/**
 * `compromisedNodes` (the explorer's start page) on every store: exactly the nodes marked compromised,
 * in id order, with their start and advisories; `first` bounds the list, not the total; a bad `first`
 * is BAD_INPUT naming it.
 */
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES, useStore } from '../support/stores.js';
import { errorCode, gql, inProcess, loadScenario, makeApp, useTransport, type Transport } from './helpers.js';

describe.each(STORES)('compromisedNodes: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });
  let t: Transport;
  const q = (query: string, variables?: Record<string, unknown>) => gql(t.fetch, t.base, query, variables);
  useTransport(() => inProcess(makeApp(store)), (x) => (t = x));

  it('lists every node marked compromised, in id order, with since when and advisories', async () => {
    await q('mutation { markCompromised(id: "svc:labelwise/platform-ci", at: "2026-03-19T20:05:00Z", advisory: "osv:TEST-2") { id } }');
    const r = await q('{ compromisedNodes { total nodes { id compromised compromisedAt props } } }');
    expect(r.body.errors).toBeUndefined();
    const { total, nodes } = r.body.data!.compromisedNodes;
    const expected = (await store.compromisedNodes()).map((n) => n.id);
    expect(nodes.map((n: { id: string }) => n.id)).toEqual(expected);
    expect(expected).toEqual([...expected].sort());
    expect(total).toBe(expected.length);
    expect(expected).toContain('pkg:githubactions/aquasecurity/trivy-action@0.33.1');
    for (const n of nodes) expect(n.compromised).toBe(true);
    const ci = nodes.find((n: { id: string }) => n.id === 'svc:labelwise/platform-ci');
    expect(ci).toMatchObject({ compromisedAt: '2026-03-19T20:05:00Z' });
    expect(ci.props.advisories).toEqual(['osv:TEST-2']);
  });

  it('bounds the list with first, keeps the total, and refuses a bad first', async () => {
    const all = await q('{ compromisedNodes { total } }');
    const one = await q('{ compromisedNodes(first: 1) { total nodes { id } } }');
    expect(one.body.data!.compromisedNodes.nodes).toHaveLength(1);
    expect(one.body.data!.compromisedNodes.total).toBe(all.body.data!.compromisedNodes.total);
    const bad = await q('{ compromisedNodes(first: 0) { total } }');
    expect(errorCode(bad)).toBe('BAD_INPUT');
    expect(bad.body.errors![0]!.extensions!.input).toBe('first');
  });
});
