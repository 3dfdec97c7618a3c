/**
 * StoredNode / StoredEdge <-> Neo4j rows. props and sources are stored as JSON text and parsed back,
 * optional edge fields are absent properties (never null), and objects are rebuilt with the same key
 * order model/record.ts produces, so a record read back is the record written, byte for byte.
 */
import neo4j, { type Integer } from 'neo4j-driver';
import type { EdgeKind, NodeKind } from '../../model/kinds.js';
import { hashParts, type StoredEdge, type StoredNode } from '../../model/record.js';
import type { Access, Confidence } from '../../model/kinds.js';
import type { Source } from '../../model/types.js';
import type { Row } from './executor.js';
import { searchText } from './search-query.js';

/** A node row as `RETURN n {.id, .kind, …}` projects it. */
interface NodeMap {
  id: string;
  kind: NodeKind;
  name: string;
  props: string;
  sources: string;
  compromised: boolean | null;
  firstIngestedAt: string;
  hash: string;
}

/** An edge's own properties as `e {.key, .since, …}` projects them (absent ones come back null). */
interface EdgeMap {
  key: string;
  since: string | null;
  until: string | null;
  confidence: Confidence | null;
  access: Access | null;
  sources: string;
  firstIngestedAt: string;
  hash: string;
}

export function nodeFromMap(value: unknown): StoredNode {
  const m = value as NodeMap;
  return {
    id: m.id,
    kind: m.kind,
    name: m.name,
    props: JSON.parse(m.props),
    sources: JSON.parse(m.sources),
    compromised: m.compromised === true,
    firstIngestedAt: m.firstIngestedAt,
    hash: m.hash,
  };
}

/** From a row with `from`, `kind`, `to` and the projected edge map `e` (column names configurable). */
export function edgeFromRow(row: Row, cols: { from: string; to: string; e: string } = { from: 'from', to: 'to', e: 'e' }): StoredEdge {
  const e = row[cols.e] as EdgeMap;
  return {
    from: row[cols.from] as string,
    kind: row.kind as EdgeKind,
    to: row[cols.to] as string,
    ...(e.since !== null && { since: e.since }),
    ...(e.until !== null && { until: e.until }),
    ...(e.confidence !== null && { confidence: e.confidence }),
    ...(e.access !== null && { access: e.access }),
    sources: JSON.parse(e.sources),
    key: e.key,
    firstIngestedAt: e.firstIngestedAt,
    hash: e.hash,
  };
}

/** Code-unit order, as JavaScript and Neo4j compare strings. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parallel lists, one entry per record: what the write statements UNWIND by index. */
export type Columns = { [column: string]: unknown[] };

/**
 * New or changed nodes as the columns createNodes / updateNodes read (sources: sourcesColumn). The four hash parts go as
 * numbers (floats, exact for 32-bit values) and the statements turn them into integers: a JS number
 * stored as is would be a float, and summing floats loses digits past 2^53.
 */
export function nodeColumns(nodes: readonly StoredNode[]): Columns {
  const sources = sourcesColumn();
  const c = columns(['id', 'name', 'props', 'sources', 'compromised', 'firstIngestedAt', 'hash', 'searchText', 'h1', 'h2', 'h3', 'h4']);
  for (const n of nodes) {
    c.id!.push(n.id);
    c.name!.push(n.name);
    c.props!.push(JSON.stringify(n.props));
    c.sources!.push(sources.at(n.sources));
    c.compromised!.push(n.compromised);
    c.firstIngestedAt!.push(n.firstIngestedAt);
    c.hash!.push(n.hash);
    c.searchText!.push(searchText(n.id, n.name));
    pushHashParts(c, n.hash);
  }
  c.sourceTexts = sources.texts;
  return c;
}

/** New or changed edges as the columns createEdges / updateEdges read (ends: edgeEnds); absent fields are null. */
export function edgeColumns(edges: readonly StoredEdge[]): Columns {
  const sources = sourcesColumn();
  const c = columns(['key', 'since', 'until', 'confidence', 'access', 'sources', 'firstIngestedAt', 'hash', 'h1', 'h2', 'h3', 'h4']);
  for (const e of edges) {
    c.key!.push(e.key);
    c.since!.push(e.since ?? null);
    c.until!.push(e.until ?? null);
    c.confidence!.push(e.confidence ?? null);
    c.access!.push(e.access ?? null);
    c.sources!.push(sources.at(e.sources));
    c.firstIngestedAt!.push(e.firstIngestedAt);
    c.hash!.push(e.hash);
    pushHashParts(c, e.hash);
  }
  c.sourceTexts = sources.texts;
  return c;
}

/**
 * The distinct ends of some edges, and for each edge the indexes of its from and to among them: a
 * statement then finds each node once, however many of the edges touch it.
 */
export function edgeEnds(edges: readonly { from: string; to: string }[]): { ends: string[]; from: number[]; to: number[] } {
  const index = new Map<string, number>();
  const ends: string[] = [];
  const at = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = ends.push(id) - 1;
      index.set(id, i);
    }
    return i;
  };
  const from: number[] = [];
  const to: number[] = [];
  for (const e of edges) {
    from.push(at(e.from));
    to.push(at(e.to));
  }
  return { ends, from, to };
}

function columns(names: readonly string[]): Columns {
  return Object.fromEntries(names.map((n) => [n, []]));
}

function pushHashParts(c: Columns, hash: string): void {
  const [h1, h2, h3, h4] = hashParts(hash);
  c.h1!.push(h1);
  c.h2!.push(h2);
  c.h3!.push(h3);
  c.h4!.push(h4);
}

/**
 * Sources as JSON texts, each distinct text sent once (`sourceTexts`) and records pointing at it by
 * index: a file's records all carry the same sources, so this is most of what a write would send.
 */
function sourcesColumn(): { texts: string[]; at: (sources: readonly Source[]) => number } {
  const texts: string[] = [];
  const byText = new Map<string, number>();
  // JSON.stringify once per Source object (or array of several): a batch's records share them.
  const byObject = new Map<object, number>();
  return {
    texts,
    at(sources) {
      const key = sources.length === 1 ? sources[0]! : sources;
      let i = byObject.get(key);
      if (i === undefined) {
        const text = JSON.stringify(sources);
        i = byText.get(text);
        if (i === undefined) {
          i = texts.push(text) - 1;
          byText.set(text, i);
        }
        byObject.set(key, i);
      }
      return i;
    },
  };
}

/** A count from Neo4j (Integer or number) as a JS number. */
export function toNumber(value: unknown): number {
  if (neo4j.isInt(value)) return value.toNumber();
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return 0;
}

/** An exact integer from Neo4j (Integer, number, bigint or null) as a bigint. */
export function toBigInt(value: unknown): bigint {
  if (neo4j.isInt(value)) return BigInt(value.toString());
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  return 0n;
}

/** A bigint as a Neo4j Integer parameter (exact beyond 2^53). */
export function toInteger(value: bigint | number): Integer {
  return neo4j.int(value.toString());
}
