/** How to reach a store: what `openStore` opens, and what a worker thread opens the same store with. */
export type StoreBackend = 'embedded' | 'neo4j';

export interface Neo4jSettings {
  uri: string;
  user: string;
  password: string;
  database?: string;
}

export interface StoreSettings {
  backend: StoreBackend;
  /** Embedded: the data folder. @default $BLAST_DATA_DIR or `.blast` */
  dataDir?: string;
  neo4j?: Neo4jSettings;
}
