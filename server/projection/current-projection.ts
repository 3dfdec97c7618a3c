/**
 * The projection of a store's current state, kept per store in this process and, where the store
 * has a place for it (the embedded store's folder), on disk for the next process.
 *
 * Each call costs one graph-version read (GraphStore.graphVersion); the projection is reused while
 * the version holds, loaded from the file when the file describes that version, and otherwise built
 * from the store (and written back). Concurrent callers share one build. Writes by any process move
 * the version, so the next radius sees them.
 */
import type { GraphStore } from '../store/graph-store.js';
import { buildProjection } from './build.js';
import { readProjectionFile, writeProjectionFile } from './persist.js';
import type { Projection } from './projection.js';

interface Entry {
  current: Projection | null;
  pending: { version: string; promise: Promise<Projection> } | null;
}

const entries = new WeakMap<GraphStore, Entry>();

/** How the last projection was obtained, for progress lines and benchmarks. */
export type ProjectionOrigin = 'memory' | 'file' | 'built';

export interface ProjectionEvents {
  /** Called before a slow step starts (`loading` a file, `building` from the store). */
  onStep?: (step: 'loading' | 'building') => void;
  /**
   * Builds (and persists, where the store has a place) the projection elsewhere: the server's engine
   * pool does it in a worker thread. @default buildProjection in this thread, then persisted
   */
  build?: () => Promise<Projection>;
}

export async function currentProjection(store: GraphStore, events: ProjectionEvents = {}): Promise<{ projection: Projection; origin: ProjectionOrigin }> {
  const version = await store.graphVersion();
  let entry = entries.get(store);
  if (!entry) {
    entry = { current: null, pending: null };
    entries.set(store, entry);
  }
  if (entry.current?.version === version) return { projection: entry.current, origin: 'memory' };
  if (entry.pending?.version === version) return { projection: await entry.pending.promise, origin: 'built' };
  let origin: ProjectionOrigin = 'built';
  const promise = (async () => {
    const path = store.projectionPath;
    if (path) {
      events.onStep?.('loading');
      const loaded = await readProjectionFile(path, version);
      if (loaded) {
        origin = 'file';
        return loaded;
      }
    }
    events.onStep?.('building');
    if (events.build) return events.build();
    const built = await buildProjection(store);
    // A folder we cannot write to (read-only media) only costs the next process a rebuild.
    if (path) await writeProjectionFile(path, built).catch(() => undefined);
    return built;
  })();
  const pending = { version, promise };
  entry.pending = pending;
  try {
    const projection = await promise;
    if (!entry.current || entry.current.version !== projection.version) entry.current = projection;
    return { projection, origin };
  } finally {
    if (entry.pending === pending) entry.pending = null;
  }
}

/** Forgets the projection held for `store` in this process (tests; a store being closed). */
export function forgetProjection(store: GraphStore): void {
  entries.delete(store);
}
