/**
 * `blast serve`: the GraphQL API at /graphql and the web explorer at / (what `npm start` runs).
 * Listens on $HOST:$PORT (default 127.0.0.1:4000); BLAST_TOKENS turns on bearer tokens. Starts even
 * while the store is down (/readyz says why) and shuts down cleanly on SIGINT or SIGTERM.
 */
import type { Command } from 'commander';
import { createApp } from '../../api/create-app.js';
import { webhookFromEnv } from '../../api/incident-webhooks.js';
import { deferredStore } from '../../api/deferred-store.js';
import { listen } from '../../api/listen.js';
import { LOOPBACK_HOSTS } from '../../api/loopback-hosts.js';
import { packageRoot } from '../../package-root.js';
import { prepareFile } from '../../ingest/ingest-file.js';
import { resolveAgainstStore } from '../../ingest/resolve.js';
import { badInput } from '../../model/errors.js';
import type { GraphStore } from '../../store/graph-store.js';
import { storeSettingsFromEnv } from '../../store/open-store.js';
import type { CliContext } from '../context.js';
import { errorLine } from '../context.js';

interface ServeFlags {
  host?: string;
  port?: string;
  seedIfEmpty?: boolean;
}

/** The reference scenario loaded by `--seed-if-empty`, relative to the package root. */
export const REFERENCE_SCENARIO = 'seed/reference/scenario.yaml';

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the GraphQL API (/graphql), the web explorer (/), /healthz and /readyz')
    .option('--host <host>', 'interface to listen on (default: $HOST, else 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default: $PORT, else 4000)')
    .option('--seed-if-empty', `load ${REFERENCE_SCENARIO} when the store is empty`)
    .action(async (flags: ServeFlags) => {
      const host = flags.host ?? process.env.HOST ?? '127.0.0.1';
      const port = portOf(flags.port ?? process.env.PORT ?? '4000');
      const tokens = process.env.BLAST_TOKENS?.trim() || null;
      const backend = storeSettingsFromEnv(process.env, program.opts().store as string | undefined).backend;
      const log = (line: string) => ctx.err(`blast serve: ${line}\n`);
      // Handlers first: a signal that arrives while starting still shuts down cleanly.
      const stopSignal = untilSignal();

      const store = deferredStore(backend, () => ctx.openStore(), {
        onOpen: flags.seedIfEmpty ? (s) => seedIfEmpty(s, log) : undefined,
        onError: (err) => log(`seeding failed: ${errorLine(err)}`),
      });
      // Open now when possible; when the store is down the server starts anyway and keeps trying.
      await store.ping().catch((err) => log(`the ${backend} store is not available yet (${errorLine(err)}); /readyz reports it, retrying in the background`));

      const extraHosts = (process.env.BLAST_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean);
      const app = createApp({ store, tokens, allowedHosts: [...LOOPBACK_HOSTS, ...extraHosts], watchIncidents: {}, webhook: webhookFromEnv(process.env) });
      const listening = await listen(app, { host, port });
      if (!tokens && !isLoopback(host)) {
        log(`WARNING: listening on ${host} without BLAST_TOKENS; only requests addressed to a loopback name are answered`);
      }
      log(`${listening.origin}/ (GraphQL at ${listening.origin}/graphql; store ${backend}; ${tokens ? 'bearer tokens required' : 'no token needed, loopback only'})`);
      ctx.out(`${listening.origin}/\n`);

      const signal = await stopSignal;
      log(`${signal}: shutting down`);
      await listening.close();
      log('stopped');
    });
}

async function seedIfEmpty(store: GraphStore, log: (line: string) => void): Promise<void> {
  if ((await store.countNodes()) > 0) return;
  const path = `${packageRoot()}/${REFERENCE_SCENARIO}`;
  const prepared = await prepareFile(path);
  const summary = await store.write(await resolveAgainstStore(prepared, store));
  log(`the store was empty: loaded ${REFERENCE_SCENARIO} (${summary.nodes.added} nodes, ${summary.edges.added} edges)`);
}

/** Resolves with the first SIGINT or SIGTERM; a second one exits at once. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

function portOf(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw badInput(`"${text}" is not a port number`, '--port');
  return Number(text);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

