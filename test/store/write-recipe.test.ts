/**
 * The shared write recipe (server/store/write-recipe.ts) without a database: the steps run in order
 * over an in-memory "store", the plan is the same whether it is made in one go or in slices (as it is
 * when progress is reported), progress counts reach the totals, and the graph version moves exactly
 * when something changed.
 */
import { describe, expect, it } from 'vitest';
import type { StoredEdge, StoredNode } from '../../server/model/stored-record.js';
import type { GraphBatch } from '../../server/model/types.js';
import type { WritePlan } from '../../server/model/write-plan.js';
import { completeForWrite, emptyLoaded, forEachHashChange, runWriteSync, type WriteStep } from '../../server/store/write-recipe.js';
import { batch, edge, node, source } from '../support/batches.js';

/** A store in two maps, with a version counter and hash totals. */
function memoryStore() {
  const nodes = new Map<string, StoredNode>();
  const edges = new Map<string, StoredEdge>();
  let version = 0;
  let hashes = new Map<string, string>();
  const steps = {
    calls: [] as string[],
    load(t: { described: string[]; mentioned: Map<string, unknown>; batch: GraphBatch }) {
      steps.calls.push('load');
      const l = emptyLoaded();
      for (const id of t.described) if (nodes.has(id)) l.nodes.set(id, nodes.get(id)!);
      for (const id of t.mentioned.keys()) if (nodes.has(id)) l.storedKinds.set(id, nodes.get(id)!.kind);
      for (const e of t.batch.edges) {
        const key = `${e.from}|${e.kind}|${e.to}|${e.access ?? ''}`;
        if (edges.has(key)) l.edges.set(key, edges.get(key)!);
      }
      return l;
    },
    apply(plan: WritePlan, _l: unknown, advance: (n: number) => void) {
      steps.calls.push('apply');
      for (const n of plan.nodes) nodes.set(n.id, n);
      for (const e of plan.edges) edges.set(e.key, e);
      advance(plan.nodes.length + plan.edges.length);
    },
    totals(plan: WritePlan, l: ReturnType<typeof emptyLoaded>, changed: boolean) {
      steps.calls.push('totals');
      const next = new Map(hashes);
      forEachHashChange(plan, l, (table, _kind, before, after) => {
        if (before !== undefined) expect(next.get(`${table}:${before}`)).toBe(before);
        next.set(`${table}:${after}`, after);
      });
      hashes = next;
      if (changed) version++;
      return `v${version}`;
    },
  };
  return { steps, nodes, edges, version: () => version };
}

/** More records than one planning slice (32,768), with a merge of a stored node. */
function bigBatch(): GraphBatch {
  const src = source('big.json');
  const nodes = Array.from({ length: 20_000 }, (_, i) => node(`pkg:npm/r-${i % 500}@1.0.${Math.floor(i / 500)}`, { i }, undefined, src));
  const edges = Array.from({ length: 10_000 }, (_, i) => edge(`svc:r/s${i % 700}`, 'DEPENDS_ON', nodes[i * 2]!.id, {}, src));
  return batch(nodes, edges, 'big.json');
}

describe('write recipe', () => {
  it('plans the same records in slices (with progress) as in one go', () => {
    const a = memoryStore();
    const b = memoryStore();
    const plain = runWriteSync(completeForWrite(bigBatch()), a.steps);
    const seen: Array<[WriteStep, number, number]> = [];
    const sliced = runWriteSync(completeForWrite(bigBatch(), (...p) => seen.push(p)), b.steps, (...p) => seen.push(p));
    expect(sliced).toEqual(plain);
    expect([...b.nodes.values()]).toEqual([...a.nodes.values()]);
    expect([...b.edges.values()]).toEqual([...a.edges.values()]);
    expect(a.steps.calls).toEqual(['load', 'apply', 'totals']);
    // Each step reported, in order; planning in several slices; planning and writing reach their totals.
    expect([...new Set(seen.map((p) => p[0]))]).toEqual(['validating', 'loading', 'planning', 'writing']);
    const planning = seen.filter((p) => p[0] === 'planning');
    // In one go there would be two reports (0 and all); in slices one more per slice.
    expect(planning.length).toBeGreaterThan(2);
    expect(planning.at(-1)![1]).toBe(planning.at(-1)![2]);
    const writing = seen.filter((p) => p[0] === 'writing');
    expect(writing.at(-1)![1]).toBe(writing.at(-1)![2]);
    expect(writing.at(-1)![2]).toBe(plain.nodes.added + plain.edges.added);
  });

  it('moves the version exactly when something changed, and merges with what is stored', () => {
    const m = memoryStore();
    runWriteSync(completeForWrite(batch([node('svc:a/one', { x: 1 })])), m.steps);
    expect(m.version()).toBe(1);
    const same = runWriteSync(completeForWrite(batch([node('svc:a/one', { x: 1 })])), m.steps);
    expect(same.nodes).toEqual({ added: 0, updated: 0, unchanged: 1 });
    expect(m.version()).toBe(1);
    const more = runWriteSync(completeForWrite(batch([node('svc:a/one', { y: 2 }, undefined, source('other'))])), m.steps);
    expect(more.nodes).toEqual({ added: 0, updated: 1, unchanged: 0 });
    expect(m.version()).toBe(2);
    expect(m.nodes.get('svc:a/one')!.props).toEqual({ x: 1, y: 2 });
  });
});
