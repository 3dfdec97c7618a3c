/**
 * The search's priority queue: labels by (arrival, hops), in O(1) per label plus a small heap over
 * the distinct arrival instants. Within one (arrival, hops) the order does not matter (see search in
 * blast-radius.ts), and the search is monotone: every label pushed is at or after the one last
 * popped in (arrival, hops), so an instant's buckets only grow at or beyond the position drained.
 * Labels come out of a bucket in the order they went in, so the search stays deterministic.
 */
import { MinHeap } from './min-heap.js';

export class ArrivalQueue {
  /** Pending arrival instants, each once (-Infinity, unknown, first). */
  private readonly instants = new MinHeap<number>((a, b) => a < b);
  /** Per pending instant, its labels by hops. */
  private readonly buckets = new Map<number, number[][]>();
  /** The instant being drained, its buckets, and the position in them. */
  private currentAt = NaN;
  private current: number[][] | null = null;
  private hops = 0;
  private next = 0;
  /** The instant last pushed to and its buckets: most pushes share it. */
  private lastAt = NaN;
  private lastSet: number[][] = [];

  push(label: number, arrival: number, hops: number): void {
    let set = arrival === this.lastAt ? this.lastSet : this.buckets.get(arrival);
    if (set === undefined) {
      set = [];
      this.buckets.set(arrival, set);
      this.instants.push(arrival);
    }
    this.lastAt = arrival;
    this.lastSet = set;
    (set[hops] ??= []).push(label);
  }

  /** The next label in (arrival, hops) order, or undefined when none is left. */
  pop(): number | undefined {
    for (;;) {
      if (this.current === null) {
        const at = this.instants.pop();
        if (at === undefined) return undefined;
        this.currentAt = at;
        this.current = this.buckets.get(at)!;
        this.hops = 0;
        this.next = 0;
      }
      const set = this.current;
      while (this.hops < set.length) {
        const bucket = set[this.hops];
        if (bucket !== undefined && this.next < bucket.length) return bucket[this.next++];
        this.hops++;
        this.next = 0;
      }
      this.buckets.delete(this.currentAt);
      if (this.lastAt === this.currentAt) this.lastAt = NaN;
      this.current = null;
    }
  }
}
