/**
 * The reached nodes' order (server/engine/arrival-order.ts) is exactly a comparator sort by arrival,
 * then node number: on random nodes, ties in arrival, unknown (-Infinity) arrivals and sparse numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byArrivalThenNumber } from '../../server/engine/arrival-order.js';

describe('byArrivalThenNumber', () => {
  it('orders like sorting by (arrival, number)', () => {
    const arrival = fc.oneof(fc.constant(-Infinity), fc.integer({ min: 0, max: 5 }).map((d) => Date.UTC(2026, 2, 1 + d)), fc.integer({ min: 0, max: 2 ** 40 }));
    const graph = fc
      .uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 0, maxLength: 300 })
      .chain((nodes) => fc.tuple(fc.constant(nodes.sort((a, b) => a - b)), fc.array(arrival, { minLength: 5001, maxLength: 5001 })));
    fc.assert(
      fc.property(graph, ([nodes, arrivals]) => {
        const arrivalOf = (v: number) => arrivals[v]!;
        const expected = [...nodes].sort((a, b) => (arrivalOf(a) !== arrivalOf(b) ? (arrivalOf(a) < arrivalOf(b) ? -1 : 1) : a - b));
        expect([...byArrivalThenNumber(Int32Array.from(nodes), arrivalOf)]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('puts unknown arrivals first and breaks ties by number', () => {
    const arrivals = [5, -Infinity, 5, 1];
    expect([...byArrivalThenNumber(Int32Array.from([0, 1, 2, 3]), (v) => arrivals[v]!)]).toEqual([1, 3, 0, 2]);
  });
});
