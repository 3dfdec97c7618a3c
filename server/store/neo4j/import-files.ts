/**
 * Files for Neo4j's own bulk importer (`neo4j-admin database import full`), for a new database:
 * written from an embedded store that already holds the merged graph (the write recipe made every
 * record, so hashes and the snapshotId are the ones any write path gives), in the Neo4j store's model
 * (neo4j-store.ts): `(:Node:<Kind>)` with the same properties, one relationship type per edge kind,
 * and the `(:Meta {id: 'graph'})` node with the snapshot sums and a graph version (new epoch).
 *
 * Constraints and indexes (cypher/schema.cypher) are not part of an import: Neo4jStore.init() creates
 * them when the imported database first serves, which is what `blast load --bulk` does for the local
 * Neo4j and what the printed instructions say for another server.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { isEdgeKind, isNodeKind } from '../../model/kinds.js';
import { searchText } from './search-query.js';

export interface ImportFiles {
  dir: string;
  nodes: string;
  meta: string;
  edges: string;
  nodeCount: number;
  edgeCount: number;
}

/** Bytes buffered before a write to the file. */
const FLUSH_AT = 1 << 20;

/** Quotes a CSV field (RFC 4180: double quotes doubled); null or undefined is an empty field (no property). */
function field(v: string | null | undefined): string {
  if (v === null || v === undefined) return '';
  return `"${v.replaceAll('"', '""')}"`;
}

class CsvFile {
  private readonly fd: number;
  private buffer = '';
  constructor(readonly path: string, header: string) {
    this.fd = openSync(path, 'w');
    this.line(header);
  }
  line(text: string): void {
    this.buffer += `${text}\n`;
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }
  flush(): void {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * Writes nodes.csv, meta.csv and edges.csv into `dir` from the embedded database `db` (one read
 * transaction), calling `progress(done, total)` as rows go.
 */
export function writeImportFiles(db: Database.Database, dir: string, progress?: (done: number, total: number) => void): ImportFiles {
  mkdirSync(dir, { recursive: true });
  return db.transaction(() => {
    const count = (tbl: string) => (db.prepare(`SELECT coalesce(sum(n), 0) FROM totals WHERE tbl = ?`).pluck().get(tbl) as number) ?? 0;
    const total = count('nodes') + count('edges');
    let done = 0;
    const tick = () => {
      if (++done % 16384 === 0) progress?.(done, total);
    };

    const nodes = new CsvFile(join(dir, 'nodes.csv'), 'id:ID,:LABEL,kind,name,props,sources,compromised:boolean,firstIngestedAt,hash,searchText,h1:long,h2:long,h3:long,h4:long');
    let nodeCount = 0;
    try {
      const rows = db.prepare('SELECT id, kind, name, props, sources, compromised, first_ingested_at, hash, h1, h2, h3, h4 FROM nodes ORDER BY rowid').raw(true);
      for (const r of rows.iterate() as Iterable<unknown[]>) {
        const [id, kind, name, props, sources, compromised, first, hash, h1, h2, h3, h4] = r as [string, string, string, string, string, number, string, string, number, number, number, number];
        // Labels come from the closed list, never from input.
        if (!isNodeKind(kind)) throw new Error(`node ${id} has an unknown kind`);
        nodes.line(
          [field(id), `Node;${kind}`, kind, field(name), field(props), field(sources), compromised === 1 ? 'true' : 'false', field(first), hash, field(searchText(id, name)), h1, h2, h3, h4].join(','),
        );
        nodeCount++;
        tick();
      }
    } finally {
      nodes.close();
    }

    const edges = new CsvFile(join(dir, 'edges.csv'), ':START_ID,:END_ID,:TYPE,key,since,until,confidence,access,sources,firstIngestedAt,hash,h1:long,h2:long,h3:long,h4:long');
    let edgeCount = 0;
    try {
      const rows = db.prepare('SELECT src, dst, kind, key, since, until, confidence, access, sources, first_ingested_at, hash, h1, h2, h3, h4 FROM edges ORDER BY rowid').raw(true);
      for (const r of rows.iterate() as Iterable<unknown[]>) {
        const [src, dst, kind, key, since, until, confidence, access, sources, first, hash, h1, h2, h3, h4] = r as Array<string | null>;
        if (!isEdgeKind(kind)) throw new Error(`edge ${key} has an unknown kind`);
        edges.line([field(src), field(dst), kind, field(key), field(since), field(until), field(confidence), field(access), field(sources), field(first), hash, h1, h2, h3, h4].join(','));
        edgeCount++;
        tick();
      }
    } finally {
      edges.close();
    }

    // The snapshot sums as the Neo4j store keeps them (lockGraph / saveSnapshotSums), and a graph
    // version: a new database, so a new epoch.
    const sums = (tbl: string) =>
      db.prepare('SELECT coalesce(sum(n), 0), coalesce(sum(s1), 0), coalesce(sum(s2), 0), coalesce(sum(s3), 0), coalesce(sum(s4), 0) FROM totals WHERE tbl = ?').raw(true).safeIntegers(true).get(tbl) as bigint[];
    const [nc, ...ns] = sums('nodes');
    const [ec, ...es] = sums('edges');
    const meta = new CsvFile(join(dir, 'meta.csv'), 'id:ID(Meta),:LABEL,nodeCount:long,nodeSums:long[],edgeCount:long,edgeSums:long[],epoch,version:long,writes:long');
    meta.line(['graph', 'Meta', String(nc), ns.join(';'), String(ec), es.join(';'), randomUUID(), '1', '1'].join(','));
    meta.close();
    progress?.(total, total);
    return { dir, nodes: join(dir, 'nodes.csv'), meta: join(dir, 'meta.csv'), edges: join(dir, 'edges.csv'), nodeCount, edgeCount };
  }).deferred();
}

/** The neo4j-admin arguments that import `files` into the (new, stopped) database `database`. */
export function importArgs(files: ImportFiles, database: string): string[] {
  return [
    'database',
    'import',
    'full',
    database,
    `--nodes=${files.nodes}`,
    `--nodes=${files.meta}`,
    `--relationships=${files.edges}`,
    // A name may hold a line break; quoted fields may then span lines.
    '--multiline-fields=true',
    '--overwrite-destination=true',
    // Beside the files, not in whatever folder the command runs from.
    `--report-file=${join(files.dir, 'import.report')}`,
  ];
}

/** The command line to run on a user's own server, shell-quoted. */
export function importCommand(files: ImportFiles, database: string): string {
  return ['neo4j-admin', ...importArgs(files, database)].map(shellQuote).join(' ');
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}
