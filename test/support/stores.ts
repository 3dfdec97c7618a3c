/**
 * The store adapters every integration suite runs over (`describe.each(STORES)`). Adding a backend is
 * one entry here; a backend that cannot start fails the run, it is never skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
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
