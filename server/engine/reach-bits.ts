/**
 * Which of a set of targets every node of a directed graph reaches, for all nodes at once: strongly
 * connected components, then one bitset of targets per component, in one pass. The containment plan
 * (which customers an action protects) and the rotation queue (which customers a credential leads
 * to) ask this of the radius's steps.
 */
/** Which of the targets each node reaches (bit i: targets[i]), over a possibly cyclic graph. */
export interface ReachBits {
  has(node: number, bit: number): boolean;
  /** A bitset of the given bits, for `intersects`. */
  mask(bits: readonly number[]): Uint32Array;
  /** Whether the node reaches any target of the mask. */
  intersects(node: number, mask: Uint32Array): boolean;
}

/**
 * Reachability of `targets` from every node: strongly connected components (Tarjan, iterative), then
 * one OR per arc in reverse topological order (the order Tarjan completes components). Memory: one
 * bitset of targets per component.
 */
export function reachBits(adjacency: readonly number[][], targets: readonly number[]): ReachBits {
  const n = adjacency.length;
  const words = Math.max(1, Math.ceil(targets.length / 32));
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const bits: Uint32Array[] = [];
  const own = new Map<number, number[]>();
  targets.forEach((t, i) => own.set(t, [...(own.get(t) ?? []), i]));
  let counter = 0;
  const frames: Array<[number, number]> = [];
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    frames.push([root, 0]);
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [v, i] = frame;
      const next = adjacency[v]!;
      if (i < next.length) {
        frame[1] = i + 1;
        const w = next[i]!;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push([w, 0]);
        } else if (onStack[w] === 1) low[v] = Math.min(low[v]!, order[w]!);
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] !== order[v]) continue;
      // v roots a component: every component it reaches is complete, so its bits are final.
      const c = bits.length;
      const set = new Uint32Array(words);
      const members: number[] = [];
      for (;;) {
        const w = stack.pop()!;
        onStack[w] = 0;
        comp[w] = c;
        members.push(w);
        if (w === v) break;
      }
      for (const w of members) {
        for (const bit of own.get(w) ?? []) set[bit >> 5]! |= 1 << (bit & 31);
        for (const u of adjacency[w]!) {
          const other = comp[u]!;
          if (other === c || other < 0) continue;
          const them = bits[other]!;
          for (let k = 0; k < words; k++) set[k]! |= them[k]!;
        }
      }
      bits.push(set);
    }
  }
  return {
    has: (node, bit) => ((bits[comp[node]!]![bit >> 5]! >>> (bit & 31)) & 1) === 1,
    mask: (list) => {
      const m = new Uint32Array(words);
      for (const bit of list) m[bit >> 5]! |= 1 << (bit & 31);
      return m;
    },
    intersects: (node, m) => {
      const set = bits[comp[node]!]!;
      for (let k = 0; k < words; k++) if ((set[k]! & m[k]!) !== 0) return true;
      return false;
    },
  };
}
