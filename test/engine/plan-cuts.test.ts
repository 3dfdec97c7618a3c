/**
 * How many evidence paths a containment plan lists per action: every protected customer's (up to 20)
 * in a small plan, fewer in a large one so that the whole plan stays near MAX_PLAN_CUTS paths, and
 * never none.
 */
import { describe, expect, it } from 'vitest';
import { cutsPerAction, MAX_CUTS_PER_ACTION, MAX_PLAN_CUTS } from '../../server/engine/containment-plan.js';

describe('cutsPerAction', () => {
  it('lists up to 20 paths per action while the plan is small', () => {
    expect(cutsPerAction(0)).toBe(MAX_CUTS_PER_ACTION);
    expect(cutsPerAction(1)).toBe(MAX_CUTS_PER_ACTION);
    expect(cutsPerAction(MAX_PLAN_CUTS / MAX_CUTS_PER_ACTION)).toBe(MAX_CUTS_PER_ACTION);
  });

  it('lists fewer per action in a larger plan, keeping the whole plan near the budget', () => {
    for (const actions of [251, 400, 1_000, 2_499, 5_000]) {
      const k = cutsPerAction(actions);
      expect(k).toBeLessThan(MAX_CUTS_PER_ACTION);
      expect(k * actions).toBeLessThanOrEqual(MAX_PLAN_CUTS);
      expect((k + 1) * actions).toBeGreaterThan(MAX_PLAN_CUTS);
    }
  });

  it('always lists at least one path per action', () => {
    expect(cutsPerAction(15_031)).toBe(1);
    expect(cutsPerAction(1_000_000)).toBe(1);
  });
});
