/**
 * The walk as a sequence of steps. Every node and edge has a key (time, hop): a node its
 * (firstExposedAt, hops), an edge its (arrival, position on its path). A step is one distinct key, in
 * order; at step i everything with a key up to step i's is visible. Within one instant the steps go
 * hop by hop, so a credential stolen at 19:02 and the service it deploys to at 19:02 appear in turn.
 * Unknown times (null, "as early as possible") come before every instant.
 */
import { compareTime } from './blast-elements.js';
import type { ViewGraph } from './view-graph.js';

export interface Step {
  /** Epoch ms; null: before any known instant. */
  t: number | null;
  /** Hop count within that instant. */
  h: number;
}

export interface Timeline {
  steps: Step[];
  /** Step index of each node and edge id. */
  stepOf: Map<string, number>;
  /** Ids revealed at each step (the inverse of stepOf). */
  revealed: string[][];
}

export function compareKey(a: Step, b: Step): number {
  return compareTime(a.t, b.t) || a.h - b.h;
}

export function buildTimeline(graph: ViewGraph): Timeline {
  const keyed: Array<{ id: string; key: Step }> = [];
  for (const n of graph.nodes) {
    keyed.push({ id: n.id, key: { t: n.t, h: n.seed ? 0 : n.hops } });
  }
  for (const e of graph.edges) keyed.push({ id: e.id, key: { t: e.t, h: e.h } });
  keyed.sort((a, b) => compareKey(a.key, b.key));
  const steps: Step[] = [];
  const stepOf = new Map<string, number>();
  const revealed: string[][] = [];
  for (const k of keyed) {
    const last = steps[steps.length - 1];
    if (!last || compareKey(last, k.key) !== 0) {
      steps.push(k.key);
      revealed.push([]);
    }
    stepOf.set(k.id, steps.length - 1);
    revealed[revealed.length - 1]!.push(k.id);
  }
  return { steps, stepOf, revealed };
}

/**
 * The last step whose instant is at or before `t` (all hops of that instant): the state of the walk
 * at `t`. -1 when `t` is before every step. `t` null means "before any known instant".
 */
export function stepAt(timeline: Timeline, t: number | null): number {
  let lo = 0;
  let hi = timeline.steps.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (compareTime(timeline.steps[mid]!.t, t) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Ids visible at step `index` (everything revealed at it or before). */
export function visibleAt(timeline: Timeline, index: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= index && i < timeline.revealed.length; i++) for (const id of timeline.revealed[i]!) out.add(id);
  return out;
}

export interface PlaybackOptions {
  /**
   * Whole walk duration when played from the start, in ms; each step gets an equal share.
   * @default 9000
   */
  totalMs?: number;
  /**
   * Shortest and longest time on one step, in ms.
   * @default [40, 600]
   */
  stepBounds?: [number, number];
}

/** How long to stay on each step so a walk of `steps` steps plays in about `totalMs`. */
export function stepDuration(steps: number, options: PlaybackOptions = {}): number {
  const total = options.totalMs ?? 9000;
  const [min, max] = options.stepBounds ?? [40, 600];
  if (steps <= 1) return min;
  return Math.min(max, Math.max(min, Math.round(total / steps)));
}
