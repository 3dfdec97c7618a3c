/**
 * The synthetic generator (seed/synthetic/generate.ts) that the benchmarks ingest: deterministic for a
 * seed, the same records whatever the batch size, and the shape its plan promises.
 */
import { describe, expect, it } from 'vitest';
import { completeBatch } from '../../server/model/record.js';
import type { GraphBatch } from '../../server/model/types.js';
import { planSynthetic } from '../../seed/synthetic/generate.js';

function records(batches: Iterable<GraphBatch>): { nodes: unknown[]; edges: unknown[]; sizes: number[] } {
  const out = { nodes: [] as unknown[], edges: [] as unknown[], sizes: [] as number[] };
  for (const b of batches) {
    out.nodes.push(...b.nodes);
    out.edges.push(...b.edges);
    out.sizes.push(b.nodes.length + b.edges.length);
  }
  return out;
}

describe('synthetic generator', () => {
  it('gives the same records for the same seed, in batches of any size', () => {
    const plan = planSynthetic({ nodes: 2000 });
    const first = records(plan.batches());
    expect(records(planSynthetic({ nodes: 2000 }).batches())).toStrictEqual(first);
    const big = records(plan.batches(7000));
    expect(big.nodes).toStrictEqual(first.nodes);
    expect(big.edges).toStrictEqual(first.edges);
    expect(Math.max(...big.sizes)).toBe(7000);
    expect(Math.max(...records(plan.batches(500)).sizes)).toBe(500);
  });

  it('gives another graph for another seed', () => {
    const a = records(planSynthetic({ nodes: 2000, seed: 1 }).batches());
    const b = records(planSynthetic({ nodes: 2000, seed: 2 }).batches());
    expect(b.edges).not.toStrictEqual(a.edges);
  });

  it('makes about the nodes asked for, about five edges each, of every kind once stored', () => {
    const plan = planSynthetic({ nodes: 10_000 });
    // What a store holds: each batch completed as stores complete it (a version's Package node and
    // VERSION_OF edge follow from its purl), the same nodes merged across batches.
    const nodes = new Map<string, string>();
    const edgeKinds = new Map<string, number>();
    let edges = 0;
    for (const b of plan.batches()) {
      const c = completeBatch(b);
      for (const n of c.nodes) if (!nodes.has(n.id) || !n.stub) nodes.set(n.id, n.kind);
      for (const e of c.edges) edgeKinds.set(e.kind, (edgeKinds.get(e.kind) ?? 0) + 1);
      edges += c.edges.length;
    }
    expect(nodes.size).toBeGreaterThan(9_000);
    expect(nodes.size).toBeLessThan(11_000);
    expect(edges / nodes.size).toBeGreaterThan(3);
    expect(edges / nodes.size).toBeLessThan(7);
    expect([...new Set(nodes.values())].sort()).toEqual(['Credential', 'Customer', 'Dataset', 'Package', 'PackageVersion', 'Service']);
    for (const k of ['DEPENDS_ON', 'VERSION_OF', 'HOLDS', 'GRANTS', 'READS', 'WRITES', 'DERIVED_FROM', 'BELONGS_TO', 'USES']) expect(edgeKinds.get(k)).toBeGreaterThan(0);
    expect(plan.popularVersions.every((v) => nodes.get(v) === 'PackageVersion')).toBe(true);
  });
});
