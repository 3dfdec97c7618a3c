/**
 * `blast`: the command line (ARCHITECTURE.md, CLI contract). Each command lives in commands/ and
 * registers itself; main owns option parsing, the store's lifetime and the one-line error rule.
 */
import { Command, CommanderError } from 'commander';
import { createCliContext, errorLine, exitCodeOf } from './context.js';
import { registerIngest } from './commands/ingest.js';
import { registerStats } from './commands/stats.js';
import { registerRadius } from './commands/radius.js';
import { registerCompromise } from './commands/compromise.js';
import { registerServe } from './commands/serve.js';
import { registerExport } from './commands/export.js';
import { registerVerify } from './commands/verify.js';
import { registerUnchecked } from './commands/unchecked.js';
import { registerLoad } from './commands/load.js';
import { registerPlan } from './commands/plan.js';
import { registerRotationQueue } from './commands/rotation-queue.js';
import { registerIncident } from './commands/incident.js';

export const VERSION = '0.1.0';

export interface MainIo {
  out: (text: string) => void;
  /** Like out, resolving once the text may be followed by more (stdout's backpressure). */
  write?: (text: string) => Promise<void>;
  err: (text: string) => void;
  interactive: boolean;
}

const defaultIo: MainIo = {
  out: (t) => process.stdout.write(t),
  write: (t) =>
    new Promise<void>((resolve, reject) => {
      if (process.stdout.write(t)) return resolve();
      const done = (err?: Error) => {
        process.stdout.off('drain', done);
        process.stdout.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      process.stdout.on('drain', done);
      process.stdout.on('error', done);
    }),
  err: (t) => process.stderr.write(t),
  interactive: Boolean(process.stderr.isTTY),
};

/** Runs the CLI and resolves to the exit code. */
export async function main(argv: string[], io: MainIo = defaultIo): Promise<number> {
  const program = new Command('blast')
    .description('Blast Radius: from a compromised package, action, credential or host to every reachable asset and affected customer.')
    .version(VERSION)
    .option('--store <store>', 'embedded or neo4j (default: $BLAST_STORE, else embedded)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError(false);
  const ctx = createCliContext(() => program.opts().store, io);
  // Commands register here; each adds its own options and calls ctx.
  registerIngest(program, ctx);
  registerStats(program, ctx);
  registerCompromise(program, ctx);
  registerRadius(program, ctx);
  registerServe(program, ctx);
  registerExport(program, ctx);
  registerVerify(program, ctx);
  registerUnchecked(program, ctx);
  registerLoad(program, ctx);
  registerPlan(program, ctx);
  registerRotationQueue(program, ctx);
  registerIncident(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? 0 : 2;
    }
    io.err(errorLine(err) + '\n');
    if (process.env.BLAST_DEBUG) io.err(`${(err as Error).stack}\n`);
    return exitCodeOf(err);
  } finally {
    await ctx.closeStore().catch(() => undefined);
  }
}
