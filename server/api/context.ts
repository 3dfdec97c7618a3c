/**
 * The typed request context, built by one factory: what every resolver may use. Resolvers reach the
 * graph only through `store` (the GraphStore contract, guarded by the store-health breaker) and
 * `loaders`; they never see a driver.
 */
import type { YogaInitialContext } from 'graphql-yoga';
import { formatTime } from '../model/time.js';
import type { GraphStore } from '../store/graph-store.js';
import { authenticate, requireRole, type Role, type TokenTable } from './auth.js';
import type { EngineRuns } from './engine-runs.js';
import type { ExportDownloads } from './export-downloads.js';
import type { ApiLimits } from './limits.js';
import { createLoaders, type Loaders } from './loaders.js';
import { apiError } from './errors.js';
import { ResultBudget } from './result-size.js';

export interface ApiContext {
  store: GraphStore;
  loaders: Loaders;
  /** The caller's role (admin when the server has no tokens). */
  role: Role;
  /** True when tokens are configured. */
  authRequired: boolean;
  /** Who is calling: the hex SHA-256 of the bearer token, '' on an open server (see auth.ts). */
  principal: string;
  limits: ApiLimits;
  /** Export archives awaiting download (the exportBlastRadius mutation). */
  downloads: ExportDownloads;
  /** Blast radii off the event loop, the last few kept for paging (engine-runs.ts). */
  engine: EngineRuns;
  /** Throws FORBIDDEN unless the caller has `needed`. */
  require(needed: Role, action: string): void;
  /** The current instant as canonical ISO-8601 (BLAST_NOW when set, for reproducible runs). */
  now(): string;
  /**
   * The request's run-time ceiling and deadline: list resolvers charge what they return, long walks
   * call `check()` between steps (TIMEOUT once the request is abandoned).
   */
  budget: ResultBudget;
  /** Stops the request's remaining work (the execution timeout and a client that went away call it). */
  abort(reason?: unknown): void;
}

export interface ContextDeps {
  store: GraphStore;
  tokens: TokenTable | null;
  limits: ApiLimits;
  downloads: ExportDownloads;
  engine: EngineRuns;
}

/** Returns yoga's `context` factory. */
export function createContextFactory(deps: ContextDeps) {
  return (initial: YogaInitialContext): ApiContext => {
    // The HTTP layer already answered 401 to bad tokens; this re-check keeps in-process callers honest.
    const auth = authenticate(initial.request.headers.get('authorization'), deps.tokens);
    if (!auth.ok) throw apiError('UNAUTHENTICATED', auth.reason);
    const role = auth.role;
    const controller = new AbortController();
    const stop = () => controller.abort();
    if (initial.request.signal.aborted) stop();
    else initial.request.signal.addEventListener('abort', stop, { once: true });
    return {
      store: deps.store,
      loaders: createLoaders(deps.store),
      role,
      authRequired: deps.tokens !== null,
      principal: auth.principal,
      limits: deps.limits,
      downloads: deps.downloads,
      engine: deps.engine,
      require: (needed, action) => requireRole(role, needed, action),
      now: () => formatTime(process.env.BLAST_NOW ? Date.parse(process.env.BLAST_NOW) : Date.now()),
      budget: new ResultBudget(deps.limits.maxResultObjects, controller.signal),
      abort: (reason) => controller.abort(reason),
    };
  };
}
