/**
 * The reached nodes' order (server/engine/arrival-order.ts) is exactly a comparator sort by arrival,
 * then rank: on random nodes, ties in arrival, unknown (-Infinity) arrivals and sparse ranks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byArrivalThenRank } from '../../server/engine/arrival-order.js';

describe('byArrivalThenRank', () => {
  it('orders like sorting by (arrival, rank)', () => {
    const arrival = fc.oneof(fc.constant(-Infinity), fc.integer({ min: 0, max: 5 }).map((d) => Date.UTC(2026, 2, 1 + d)), fc.integer({ min: 0, max: 2 ** 40 }));
    const graph = fc
      .uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 0, maxLength: 300 })
      .chain((ranks) => fc.tuple(fc.constant(ranks), fc.array(arrival, { minLength: ranks.length, maxLength: ranks.length }), fc.shuffledSubarray(ranks.map((_, v) => v))));
    fc.assert(
      fc.property(graph, ([ranks, arrivals, nodes]) => {
        const rank = Int32Array.from(ranks);
        const arrivalOf = (v: number) => arrivals[v]!;
        const expected = [...nodes].sort((a, b) => (arrivalOf(a) !== arrivalOf(b) ? (arrivalOf(a) < arrivalOf(b) ? -1 : 1) : rank[a]! - rank[b]!));
        expect(byArrivalThenRank(nodes, arrivalOf, rank)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('puts unknown arrivals first and breaks ties by rank', () => {
    const arrivals = [5, -Infinity, 5, 1];
    const rank = Int32Array.from([7, 9, 3, 0]);
    expect(byArrivalThenRank([0, 1, 2, 3], (v) => arrivals[v]!, rank)).toEqual([1, 3, 2, 0]);
  });
});
