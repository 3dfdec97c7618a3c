/**
 * A small deterministic PRNG (mulberry32) for random graphs in tests: fast-check picks the seed, the
 * graph follows from it. `time()` draws one of `slots` instants `slotMs` apart from `day`, so that
 * arrivals often tie.
 */
import { formatTime } from '../../server/model/time.js';

export function prng(seed: number, clock: { day: number; slots: number; slotMs: number }) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    chance: (p: number) => next() < p,
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!,
    time: () => formatTime(clock.day + int(clock.slots) * clock.slotMs),
  };
}
