/** Shared by the API suites: the reference scenario, an app over a store, and GraphQL over fetch. */
import { afterAll, beforeAll } from 'vitest';
import { createApp, type App, type AppOptions } from '../../server/api/create-app.js';
import { listen, type Listening } from '../../server/api/listen.js';
import type { GraphStore } from '../../server/store/graph-store.js';

export { INGESTED_AT, SCENARIO_PATH, SCENARIO_TEXT, loadScenario } from '../support/scenario.js';

/** Errors are expected in many tests; keep them out of the output unless asked. */
export const quietLog = { error: (message: string, err: unknown) => (process.env.BLAST_TEST_LOG ? console.error(message, err) : undefined) };

export function makeApp(store: GraphStore, opts: Omit<AppOptions, 'store'> = {}): App {
  return createApp({ store, webRoot: null, log: quietLog, ...opts });
}

export interface GqlResult<T = Record<string, any>> {
  status: number;
  body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }> };
  headers: Headers;
}

type Fetcher = (request: Request) => Promise<Response>;

export interface GqlOptions {
  token?: string;
  headers?: Record<string, string>;
}

/** Sends one GraphQL POST through `fetcher` (an in-process app.fetch or a real socket's fetch). */
export async function gql<T = Record<string, any>>(fetcher: Fetcher, base: string, query: string, variables?: Record<string, unknown>, opts: GqlOptions = {}): Promise<GqlResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const response = await fetcher(new Request(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) }));
  const text = await response.text();
  let body: GqlResult<T>['body'];
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, body, headers: response.headers };
}

/** The two ways every suite talks to the app: in process, and over a real socket on a free port. */
export interface Transport {
  name: 'in-process' | 'http';
  base: string;
  fetch: Fetcher;
  close(): Promise<void>;
}

export async function inProcess(app: App): Promise<Transport> {
  return { name: 'in-process', base: 'http://127.0.0.1', fetch: (r) => app.fetch(r), close: async () => undefined };
}

export async function overHttp(app: App): Promise<Transport & { listening: Listening }> {
  const listening = await listen(app, { host: '127.0.0.1', port: 0, shutdownGraceMs: 1000 });
  return { name: 'http', base: listening.origin, fetch: (r) => fetch(r), close: () => listening.close(), listening };
}

/**
 * Opens a transport before the enclosing `describe` runs (`open` is called then, once the suite's
 * store is open) and closes it after; hands it to `use`, so the suite keeps it in its own variable.
 *
 * @example
 * describe.each(TRANSPORTS)('over $name', ({ open }) => {
 *   let t: Transport;
 *   useTransport(() => open(makeApp(store)), (x) => (t = x));
 * });
 */
export function useTransport(open: () => Promise<Transport>, use: (t: Transport) => void): void {
  let t: Transport;
  beforeAll(async () => {
    t = await open();
    use(t);
  });
  afterAll(async () => {
    await t.close();
  });
}

export const TRANSPORTS = [
  { name: 'in-process', open: inProcess },
  { name: 'http', open: overHttp },
] as const;

/** The first error's code, or undefined. */
export function errorCode(result: GqlResult): unknown {
  return result.body.errors?.[0]?.extensions?.code;
}
