/**
 * The app factory, apart from `listen`: createApp returns a fetch handler and a Node request listener
 * over one graphql-yoga server. Tests call `app.fetch(request)` in process; `listen` (listen.ts) and
 * `blast serve` put it on a socket.
 *
 * Request pipeline (each step a small plugin): loopback Host check (open mode only), /healthz and
 * /readyz, export downloads (/exports/…, their own bearer check), the explorer's static files, the
 * body size limit, the bearer token (HTTP 401), then
 * GraphQL with CSRF prevention, graphql-armor limits (depth, cost, aliases, tokens, directives), a
 * per-request timeout and masked errors. Roles are checked by the resolvers (FORBIDDEN).
 */
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GraphStore } from '../store/graph-store.js';
import { formatTime } from '../model/time.js';
import { useArmor } from './armor.js';
import { parseTokens, type TokenTable } from './auth.js';
import { useBodyLimit } from './body-limit.js';
import { createContextFactory, type ApiContext } from './context.js';
import { useDownloadRoute } from './download-route.js';
import { createMaskError, type ErrorLog } from './errors.js';
import { EngineRuns } from './engine-runs.js';
import { EXPORTS_PATH, ExportDownloads } from './export-downloads.js';
import { useExecutionTimeout } from './execution-timeout.js';
import { IncidentWatcher, useIncidentWatch, type IncidentWatchOptions } from './incident-watcher.js';
import { WebhookSender, type WebhookOptions } from './incident-webhooks.js';
import { useNoIntrospection } from './no-introspection.js';
import { HEALTH_PATH, READY_PATH, useHealthRoutes } from './health-routes.js';
import { resolveLimits, type ApiLimits } from './limits.js';
import { LOOPBACK_HOSTS, useAllowedHosts } from './loopback-hosts.js';
import { packageRoot } from '../package-root.js';
import { useRequireToken } from './require-token.js';
import { useResultSizeLimit } from './result-size.js';
import { buildSchema } from './schema.js';
import { useSecurityHeaders } from './security-headers.js';
import { useStaticFiles } from './static-files.js';
import { StoreHealth, guardStore, type StoreHealthOptions } from './store-health.js';

export const GRAPHQL_PATH = '/graphql';

/** True when `Host` and the request target make a URL (what the fetch adapter builds from them). */
function validRequestUrl(host: string | undefined, target: string | undefined): boolean {
  if (host !== undefined && !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+;=-]+)(:\d{1,5})?$/.test(host)) return false;
  try {
    new URL(target ?? '/', `http://${host ?? 'localhost'}`);
    return true;
  } catch {
    return false;
  }
}

/** The header a GET query or a form-encoded POST must carry (CSRF prevention); JSON POSTs need none. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export interface AppOptions {
  /** The store to serve; the app never closes it (its opener does). */
  store: GraphStore;
  /**
   * Bearer tokens and roles: a TokenTable or the BLAST_TOKENS text `tokenA:admin,tokenB:viewer`.
   * @default null: no token needed, every caller is admin (loopback use)
   * @example createApp({ store, tokens: process.env.BLAST_TOKENS })
   */
  tokens?: TokenTable | string | null;
  /**
   * Production mode: no GraphiQL, no introspection, no field suggestions in errors.
   * @default process.env.NODE_ENV === 'production'
   */
  production?: boolean;
  /** Overrides of the limits in limits.ts. @example { maxBodyBytes: 64 * 1024 * 1024 } */
  limits?: Partial<ApiLimits>;
  /**
   * The built web explorer to serve at `/`.
   * @default <package root>/web/dist
   */
  webRoot?: string | null;
  /**
   * Host names served without tokens. Ignored when tokens are set.
   * @default ['localhost', '127.0.0.1', '[::1]'] (with $BLAST_ALLOWED_HOSTS added by `blast serve`)
   */
  allowedHosts?: readonly string[];
  /** Store outage handling (probe interval, ping timeout). */
  health?: StoreHealthOptions;
  /** Where unexpected errors are logged. @default console.error */
  log?: ErrorLog;
  /**
   * Re-evaluate open incidents after every committed change and store revisions (incident-watcher.ts).
   * @default null (off; `blast serve` turns it on)
   * @example { pollMs: 5000 }
   */
  watchIncidents?: IncidentWatchOptions | null;
  /**
   * POST each incident revision there, signed (incident-webhooks.ts); needs `watchIncidents`.
   * @default null (`blast serve`: from BLAST_WEBHOOK_URL and BLAST_WEBHOOK_SECRET)
   */
  webhook?: WebhookOptions | null;
}

