/** Opens the configured store: `--store` or BLAST_STORE, else embedded. */
import { BlastError } from '../model/errors.js';
import type { GraphStore } from './graph-store.js';
import type { StoreSettings } from './store-settings.js';

export type { Neo4jSettings, StoreSettings } from './store-settings.js';

/** Settings from the environment: BLAST_STORE, BLAST_DATA_DIR, NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE. */
export function storeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, backend?: string): StoreSettings {
  const chosen = backend ?? env.BLAST_STORE ?? 'embedded';
  if (chosen !== 'embedded' && chosen !== 'neo4j') {
    throw new BlastError('BAD_INPUT', `unknown store "${chosen}" (expected embedded or neo4j)`, { input: '--store' });
  }
  return {
    backend: chosen,
    dataDir: env.BLAST_DATA_DIR || '.blast',
    neo4j: {
      uri: env.NEO4J_URI || 'bolt://127.0.0.1:7687',
      user: env.NEO4J_USER || 'neo4j',
      password: env.NEO4J_PASSWORD || 'neo4j',
      database: env.NEO4J_DATABASE || undefined,
    },
  };
}

export async function openStore(settings: StoreSettings): Promise<GraphStore> {
  if (settings.backend === 'embedded') {
    const { EmbeddedStore } = await import('./embedded/embedded-store.js');
    const store = EmbeddedStore.open(settings.dataDir ?? '.blast');
    await store.init();
    return store;
  }
  const { Neo4jStore } = await import('./neo4j/neo4j-store.js');
  if (!settings.neo4j) throw new BlastError('BAD_INPUT', 'the neo4j store needs NEO4J_URI');
  const store = new Neo4jStore(settings.neo4j);
  try {
    await store.init();
  } catch (err) {
    // A store that could not start must not keep its driver (and sockets) alive.
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
