/** Runs `blast` commands in process against a test's store, the way the real CLI reaches it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { inject } from 'vitest';
import { createCliContext, type CliContext } from '../../server/cli/context.js';
import type { GraphStore } from '../../server/store/graph-store.js';

const BIN = fileURLToPath(new URL('../../bin/blast.js', import.meta.url));

/**
 * Runs one command line (`register` adds the command as main does, under the same global --store
 * option) against `store`: the command opens its own store from the environment, pointed at the same
 * data. Resolves to its stdout; rejects naming the command line and what it printed to stderr.
 *
 * @example
 * const json = await runCli(store, registerRadius, ['radius', '--format', 'json']);
 */
export async function runCli(store: GraphStore, register: (program: Command, ctx: CliContext) => void, args: string[]): Promise<string> {
  const saved = { ...process.env };
  if (store.backend === 'embedded') {
    process.env.BLAST_DATA_DIR = (store as unknown as { dir: string }).dir;
  } else {
    const neo4j = inject('neo4j');
    Object.assign(process.env, { NEO4J_URI: neo4j.uri, NEO4J_USER: neo4j.user, NEO4J_PASSWORD: neo4j.password });
    if (neo4j.database) process.env.NEO4J_DATABASE = neo4j.database;
  }
  let out = '';
  let err = '';
  const program = new Command('blast').option('--store <store>').exitOverride();
  const ctx = createCliContext(() => program.opts().store, { out: (t) => (out += t), err: (t) => (err += t), interactive: false });
  register(program, ctx);
  try {
    await program.parseAsync(['--store', store.backend, ...args], { from: 'user' });
    return out;
  } catch (e) {
    throw new Error(`blast ${args.join(' ')} failed: ${String(e)} ${err}`);
  } finally {
    await ctx.closeStore();
    process.env = saved;
  }
}

/**
 * Runs the built CLI (bin/blast.js, compiled by `npm test`'s build) in a child process against the
 * same data as `store`: another process, with its own connection. `nodeArgs` go to node (a heap cap).
 */
export function spawnCli(store: GraphStore, args: string[], nodeArgs: string[] = [], input?: string): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, BLAST_STORE: store.backend };
  const s = store.openSettings!;
  if (s.backend === 'embedded') env.BLAST_DATA_DIR = s.dataDir;
  else Object.assign(env, { NEO4J_URI: s.neo4j!.uri, NEO4J_USER: s.neo4j!.user, NEO4J_PASSWORD: s.neo4j!.password, ...(s.neo4j!.database && { NEO4J_DATABASE: s.neo4j!.database }) });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
    if (input !== undefined) child.stdin!.end(input);
  });
}