export interface App {
  /** Handles one request in process (WHATWG fetch). */
  fetch(request: Request): Promise<Response>;
  /** The same app as a Node `http` request listener. */
  requestListener: (req: IncomingMessage, res: ServerResponse) => void;
  /** The store's breaker (tests and /readyz). */
  health: StoreHealth;
  limits: ApiLimits;
  /** Export archives awaiting download. */
  downloads: ExportDownloads;
  /** Stops background probes and deletes export archives. Does not close the store. */
  close(): Promise<void>;
  yoga: YogaServerInstance<Record<string, unknown>, ApiContext>;
  /** The incident watcher, when `watchIncidents` is on. */
  watcher: IncidentWatcher | null;
  /** The webhook sender, when `webhook` is set. */
  webhook: WebhookSender | null;
}

/**
 * Builds the app over a store. Nothing listens yet: call `app.fetch(request)` in process, or `listen`.
 * @example
 * const app = createApp({ store, tokens: process.env.BLAST_TOKENS });
 * const res = await app.fetch(new Request('http://127.0.0.1/graphql', {
 *   method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ query: '{ stats { totalNodes } }' }),
 * }));
 */
export function createApp(options: AppOptions): App {
  const limits = resolveLimits(options.limits);
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const tokens = typeof options.tokens === 'string' ? parseTokens(options.tokens) : (options.tokens ?? null);
  const log: ErrorLog = options.log ?? { error: (message, err) => console.error(`blast serve: ${message}:`, err) };
  // Checked first: a bad webhook URL fails here, before anything starts.
  const webhook = options.watchIncidents && options.webhook ? new WebhookSender(options.webhook, log) : null;
  const health = new StoreHealth(options.store, options.health);
  const store = guardStore(options.store, health);
  const webRoot = options.webRoot === undefined ? join(packageRoot(), 'web', 'dist') : options.webRoot;
  const downloads = new ExportDownloads(limits);
  const engine = new EngineRuns(limits.requestTimeoutMs);

  const plugins: Plugin[] = [
    useSecurityHeaders(GRAPHQL_PATH),
    useAllowedHosts(tokens ? null : (options.allowedHosts ?? LOOPBACK_HOSTS)),
    useHealthRoutes(health),
    useDownloadRoute(downloads, tokens),
    useStaticFiles(webRoot, [GRAPHQL_PATH, HEALTH_PATH, READY_PATH, EXPORTS_PATH], production),
    useBodyLimit(limits.maxBodyBytes),
    useRequireToken(tokens, { graphiql: !production }),
    useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }),
    useArmor(limits, production),
    useResultSizeLimit(limits),
    useExecutionTimeout(limits.requestTimeoutMs),
  ];
  if (production) {
    plugins.push(useNoIntrospection());
  }
  const now = () => formatTime(process.env.BLAST_NOW ? Date.parse(process.env.BLAST_NOW) : Date.now());
  const watcher = options.watchIncidents ? new IncidentWatcher(store, now, log, options.watchIncidents, engine.runner(store)) : null;
  if (watcher) plugins.push(useIncidentWatch(watcher));
  if (webhook) watcher!.onRevision((event) => webhook.send(event));

  const yoga = createYoga<Record<string, unknown>, ApiContext>({
    schema: buildSchema(),
    context: createContextFactory({ store, tokens, limits, downloads, engine }),
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: !production,
    landingPage: false,
    // Same-origin only: the explorer is served from here, and an open CORS policy would let any web
    // page drive a token-less loopback server.
    cors: false,
    multipart: false,
    batching: false,
    maxRequestBodySize: limits.maxBodyBytes,
    maskedErrors: { maskError: createMaskError(log, limits) },
    logging: false,
    plugins,
  });

  const yogaListener = yoga as unknown as App['requestListener'];
  watcher?.start();
  return {
    fetch: (request) => Promise.resolve(yoga.fetch(request)),
    requestListener: (req, res) => {
      // A Host header (or request target) that makes no URL would reach the fetch adapter as a 500
      // with a stack trace: answer 400 here, naming the header, never echoing more than it.
      if (!validRequestUrl(req.headers.host, req.url)) {
        res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
        res.end(JSON.stringify({ errors: [{ message: 'malformed Host header or request target', extensions: { code: 'BAD_INPUT', input: 'Host' } }] }));
        return;
      }
      yogaListener(req, res);
    },
    health,
    limits,
    downloads,
    async close() {
      await watcher?.close();
      await webhook?.close();
      health.close();
      await downloads.close();
      await engine.close();
    },
    yoga,
    watcher,
    webhook,
  };
}
