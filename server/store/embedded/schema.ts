/**
 * The embedded store's SQLite schema. Created by `init()`, idempotent; `meta.schema_version` tells a
 * later release what it is looking at.
 *
 * - `nodes` and `edges` hold the records exactly as model/record.ts merged them (props and sources as
 *   JSON text) plus the four 32-bit slices of each record's hash (h1..h4), from which the snapshotId
 *   can always be recomputed.
 * - `totals` keeps, per table and kind, the count and the four slice sums, maintained in the same
 *   transaction as every write. The snapshotId, `stats()` and `countNodes()` read these few rows
 *   instead of aggregating millions of records.
 * - `nodes_fts` is a contentless FTS5 index over id and name (rowid = nodes.rowid).
 */
import { EDGE_KINDS, FORWARD_EDGE_KINDS, REVERSE_EDGE_KINDS } from '../../model/kinds.js';

export const SCHEMA_VERSION = 1;

/** The database file inside the data folder. */
export const DB_FILE = 'graph.db';

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS nodes (
  id                TEXT PRIMARY KEY,
  kind              TEXT NOT NULL,
  name              TEXT NOT NULL,
  props             TEXT NOT NULL,
  sources           TEXT NOT NULL,
  compromised       INTEGER NOT NULL,
  first_ingested_at TEXT NOT NULL,
  hash              TEXT NOT NULL,
  h1 INTEGER NOT NULL, h2 INTEGER NOT NULL, h3 INTEGER NOT NULL, h4 INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind, id);
CREATE INDEX IF NOT EXISTS nodes_compromised ON nodes (id) WHERE compromised = 1;

CREATE TABLE IF NOT EXISTS edges (
  key               TEXT PRIMARY KEY,
  src               TEXT NOT NULL,
  kind              TEXT NOT NULL,
  dst               TEXT NOT NULL,
  access            TEXT,
  since             TEXT,
  until             TEXT,
  confidence        TEXT,
  sources           TEXT NOT NULL,
  first_ingested_at TEXT NOT NULL,
  hash              TEXT NOT NULL,
  h1 INTEGER NOT NULL, h2 INTEGER NOT NULL, h3 INTEGER NOT NULL, h4 INTEGER NOT NULL
);
-- No index on kind alone: nothing reads edges by kind without an endpoint (counts come from totals),
-- and the planner would be tempted to scan a whole kind instead of seeking the few ids asked for.
CREATE INDEX IF NOT EXISTS edges_src ON edges (src, kind);
CREATE INDEX IF NOT EXISTS edges_dst ON edges (dst, kind);

CREATE TABLE IF NOT EXISTS totals (
  tbl  TEXT NOT NULL,
  kind TEXT NOT NULL,
  n  INTEGER NOT NULL,
  s1 INTEGER NOT NULL, s2 INTEGER NOT NULL, s3 INTEGER NOT NULL, s4 INTEGER NOT NULL,
  PRIMARY KEY (tbl, kind)
) WITHOUT ROWID;

-- unicode61 splits on punctuation, so pkg:pypi/litellm@1.82.8 is indexed as pkg pypi litellm 1 82 8
-- and the phrase query "1.82.8" matches it; prefix queries find "lite".
CREATE VIRTUAL TABLE IF NOT EXISTS nodes_fts USING fts5 (
  id, name,
  content = '', contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
`;

/** Connection settings. FULL fsyncs the WAL at every commit: a committed write survives kill -9 and power loss. */
export const PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'temp_store = MEMORY',
  // 128 MiB of page cache; a blast radius over a million-node graph touches pages all over the file.
  'cache_size = -131072',
  // No memory-mapped reads: they bought nothing measurable (M ingest, L index build and blast radius
  // took the same time without) and a scan of a 3 GB graph left up to 1 GiB of mapped pages resident.
  'mmap_size = 0',
  // Keep the WAL from staying gigabytes large after a big ingest has been checkpointed.
  'journal_size_limit = 67108864',
  'foreign_keys = OFF',
];

/** SQL list literals of the propagation kinds; they come from the closed lists in model/kinds.ts. */
function sqlList(kinds: readonly string[]): string {
  for (const k of kinds) if (!(EDGE_KINDS as readonly string[]).includes(k)) throw new Error(`not an edge kind: ${k}`);
  return kinds.map((k) => `'${k}'`).join(', ');
}
export const FORWARD_SQL = sqlList(FORWARD_EDGE_KINDS);
export const REVERSE_SQL = sqlList(REVERSE_EDGE_KINDS);
