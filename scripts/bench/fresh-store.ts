/** An empty store for one benchmark run, and how to put it away after. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphStore, StoreBackend } from '../../server/store/graph-store.js';
import { openStore, storeSettingsFromEnv } from '../../server/store/open-store.js';

/**
 * embedded: a new store in a temporary folder named `${tmpPrefix}XXXXXX`, removed by `cleanup`.
 * neo4j: the database the environment names (NEO4J_URI, ...), emptied before and after.
 */
export async function freshStore(backend: StoreBackend, tmpPrefix: string): Promise<{ store: GraphStore; cleanup: () => Promise<void> }> {
  if (backend === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
    const store = await openStore({ backend, dataDir: dir });
    return { store, cleanup: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const store = await openStore(storeSettingsFromEnv(process.env, 'neo4j'));
  await store.clear();
  return { store, cleanup: async () => (await store.clear(), await store.close()) };
}
