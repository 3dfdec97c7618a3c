/** The order of a blast radius's reached nodes: by first exposure, then by id. */

/**
 * `nodes` (ascending node numbers, which rank ids) stably grouped by arrival: by arrival, then id,
 * without a comparator sort (a million comparator calls cost a second).
 */
export function byArrivalThenNumber(nodes: Int32Array, arrivalOf: (v: number) => number): Int32Array {
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
  const start = new Int32Array(distinct + 1);
  const groupOf = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    groupOf[i] = group(arrivalOf(nodes[i]!));
    start[groupOf[i]! + 1]!++;
  }
  for (let g = 0; g < distinct; g++) start[g + 1]! += start[g]!;
  const out = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) out[start[groupOf[i]!]!++] = nodes[i]!;
  return out;
}
