/** The order of a blast radius's reached nodes: by first exposure, then by id. */

/**
 * `nodes` ordered by arrival, then by rank (distinct non-negative integers), without a comparator
 * sort (a million comparator calls cost a second): placed by rank, then stably grouped by arrival.
 */
export function byArrivalThenRank(nodes: readonly number[], arrivalOf: (v: number) => number, rank: Int32Array): number[] {
  let top = 0;
  for (const v of nodes) top = Math.max(top, rank[v]! + 1);
  const atRank = new Int32Array(top).fill(-1);
  for (const v of nodes) atRank[rank[v]!] = v;
  // The distinct arrivals, ascending (a typed array sorts numerically and natively).
  const arrivals = Float64Array.from(nodes, arrivalOf).sort();
  let distinct = 0;
  for (let i = 0; i < arrivals.length; i++) if (i === 0 || arrivals[i] !== arrivals[distinct - 1]) arrivals[distinct++] = arrivals[i]!;
  const group = (t: number): number => {
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (arrivals[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Counting sort by arrival group, visiting nodes in rank order: stable, so ranks ascend within a group.
  const start = new Int32Array(distinct + 1);
  const groupOf = new Int32Array(top);
  for (let r = 0; r < top; r++) {
    const v = atRank[r]!;
    if (v < 0) continue;
    groupOf[r] = group(arrivalOf(v));
    start[groupOf[r]! + 1]!++;
  }
  for (let g = 0; g < distinct; g++) start[g + 1]! += start[g]!;
  const out = new Array<number>(nodes.length);
  for (let r = 0; r < top; r++) {
    const v = atRank[r]!;
    if (v >= 0) out[start[groupOf[r]!]!++] = v;
  }
  return out;
}
