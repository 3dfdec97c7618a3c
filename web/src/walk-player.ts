/**
 * The walk's playback: which step of the timeline is shown, playing it step by step, scrubbing to an
 * instant, and telling waiters (tests, benchmarks) when it stands still. Elements not yet reached at
 * the current step carry the class `future`; the timeline's ids are whatever is drawn (nodes and
 * edges, or groups in the overview).
 */
import type { Core } from 'cytoscape';
import { stepAt, stepDuration, type Timeline } from './timeline.js';
import { formatTime } from './types.js';

export interface WalkPlayerHost {
  cy(): Core;
  /** How long a whole walk plays (ms). */
  walkMs(): number;
  /** A walk is being fetched: waiters wait for it. */
  loading(): boolean;
  /** The step, or playing, changed: redraw the controls. */
  changed(): void;
  /** The scrubber's instant to keep in the URL (null: the end of the walk). */
  instant(t: string | null): void;
  /** Something other than a walk (a neighbourhood) is drawn and finished. */
  otherViewDrawn(): boolean;
}

export class WalkPlayer {
  timeline: Timeline | null = null;
  step = -1;
  playing = false;
  /** Counted drawn nodes visible at each step. */
  shownUpTo: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<() => void> = [];

  constructor(private readonly host: WalkPlayerHost) {}

  /** Reached nodes in all (the scrubber's "of N"). */
  total = 0;

  /**
   * A new timeline over what was just drawn (every element visible: the last step).
   * @param counts reached nodes at each step and in all, for the scrubber's label
   */
  load(timeline: Timeline | null, counts: { shownUpTo: number[]; total: number } = { shownUpTo: [], total: 0 }): void {
    this.timeline = timeline;
    this.shownUpTo = timeline ? counts.shownUpTo : [];
    this.total = timeline ? counts.total : 0;
    this.step = timeline ? timeline.steps.length - 1 : -1;
  }

  setStep(index: number, opts: { url?: boolean } = {}): void {
    const tl = this.timeline;
    if (!tl || tl.steps.length === 0) return;
    const target = Math.max(0, Math.min(tl.steps.length - 1, index));
    const cy = this.host.cy();
    const cur = this.step;
    if (target !== cur) {
      cy.startBatch();
      if (target > cur) {
        for (let k = cur + 1; k <= target; k++) for (const id of tl.revealed[k]!) cy.getElementById(id).removeClass('future');
      } else {
        for (let k = target + 1; k <= cur; k++) for (const id of tl.revealed[k]!) cy.getElementById(id).addClass('future');
      }
      cy.endBatch();
      this.step = target;
    }
    this.host.changed();
    if (opts.url !== false && !this.playing) {
      const last = target === tl.steps.length - 1;
      const t = tl.steps[target]!.t;
      this.host.instant(last || t === null ? null : formatTime(t));
    }
    if (!this.playing) this.resolveWaiters();
  }

  /** Shows the walk as it stood at an instant (ISO), or its end for null. */
  scrubTo(iso: string | null): void {
    if (!this.timeline) return;
    this.pause();
    const index = iso === null ? this.timeline.steps.length - 1 : stepAt(this.timeline, Date.parse(iso));
    // Before every instant: only what has no known time (the seeds) stays.
    this.setStep(Math.max(0, index), { url: false });
    this.host.instant(iso);
  }

  play(): void {
    const tl = this.timeline;
    if (!tl || tl.steps.length < 2) return;
    if (this.step >= tl.steps.length - 1) this.setStep(0, { url: false });
    this.playing = true;
    const each = stepDuration(tl.steps.length, { totalMs: this.host.walkMs() });
    const tick = () => {
      if (!this.playing || !this.timeline) return;
      this.setStep(this.step + 1, { url: false });
      if (this.step >= this.timeline.steps.length - 1) {
        this.pause();
        this.host.instant(null);
        this.resolveWaiters();
        return;
      }
      this.timer = setTimeout(tick, each);
    };
    this.timer = setTimeout(tick, each);
    this.host.changed();
  }

  pause(): void {
    const was = this.playing;
    this.playing = false;
    clearTimeout(this.timer);
    this.host.changed();
    if (was) this.resolveWaiters();
  }

  /**
   * Resolves when the walk has stopped: loaded, drawn, and not playing (at its end, or at the instant a
   * link or the scrubber asked for); for a neighbourhood, once it is drawn.
   */
  finished(): Promise<void> {
    if (!this.host.loading() && !this.playing && (this.timeline || this.host.otherViewDrawn())) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  resolveWaiters(): void {
    if (this.host.loading()) return;
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }
}
