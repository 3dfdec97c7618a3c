/**
 * Progress for long work: silent for the first second, then a line that redraws on a terminal
 * (or one line per phase when stderr is not a terminal, so CI logs stay readable).
 */
export interface Progress {
  phase(name: string, detail?: string): void;
  done(): void;
}

export function startProgress(label: string, write: (text: string) => void, interactive: boolean, delayMs = 1000): Progress {
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
