/**
 * Progress for long work: silent for the first second, then a line that redraws on a terminal
 * (or one line per phase when stderr is not a terminal, so CI logs stay readable).
 */
export interface Progress {
  phase(name: string, detail?: string): void;
  done(): void;
}

/** How long work runs before progress shows. @default 1000 ms (BLAST_PROGRESS_DELAY_MS) */
const DELAY_MS = Number(process.env.BLAST_PROGRESS_DELAY_MS ?? 1000);

export function startProgress(label: string, write: (text: string) => void, interactive: boolean, delayMs = DELAY_MS): Progress {
  const started = Date.now();
  let phase = 'starting';
  let detail = '';
  let shown = false;
  const render = () => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const line = `${label}: ${phase}${detail ? ` ${detail}` : ''} (${secs}s)`;
    if (interactive) write(`\r\u001b[2K${line}`);
    else write(`${line}\n`);
    shown = true;
  };
  const timer = setInterval(() => {
    if (Date.now() - started >= delayMs && interactive) render();
  }, 200);
  timer.unref();
  return {
    phase(name, d = '') {
      phase = name;
      detail = d;
      if (Date.now() - started >= delayMs && !interactive) render();
    },
    done() {
      clearInterval(timer);
      if (shown && interactive) write('\r\u001b[2K');
    },
  };
}
