/**
 * Progress for long work: silent for the first second, then a line that redraws on a terminal
 * (or one line per phase, and one every few seconds of counted work, when stderr is not a terminal,
 * so CI logs stay readable). Counted work (`count`) shows records/s and an ETA.
 *
 * `count` also renders by itself when due: a synchronous store write blocks the event loop, so the
 * redraw timer cannot fire while it runs.
 */
export interface Progress {
  phase(name: string, detail?: string): void;
  /** Counted work in the current phase: `done` of `total` records so far. */
  count(done: number, total: number): void;
  done(): void;
}

/** How long work runs before progress shows. @default 1000 ms (BLAST_PROGRESS_DELAY_MS) */
const DELAY_MS = Number(process.env.BLAST_PROGRESS_DELAY_MS ?? 1000);
/** Least time between two redraws on a terminal. */
const REDRAW_MS = 200;
/** Least time between two counted lines in a log (not a terminal). */
const LOG_EVERY_MS = 5000;

export function startProgress(label: string, write: (text: string) => void, interactive: boolean, delayMs = DELAY_MS): Progress {
  const started = Date.now();
  let phase = 'starting';
  let detail = '';
  let shown = false;
  let lastRender = 0;
  // Counted work of the current phase: when it started, and how far it is.
  let counted: { since: number; done: number; total: number } | null = null;
  const render = () => {
    const now = Date.now();
    const secs = ((now - started) / 1000).toFixed(1);
    const line = `${label}: ${phase}${detail ? ` ${detail}` : ''}${counted ? ` ${rateText(counted, now)}` : ''} (${secs}s)`;
    if (interactive) write(`\r\u001b[2K${line}`);
    else write(`${line}\n`);
    shown = true;
    lastRender = now;
  };
  const due = (gap: number) => Date.now() - started >= delayMs && Date.now() - lastRender >= gap;
  const timer = setInterval(() => {
    if (interactive && due(0)) render();
  }, REDRAW_MS);
  timer.unref();
  return {
    phase(name, d = '') {
      phase = name;
      detail = d;
      counted = null;
      if (!interactive && due(0)) render();
    },
    count(done, total) {
      if (counted?.done === done && counted.total === total) return;
      counted = { since: counted?.since ?? Date.now(), done, total };
      // Off a terminal also the last count of a phase, so a log shows the rate of each.
      if (due(interactive ? REDRAW_MS : done === total ? 0 : LOG_EVERY_MS)) render();
    },
    done() {
      clearInterval(timer);
      if (shown && interactive) write('\r\u001b[2K');
    },
  };
}

/** `120,000/500,000 records, 85,000 records/s, ETA 5s` (rate and ETA once there is something to go on). */
function rateText(c: { since: number; done: number; total: number }, now: number): string {
  const text = `${c.done.toLocaleString('en-US')}/${c.total.toLocaleString('en-US')} records`;
  const secs = (now - c.since) / 1000;
  if (c.done === 0 || secs < 0.05) return text;
  const rate = c.done / secs;
  return `${text}, ${formatRate(rate)}, ETA ${formatSeconds((c.total - c.done) / rate)}`;
}

/** `85,000 records/s`. */
export function formatRate(recordsPerSecond: number): string {
  return `${Math.round(recordsPerSecond).toLocaleString('en-US')} records/s`;
}

/** `0.4s`, `12s`, `3m05s`. */
export function formatSeconds(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) return '?';
  if (secs < 10) return `${secs.toFixed(1)}s`;
  if (secs < 60) return `${Math.round(secs)}s`;
  const m = Math.floor(secs / 60);
  return `${m}m${String(Math.round(secs - m * 60)).padStart(2, '0')}s`;
}

/** The final line of a counted command: `1,000 records in 2.0s (500 records/s)`. */
export function summaryLine(records: number, ms: number): string {
  const secs = Math.max(ms, 1) / 1000;
  return `${records.toLocaleString('en-US')} records in ${formatSeconds(secs)} (${formatRate(records / secs)})`;
}
