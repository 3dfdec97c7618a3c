/**
 * The store adapters every integration suite runs over (`describe.each(STORES)`). Adding a backend is
 * one entry here; a backend that cannot start fails the run, it is never skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import type { GraphBatch } from '../../server/model/types.js';
import type { GraphStore, StoreBackend } from '../../server/store/graph-store.js';
import { openStore } from '../../server/store/open-store.js';

export interface StoreAdapter {
  backend: StoreBackend;
  /** Opens an empty store. */
  setup(): Promise<GraphStore>;
  /** Closes it and removes what it left. */
  teardown(store: GraphStore): Promise<void>;
}

const dirs = new WeakMap<GraphStore, string>();

export const STORES: StoreAdapter[] = [
  {
    backend: 'embedded',
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'blast-embedded-'));
      const store = await openStore({ backend: 'embedded', dataDir: dir });
      dirs.set(store, dir);
      return store;
    },
    async teardown(store) {
      await store.close();
      const dir = dirs.get(store);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  },
  {
    backend: 'neo4j',
    async setup() {
      const store = await openStore({ backend: 'neo4j', neo4j: inject('neo4j') });
      await store.clear();
      return store;
    },
    async teardown(store) {
      await store.clear();
      await store.close();
    },
  },
];

export interface SuiteStoreHooks {
  /** Runs once when the store is open, before the suite's tests: loading a graph, say. */
  prepare?: (store: GraphStore) => Promise<unknown>;
  /** Runs before every test of the suite: `(s) => s.clear()` for tests that each write their own graph. */
  beforeEach?: (store: GraphStore) => Promise<unknown>;
}

/**
 * Opens `adapter`'s store before the enclosing `describe` runs and tears it down after it. The store
 * is handed to `use` as soon as it is open, so the suite keeps it in its own variable:
 *
 * @example
 * describe.each(STORES)('queries: $backend', (adapter) => {
 *   let store: GraphStore;
 *   useStore(adapter, (s) => (store = s), { prepare: loadScenario });
 *   it('...', async () => expect(await store.stats()) ...);
 * });
 */
export function useStore(adapter: StoreAdapter, use: (store: GraphStore) => void, hooks: SuiteStoreHooks = {}): void {
  let store: GraphStore;
  beforeAll(async () => {
    store = await adapter.setup();
    use(store);
    await hooks.prepare?.(store);
  });
  afterAll(async () => {
    await adapter.teardown(store);
  });
  const each = hooks.beforeEach;
  if (each) {
    beforeEach(async () => {
      await each(store);
    });
  }
}

/** A `beforeEach` for tests that each start from the same small graph: empties the store, then writes `graph()`. */
export function startFrom(graph: () => GraphBatch): (store: GraphStore) => Promise<void> {
  return async (store) => {
    await store.clear();
    await store.write(graph());
  };
}
