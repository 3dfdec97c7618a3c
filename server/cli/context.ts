/** What every CLI command shares: the chosen store, output streams and the one-line error rule. */
import { BlastError } from '../model/errors.js';
import type { GraphStore } from '../store/graph-store.js';
import { openStore, storeSettingsFromEnv } from '../store/open-store.js';

export interface CliContext {
  /** Opens the store named by `--store` (else BLAST_STORE, else embedded). Closed by main. */
  openStore(): Promise<GraphStore>;
  out(text: string): void;
  /** Writes to stdout, resolving when it may take more (a large answer never piles up in memory). */
  write(text: string): Promise<void>;
  err(text: string): void;
  /** True when stderr is a terminal (progress bars are drawn only then). */
  interactive: boolean;
}

export function createCliContext(
  getStoreOption: () => string | undefined,
  io: { out: (t: string) => void; write?: (t: string) => Promise<void>; err: (t: string) => void; interactive: boolean },
): CliContext & { closeStore(): Promise<void> } {
  let opened: GraphStore | undefined;
  return {
    async openStore() {
      if (!opened) opened = await openStore(storeSettingsFromEnv(process.env, getStoreOption()));
      return opened;
    },
    async closeStore() {
      await opened?.close();
      opened = undefined;
    },
    out: io.out,
    write: io.write ?? (async (t) => io.out(t)),
    err: io.err,
    interactive: io.interactive,
  };
}

/** The one line a failed command prints: `blast: <input> at <where>: <problem> [CODE]`. */
export function errorLine(err: unknown): string {
  if (err instanceof BlastError) return `blast: ${err.oneLine()} [${err.code}]`;
  const message = err instanceof Error ? err.message : String(err);
  return `blast: ${message.split('\n')[0]}`;
}

/** Exit codes: 1 bad input or not found, 2 usage, 3 store unavailable, 4 internal. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof BlastError) return err.code === 'STORE_UNAVAILABLE' ? 3 : err.code === 'INTERNAL' ? 4 : 1;
  return 4;
}
