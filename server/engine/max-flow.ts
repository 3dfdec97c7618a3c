/**
 * Maximum flow by Dinic's algorithm, and the minimum cut it proves, on a directed graph with
 * non-negative capacities (Infinity allowed: an arc that may not be cut).
 *
 * Layout: arcs are stored in pairs (arc a and its reverse a ^ 1) in typed arrays; each node's arcs are
 * chained through `next` from `head`. Capacities are residual capacities (Float64, so Infinity works
 * and integer sums stay exact below 2^53).
 *
 * The cut returned is the one closest to the source: the nodes reachable from the source in the final
 * residual graph. That set is the same for every maximum flow (it is the intersection of the source
 * sides of all minimum cuts), so the cut does not depend on arc order or augmentation order: it is the
 * canonical choice among equal-cost cuts.
 *
 * Cost: O(V^2 E) in general, far less on the shallow, layered graphs a blast radius gives.
 */
export class FlowNetwork {
  private head: Int32Array;
  private next = new Int32Array(16);
  private to = new Int32Array(16);
  private cap = new Float64Array(16);
  private arcs = 0;

  constructor(readonly size: number) {
    this.head = new Int32Array(size).fill(-1);
  }

  /** Adds an arc u -> v of capacity `capacity` (and its zero-capacity reverse); returns its number. */
  addArc(u: number, v: number, capacity: number): number {
    if (this.arcs + 2 > this.to.length) this.grow();
    const a = this.arcs;
    this.to[a] = v;
    this.cap[a] = capacity;
    this.next[a] = this.head[u]!;
    this.head[u] = a;
    this.to[a + 1] = u;
    this.cap[a + 1] = 0;
    this.next[a + 1] = this.head[v]!;
    this.head[v] = a + 1;
    this.arcs += 2;
    return a;
  }

  /** The arc's far node. */
  target(a: number): number {
    return this.to[a]!;
  }

  /**
   * Pushes the maximum flow from `source` to `sink`; returns its value (Infinity when an uncuttable
   * path joins them).
   */
  maxFlow(source: number, sink: number): number {
    const level = new Int32Array(this.size);
    const iter = new Int32Array(this.size);
    const queue = new Int32Array(this.size);
    let total = 0;
    for (;;) {
      // Levels by breadth-first search over arcs with residual capacity.
      level.fill(-1);
      level[source] = 0;
      let qh = 0;
      let qt = 0;
      queue[qt++] = source;
      while (qh < qt) {
        const u = queue[qh++]!;
        for (let a = this.head[u]!; a >= 0; a = this.next[a]!) {
          const v = this.to[a]!;
          if (this.cap[a]! > 0 && level[v]! < 0) {
            level[v] = level[u]! + 1;
            queue[qt++] = v;
          }
        }
      }
      if (level[sink]! < 0) return total;
      iter.set(this.head);
      for (;;) {
        const pushed = this.augment(source, sink, level, iter);
        if (pushed === 0) break;
        total += pushed;
        if (total === Infinity) return Infinity;
      }
    }
  }

  /** One blocking-flow path, found depth first with an explicit stack (radii can be deep). */
  private augment(source: number, sink: number, level: Int32Array, iter: Int32Array): number {
    const pathArcs: number[] = [];
    let u = source;
    for (;;) {
      if (u === sink) {
        let f = Infinity;
        for (const a of pathArcs) f = Math.min(f, this.cap[a]!);
        for (const a of pathArcs) {
          this.cap[a] = this.cap[a]! - f;
          this.cap[a ^ 1] = this.cap[a ^ 1]! + f;
        }
        return f;
      }
      let a = iter[u]!;
      for (; a >= 0; a = this.next[a]!) {
        const v = this.to[a]!;
        if (this.cap[a]! > 0 && level[v] === level[u]! + 1) break;
      }
      iter[u] = a;
      if (a >= 0) {
        pathArcs.push(a);
        u = this.to[a]!;
        continue;
      }
      // Dead end: no level-increasing arc left out of u; retreat and skip the arc that led here.
      level[u] = -1;
      if (pathArcs.length === 0) return 0;
      const back = pathArcs.pop()!;
      u = this.to[back ^ 1]!;
      iter[u] = this.next[iter[u]!]!;
    }
  }

  /** After maxFlow: 1 for every node reachable from `source` in the residual graph (the cut's source side). */
  sourceSide(source: number): Uint8Array {
    const seen = new Uint8Array(this.size);
    const stack = [source];
    seen[source] = 1;
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (let a = this.head[u]!; a >= 0; a = this.next[a]!) {
        const v = this.to[a]!;
        if (this.cap[a]! > 0 && seen[v] === 0) {
          seen[v] = 1;
          stack.push(v);
        }
      }
    }
    return seen;
  }

  private grow(): void {
    const n = this.to.length * 2;
    const next = new Int32Array(n);
    next.set(this.next);
    this.next = next;
    const to = new Int32Array(n);
    to.set(this.to);
    this.to = to;
    const cap = new Float64Array(n);
    cap.set(this.cap);
    this.cap = cap;
  }
}
