/**
 * How the server computes blast radii: the search (and, where the store can be opened from another
 * thread, the projection build) in the engine pool's worker threads, so the event loop keeps
 * answering; bounded by the request's time limit, after which the work is really stopped. The last
 * few answers are kept per graph version, so paging through a large radius does not recompute it.
 */
import { normaliseOptions, normaliseSeeds } from '../engine/blast-options.js';
import { runBlastRadius, type BlastOptions, type BlastRun, type RunOptions, type SeedInput } from '../engine/blast-radius.js';
import type { GraphStore } from '../store/graph-store.js';
import { EnginePool } from '../workers/engine-pool.js';

/** Answers kept for paging. */
const KEEP = 4;

export class EngineRuns {
  private readonly pool: EnginePool;
  private readonly kept = new Map<string, BlastRun>();

  constructor(
    private readonly timeoutMs: number,
    options: { workers?: number } = {},
  ) {
    this.pool = new EnginePool({ size: options.workers });
  }

  /** `signal`: the request's; when it fires the search in its worker is stopped. */
  async run(store: GraphStore, seeds: readonly SeedInput[], options: BlastOptions, signal?: AbortSignal): Promise<BlastRun> {
    // Normalised first: bad input is BAD_INPUT before any work, and equal questions share a key.
    const key = JSON.stringify([normaliseSeeds(seeds), normaliseOptions(options)]);
    const version = await store.graphVersion();
    const kept = this.kept.get(`${version}\n${key}`);
    if (kept) return kept;
    const settings = store.openSettings;
    const run = await runBlastRadius(store, seeds, options, {
      search: (p, q) => this.pool.search(p, q, this.timeoutMs, signal),
      // A build outlives the request that started it (the next request finds it done), within reason.
      ...(settings && { build: () => this.pool.build(settings, store.projectionPath, this.timeoutMs * 10) }),
    });
    this.kept.set(`${run.projection.version}\n${key}`, run);
    while (this.kept.size > KEEP) this.kept.delete(this.kept.keys().next().value!);
    return run;
  }

  /**
   * How background work (the incident watcher) runs its searches and builds: in this pool, like a
   * request's, but bound to no request; stopped after ten request time limits.
   */
  runner(store: GraphStore): RunOptions {
    const pool = this.pool;
    const limit = this.timeoutMs * 10;
    return {
      search: (p, q) => pool.search(p, q, limit),
      // Looked up at each build: a store `blast serve` opens later has no settings before it is open.
      get build() {
        const settings = store.openSettings;
        return settings && (() => pool.build(settings, store.projectionPath, limit));
      },
    };
  }

  async close(): Promise<void> {
    this.kept.clear();
    await this.pool.close();
  }
}
