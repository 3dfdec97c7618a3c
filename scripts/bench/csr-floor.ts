/**
 * The floor for the blast-radius benchmark: the same earliest-arrival rules over a compressed sparse
 * row (CSR) graph held in typed arrays in this process. No store, no provenance, no paths: what the
 * traversal itself costs, so the engine's figure can be read against it.
 */
import { PROPAGATION, type EdgeKind } from '../../server/model/kinds.js';
import { toMs } from '../../server/model/time.js';
import type { GraphBatch } from '../../server/model/types.js';
import { packageIdOf } from '../../server/model/ids.js';

const NONE = Number.POSITIVE_INFINITY;

export interface CsrGraph {
  ids: string[];
  index: Map<string, number>;
  offsets: Int32Array;
  targets: Int32Array;
  since: Float64Array;
  until: Float64Array;
  /** 1 = publish grant (publish rule), 2 = package -> version (publish rule), 0 otherwise. */
  rule: Uint8Array;
  validFrom: Float64Array;
  validUntil: Float64Array;
  containedAt: Float64Array;
  publishedAt: Float64Array;
}

/** Builds the CSR from batches (after the same completion stores do: package nodes and VERSION_OF). */
export function buildCsr(batches: Iterable<GraphBatch>): CsrGraph {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const props: Array<{ vf: number; vu: number; c: number; p: number }> = [];
  const id = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = ids.length;
      index.set(s, i);
      ids.push(s);
      props.push({ vf: -Infinity, vu: NONE, c: NONE, p: NaN });
    }
    return i;
  };
  const src: number[] = [];
  const dst: number[] = [];
  const es: number[] = [];
  const eu: number[] = [];
  const er: number[] = [];
  const add = (from: number, to: number, s: number, u: number, r: number) => {
    src.push(from);
    dst.push(to);
    es.push(s);
    eu.push(u);
    er.push(r);
  };
  for (const b of batches) {
    for (const n of b.nodes) {
      const i = id(n.id);
      const p = n.props ?? {};
      const ms = (v: unknown) => toMs(typeof v === 'string' ? v : undefined);
      if (n.kind === 'Credential') {
        props[i]!.vf = ms(p.createdAt) ?? -Infinity;
        props[i]!.vu = Math.min(ms(p.rotatedAt) ?? NONE, ms(p.revokedAt) ?? NONE);
      }
      props[i]!.c = ms(p.containedAt) ?? NONE;
      props[i]!.p = ms(p.publishedAt) ?? NaN;
      if (n.kind === 'PackageVersion') add(id(packageIdOf(n.id)), i, -Infinity, NONE, 2);
    }
    for (const e of b.edges) {
      const dir = PROPAGATION[e.kind as EdgeKind];
      if (!dir) continue;
      if (e.kind === 'GRANTS' && e.to.startsWith('svc:') && e.access !== 'admin' && e.access !== 'deploy') continue;
      if (e.kind === 'GRANTS' && e.to.startsWith('pkg:') && e.access !== 'publish') continue;
      const [from, to] = dir === 'forward' ? [id(e.from), id(e.to)] : [id(e.to), id(e.from)];
      add(from, to, toMs(e.since) ?? -Infinity, toMs(e.until) ?? NONE, e.kind === 'GRANTS' && e.access === 'publish' ? 1 : 0);
    }
  }
  const n = ids.length;
  const offsets = new Int32Array(n + 1);
  for (const f of src) offsets[f + 1]!++;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const m = src.length;
  const targets = new Int32Array(m);
  const since = new Float64Array(m);
  const until = new Float64Array(m);
  const rule = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    const at = fill[src[k]!]!++;
    targets[at] = dst[k]!;
    since[at] = es[k]!;
    until[at] = eu[k]!;
    rule[at] = er[k]!;
  }
  return {
    ids,
    index,
    offsets,
    targets,
    since,
    until,
    rule,
    validFrom: Float64Array.from(props, (p) => p.vf),
    validUntil: Float64Array.from(props, (p) => p.vu),
    containedAt: Float64Array.from(props, (p) => p.c),
    publishedAt: Float64Array.from(props, (p) => p.p),
  };
}

/** Earliest arrival from the seeds (each at its publishedAt, else −∞); returns how many nodes are reached. */
export function floorReach(g: CsrGraph, seeds: string[]): number {
  const n = g.ids.length;
  const best = new Float64Array(n).fill(NaN);
  const heap = new MinHeap();
  const offer = (v: number, arrival: number) => {
    if (Number.isNaN(best[v]!) || arrival < best[v]!) {
      best[v] = arrival;
      heap.push(arrival, v);
    }
  };
  for (const s of seeds) {
    const i = g.index.get(s);
    if (i === undefined) continue;
    offer(i, Number.isNaN(g.publishedAt[i]!) ? -Infinity : g.publishedAt[i]!);
  }
  let reached = 0;
  const done = new Uint8Array(n);
  while (heap.size > 0) {
    const [t, u] = heap.pop();
    if (done[u] || t !== best[u]) continue;
    done[u] = 1;
    reached++;
    const uEnd = Math.min(g.containedAt[u]!, g.validUntil[u]!);
    for (let k = g.offsets[u]!; k < g.offsets[u + 1]!; k++) {
      if (g.rule[k] === 2) continue; // package -> version: crossed only by the publish rule below
      const v = g.targets[k]!;
      const arrival = Math.max(t, g.since[k]!, g.validFrom[v]!);
      const end = Math.min(g.until[k]!, uEnd, g.validUntil[v]!);
      if (arrival > end) continue;
      offer(v, arrival);
      if (g.rule[k] !== 1) continue;
      // Publish rule, per credential: the versions of package v published inside this window.
      for (let q = g.offsets[v]!; q < g.offsets[v + 1]!; q++) {
        if (g.rule[q] !== 2) continue;
        const p = g.publishedAt[g.targets[q]!]!;
        if (p >= arrival && p <= end) offer(g.targets[q]!, p);
      }
    }
  }
  return reached;
}

class MinHeap {
  private keys: number[] = [];
  private vals: number[] = [];
  get size() {
    return this.keys.length;
  }
  push(k: number, v: number) {
    const keys = this.keys;
    const vals = this.vals;
    let i = keys.length;
    keys.push(k);
    vals.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= k) break;
      keys[i] = keys[p]!;
      vals[i] = vals[p]!;
      i = p;
    }
    keys[i] = k;
    vals[i] = v;
  }
  pop(): [number, number] {
    const keys = this.keys;
    const vals = this.vals;
    const top: [number, number] = [keys[0]!, vals[0]!];
    const k = keys.pop()!;
    const v = vals.pop()!;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && keys[r]! < keys[l]! ? r : l;
        if (keys[c]! >= k) break;
        keys[i] = keys[c]!;
        vals[i] = vals[c]!;
        i = c;
      }
      keys[i] = k;
      vals[i] = v;
    }
    return top;
  }
}
