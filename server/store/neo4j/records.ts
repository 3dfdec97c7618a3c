/**
 * StoredNode / StoredEdge <-> Neo4j rows. props and sources are stored as JSON text and parsed back,
 * optional edge fields are absent properties (never null), and objects are rebuilt with the same key
 * order model/record.ts produces, so a record read back is the record written, byte for byte.
 */
import neo4j, { type Integer } from 'neo4j-driver';
import type { EdgeKind, NodeKind } from '../../model/kinds.js';
import { hashParts, type StoredEdge, type StoredNode } from '../../model/record.js';
import type { Access, Confidence } from '../../model/kinds.js';
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

function hashColumns(hash: string): { h1: Integer; h2: Integer; h3: Integer; h4: Integer } {
  // Sent as Integers: a JS number would be stored as a float and its sum would lose digits.
  const [h1, h2, h3, h4] = hashParts(hash).map((h) => neo4j.int(h));
  return { h1: h1!, h2: h2!, h3: h3!, h4: h4! };
}

export function nodeRow(n: StoredNode): Row {
  return {
    id: n.id,
    kind: n.kind,
    name: n.name,
    props: JSON.stringify(n.props),
    sources: JSON.stringify(n.sources),
    compromised: n.compromised,
    firstIngestedAt: n.firstIngestedAt,
    hash: n.hash,
    searchText: searchText(n.id, n.name),
    ...hashColumns(n.hash),
  };
}

/** Absent optional fields are sent as null, which leaves (or makes) the property absent. */
export function edgeRow(e: StoredEdge): Row {
  return {
    from: e.from,
    to: e.to,
    key: e.key,
    since: e.since ?? null,
    until: e.until ?? null,
    confidence: e.confidence ?? null,
    access: e.access ?? null,
    sources: JSON.stringify(e.sources),
    firstIngestedAt: e.firstIngestedAt,
    hash: e.hash,
    ...hashColumns(e.hash),
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
