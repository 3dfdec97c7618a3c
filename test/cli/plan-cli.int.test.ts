/**
 * `blast plan` as a user runs it, on the reference scenario, on both stores: the JSON contract, the
 * promise that applying the plan with `blast radius --contain NODE@T` cuts the customers off, the
 * "what if we had done it then" answer, the table, and one-line errors naming the flag.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { main } from '../../server/cli/main.js';
import { computeContainmentPlan, type ContainmentPlan } from '../../server/engine/containment-plan.js';
import type { BlastRadius } from '../../server/engine/blast-radius.js';
import { openStore } from '../../server/store/open-store.js';

const SCENARIO = fileURLToPath(new URL('../../seed/reference/scenario.yaml', import.meta.url));
const LITELLM = 'pkg:pypi/litellm@1.82.8';
const TRIVY = 'pkg:githubactions/aquasecurity/trivy-action@0.33.1';

async function blast(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), interactive: false });
  return { code, out, err };
}

describe.each(['embedded', 'neo4j'] as const)('blast plan: %s', (backend) => {
  let dir: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blast-plan-cli-'));
    process.env.BLAST_DATA_DIR = join(dir, 'data');
    process.env.BLAST_STORE = backend;
    const neo = inject('neo4j');
    process.env.NEO4J_URI = neo.uri;
    process.env.NEO4J_USER = neo.user;
    process.env.NEO4J_PASSWORD = neo.password;
    if (backend === 'neo4j') {
      const store = await openStore({ backend, neo4j: neo });
      await store.clear();
      await store.close();
    }
    expect((await blast(['ingest', SCENARIO])).code).toBe(0);
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the contract JSON: at, totalCost, customers, actions; byte-identical to the engine and on repeat', async () => {
    const r = await blast(['plan', LITELLM, '--at', '2026-03-24T11:00:00Z']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as ContainmentPlan;
    expect(Object.keys(plan).slice(0, 4)).toEqual(['at', 'totalCost', 'customers', 'actions']);
    expect(plan.at).toBe('2026-03-24T11:00:00Z');
    expect(plan.customers.length).toBeGreaterThan(0);
    expect(plan.totalCost).toBe(plan.actions.reduce((s, a) => s + a.cost, 0));
    for (const a of plan.actions) {
      expect(Object.keys(a)).toEqual(['action', 'node', 'edge', 'cost', 'protects', 'cuts']);
      expect(a.edge === null).toBe(a.action !== 'revoke');
    }
    const store = await openStore({ backend, dataDir: join(dir, 'data'), neo4j: inject('neo4j') });
    try {
      const expected = await computeContainmentPlan(store, [{ id: LITELLM }], {}, { at: '2026-03-24T11:00:00Z' });
      expect(r.out).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    } finally {
      await store.close();
    }
    expect((await blast(['plan', LITELLM, '--at', '2026-03-24T11:00:00Z'])).out).toBe(r.out);
  });

  it('applying every action as `blast radius --contain NODE@T` leaves none of the customers reached', async () => {
    // Revoking priced out of reach: the plan is rotations and containments only. With containing
    // priced high too, it rotates where it can.
    const T = '2026-03-24T11:00:00Z';
    const before = JSON.parse((await blast(['radius', LITELLM])).out) as BlastRadius;
    for (const costs of ['revoke=1000000', 'revoke=1000000,contain=1000']) {
      const plan = JSON.parse((await blast(['plan', LITELLM, '--at', T, '--cost', costs])).out) as ContainmentPlan;
      expect(plan.actions.length).toBeGreaterThan(0);
      expect(plan.actions.every((a) => a.action !== 'revoke')).toBe(true);
      expect(plan.customers.every((c) => before.customers.some((x) => x.id === c))).toBe(true);
      const contain = plan.actions.flatMap((a) => ['--contain', `${a.node}@${T}`]);
      const after = JSON.parse((await blast(['radius', LITELLM, ...contain])).out) as BlastRadius;
      expect(after.customers.map((c) => c.id).filter((c) => plan.customers.includes(c))).toEqual([]);
      // Every action is needed: dropping any one leaves some customer reached.
      for (let i = 0; i < plan.actions.length; i++) {
        const fewer = contain.filter((_, j) => j !== 2 * i && j !== 2 * i + 1);
        const partial = JSON.parse((await blast(['radius', LITELLM, ...fewer])).out) as BlastRadius;
        expect(partial.customers.some((c) => plan.customers.includes(c.id))).toBe(true);
      }
    }
  });

  it('answers "what if we had revoked the publish grant on 2026-03-20": litellm 1.82.8 and its customers spared', async () => {
    // From the Trivy action alone: by 2026-03-20 the stolen PyPI token has leaked, but the poisoned
    // litellm versions were only published on 03-24 with it. Revoking its publish grant then is one action.
    const plan = JSON.parse((await blast(['plan', TRIVY, '--at', '2026-03-20T00:00:00Z'])).out) as ContainmentPlan;
    expect(plan.actions.map((a) => [a.action, a.node, a.edge])).toEqual([['revoke', 'cred:berriai/pypi-publish-token', 'cred:berriai/pypi-publish-token|GRANTS|pkg:pypi/litellm|publish']]);
    expect(plan.spared.assets).toContain(LITELLM);
    expect(plan.spared.customers).toEqual(plan.customers);
    expect(plan.actions[0]!.cuts.length).toBeGreaterThan(0);
    expect(plan.actions[0]!.cuts.every((p) => p.some((h) => h.from === 'cred:berriai/pypi-publish-token' && h.to === 'pkg:pypi/litellm'))).toBe(true);
  });

  it('--customers narrows the plan; --format table prints it for people', async () => {
    const all = JSON.parse((await blast(['plan', LITELLM, '--at', '2026-03-24T11:00:00Z'])).out) as ContainmentPlan;
    const one = all.customers[0]!;
    const narrow = JSON.parse((await blast(['plan', LITELLM, '--at', '2026-03-24T11:00:00Z', '--customers', one])).out) as ContainmentPlan;
    expect(narrow.customers).toEqual([one]);
    expect(narrow.totalCost).toBeLessThanOrEqual(all.totalCost);
    const table = await blast(['plan', LITELLM, '--at', '2026-03-24T11:00:00Z', '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^Containment plan at 2026-03-24 11:00 UTC on sha256:/);
    expect(table.out).toContain(`total cost ${all.totalCost}, cuts off ${all.customers.length} customers`);
    for (const a of all.actions) expect(table.out).toMatch(new RegExp(`^  ${a.action} +${a.node.replace(/[/.]/g, '\\$&')} `, 'm'));
  });

  it('refuses bad flags with one line naming the flag, exit 1', async () => {
    for (const [args, input] of [
      [['--cost', 'rotate=0'], '--cost'],
      [['--cost', 'burn=3'], '--cost'],
      [['--customers', 'org:nobody'], 'customers'],
      [['--at', 'tomorrow'], '--at'],
      [['--format', 'xml'], '--format'],
    ] as const) {
      const r = await blast(['plan', LITELLM, ...args]);
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(input);
      expect(r.err).toMatch(/\[BAD_INPUT\]$/m);
    }
  });
});
