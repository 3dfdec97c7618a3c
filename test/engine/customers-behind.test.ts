/**
 * The rotation queue's "customers behind a credential": the all-at-once bitsets and the per-customer
 * search back give the same answer on random graphs with cycles, closed windows and the publish rule's
 * Package -> version steps, and both equal a plain forward search from each credential.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reached, Step } from '../../server/engine/radius-steps.js';
import { customersBehind } from '../../server/engine/rotation-queue.js';
import type { StoredNode } from '../../server/model/record.js';

const KINDS = ['Service', 'Credential', 'Dataset', 'Customer', 'Package', 'PackageVersion'] as const;

const graphs = fc.record({
  kinds: fc.array(fc.integer({ min: 0, max: KINDS.length - 1 }), { minLength: 2, maxLength: 40 }),
  arrivals: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 40, maxLength: 40 }),
  steps: fc.array(fc.record({ u: fc.nat(39), v: fc.nat(39), lower: fc.integer({ min: 0, max: 10 }), upper: fc.integer({ min: 0, max: 12 }), version: fc.boolean() }), { maxLength: 120 }),
});

describe('customersBehind', () => {
  it('bitsets and the search back agree, and equal a forward search from each credential', () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const n = g.kinds.length;
        const nodes: Reached[] = g.kinds.map((k, x) => ({
          node: { id: `${KINDS[k]}-${x}`, kind: KINDS[k] } as unknown as StoredNode,
          arrival: g.arrivals[x]!,
          seed: false,
          seedStart: NaN,
          validFrom: -Infinity,
          validUntil: Infinity,
          containedAt: Infinity,
        }));
        const steps: Step[] = [];
        const versionsOf = new Map<number, Step[]>();
        for (const s of g.steps) {
          const u = s.u % n;
          const v = s.v % n;
          const step: Step = { u, v, kind: s.version ? 'VERSION_OF' : 'HOLDS', key: `${u}|${v}`, lower: s.lower, upper: s.upper, grant: false, ref: 0 };
          if (s.version) versionsOf.set(u, [...(versionsOf.get(u) ?? []), step]);
          else steps.push(step);
        }
        const credentials = nodes.flatMap((r, x) => (r.node.kind === 'Credential' ? [x] : []));
        const bits = customersBehind(nodes, steps, versionsOf, credentials);
        const search = customersBehind(nodes, steps, versionsOf, credentials, 0);
        // A plain forward search over the same open steps.
        const next = (u: number) => [
          ...steps.filter((s) => s.u === u && Math.max(nodes[u]!.arrival, s.lower) <= s.upper).map((s) => s.v),
          ...(versionsOf.get(u) ?? []).map((s) => s.v),
        ];
        for (const x of credentials) {
          const seen = new Set([x]);
          const todo = [x];
          while (todo.length > 0) for (const v of next(todo.pop()!)) if (!seen.has(v)) (seen.add(v), todo.push(v));
          const want = [...seen].filter((v) => nodes[v]!.node.kind === 'Customer').map((v) => nodes[v]!.node.id).sort();
          const id = nodes[x]!.node.id;
          expect(bits.get(id) ?? []).toEqual(want);
          expect(search.get(id) ?? []).toEqual(want);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
