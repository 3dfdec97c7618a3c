/**
 * The embedded store's side of the propagation projection (store/projection-source.ts): its graph
 * version, sequential scans of nodes and propagating edges streamed as column batches, and edge
 * sources by rowid. Callers run `readProjection` inside one read transaction.
 */
import type Database from 'better-sqlite3';
import { ACCESS_LEVELS, CONFIDENCES, EDGE_KINDS, NODE_KINDS, PROPAGATION } from '../../model/kinds.js';
import { BlastError } from '../../model/errors.js';
import type { Source } from '../../model/types.js';
import { edgeBatch, nodeBatch, setNodeTimes, timeMs, type ProjectionSink } from '../projection-source.js';

/** The projection file beside graph.db (server/projection/persist.ts). */
export const PROJECTION_FILE = 'projection.bin';

/** Rows per scan statement: bounded memory, rows that die young. */
const SCAN_CHUNK = 5_000;
const PROPAGATING = EDGE_KINDS.filter((k) => PROPAGATION[k] !== null);

export function graphVersionOf(db: Database.Database): string {
  const rows = db.prepare("SELECT key, value FROM meta WHERE key IN ('graph_epoch', 'graph_writes')").raw(true).all() as Array<[string, string]>;
  const m = new Map(rows);
  return `${m.get('graph_epoch') ?? 'none'}:${m.get('graph_writes') ?? '0'}`;
}

export function readProjection(db: Database.Database, sink: ProjectionSink): { version: string } {
  const version = graphVersionOf(db);
  const nodeScan = db
    .prepare(
      `SELECT rowid, id, ${caseOf('kind', NODE_KINDS)}, name, first_ingested_at,
         json_extract(props, '$.createdAt'), json_extract(props, '$.rotatedAt'), json_extract(props, '$.revokedAt'),
         json_extract(props, '$.containedAt'), json_extract(props, '$.publishedAt'), json_extract(props, '$.compromisedAt')
       FROM nodes WHERE rowid > ? ORDER BY rowid LIMIT ${SCAN_CHUNK}`,
    )
    .raw(true);
  // Edges name their ends by id: each id's rowid, from this scan (a Map hit is far cheaper than a
  // primary-key lookup per edge end in SQL).
  const refOf = new Map<string, number>();
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const rows = nodeScan.all(after) as unknown[][];
    if (rows.length === 0) break;
    const b = nodeBatch(rows.length);
    rows.forEach((r, i) => {
      if ((r[2] as number) < 0) throw new BlastError('INTERNAL', `node ${String(r[1])} has an unknown kind`);
      b.ref[i] = r[0] as number;
      b.id[i] = r[1] as string;
      refOf.set(r[1] as string, r[0] as number);
      b.kind[i] = r[2] as number;
      b.name[i] = r[3] as string;
      b.firstIngestedAt[i] = timeMs(r[4] as string);
      const times = { createdAt: r[5], rotatedAt: r[6], revokedAt: r[7], containedAt: r[8], publishedAt: r[9], compromisedAt: r[10] };
      setNodeTimes(b, i, times as Record<string, string | null>);
    });
    sink.nodes(b);
    after = rows[rows.length - 1]![0] as number;
  }
  const edgeScan = db
    .prepare(
      `SELECT rowid, src, dst, ${caseOf('kind', EDGE_KINDS)}, ${caseOf('access', ACCESS_LEVELS, 1)},
         ${caseOf('confidence', CONFIDENCES, 1)}, since, until, first_ingested_at
       FROM edges WHERE rowid > ? AND kind IN (${PROPAGATING.map((k) => `'${k}'`).join(', ')})
       ORDER BY rowid LIMIT ${SCAN_CHUNK}`,
    )
    .raw(true);
  // Edge times repeat a lot (one ingest, one instant): parse each distinct text once.
  const parsed = new Map<string, number>();
  const time = (t: unknown): number => {
    if (typeof t !== 'string') return NaN;
    let ms = parsed.get(t);
    if (ms === undefined) {
      ms = Date.parse(t);
      if (parsed.size < 100_000) parsed.set(t, ms);
    }
    return ms;
  };
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const rows = edgeScan.all(after) as unknown[][];
    if (rows.length === 0) break;
    const b = edgeBatch(rows.length);
    rows.forEach((r, i) => {
      if ((r[3] as number) < 0 || (r[4] as number) < 0 || (r[5] as number) < 0) {
        throw new BlastError('INTERNAL', `edge ${String(r[0])} has an unknown kind, access or confidence`);
      }
      const src = refOf.get(r[1] as string);
      const dst = refOf.get(r[2] as string);
      if (src === undefined || dst === undefined) throw new BlastError('INTERNAL', `edge ${String(r[0])} points at a node that is not stored`);
      b.ref[i] = r[0] as number;
      b.src[i] = src;
      b.dst[i] = dst;
      b.kind[i] = r[3] as number;
      b.access[i] = r[4] as number;
      b.confidence[i] = r[5] as number;
      b.since[i] = time(r[6]);
      b.until[i] = time(r[7]);
      b.firstIngestedAt[i] = time(r[8]);
    });
    sink.edges(b);
    after = rows[rows.length - 1]![0] as number;
  }
  return { version };
}

/** Each edge's sources by rowid, parallel to `refs`; null where no such edge. */
export function edgeSourcesOf(db: Database.Database, refs: readonly number[]): Array<readonly Source[] | null> {
  const stmt = db.prepare('SELECT rowid, sources FROM edges WHERE rowid IN (SELECT value FROM json_each(?))').raw(true);
  const byRef = new Map<number, readonly Source[]>();
  const parsed = new Map<string, readonly Source[]>();
  const unique = [...new Set(refs)];
  db.transaction(() => {
    for (let i = 0; i < unique.length; i += 10_000) {
      for (const [rowid, text] of stmt.all(JSON.stringify(unique.slice(i, i + 10_000))) as Array<[number, string]>) {
        let sources = parsed.get(text);
        if (sources === undefined) {
          sources = JSON.parse(text) as Source[];
          parsed.set(text, sources);
        }
        byRef.set(rowid, sources);
      }
    }
  }).deferred();
  return refs.map((r) => byRef.get(r) ?? null);
}

/** SQL mapping a column to its code in a closed list: the position plus `offset`, NULL to 0, else -1. */
function caseOf(column: string, list: readonly string[], offset = 0): string {
  const whens = list.map((v, i) => `WHEN '${v}' THEN ${i + offset}`).join(' ');
  return `CASE ${column} ${whens} ELSE ${offset > 0 ? `CASE WHEN ${column} IS NULL THEN 0 ELSE -1 END` : '-1'} END`;
}
