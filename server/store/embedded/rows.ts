/**
 * SQLite rows to and from stored records. Reading back must give exactly what model/record.ts merged,
 * key order included (optional edge fields absent, not null), so JSON output and hashes match the
 * Neo4j store byte for byte.
 */
import type { Access, Confidence, EdgeKind, NodeKind } from '../../model/kinds.js';
import { hashParts, type StoredEdge, type StoredNode } from '../../model/record.js';

/**
 * Statements read in raw mode (arrays, not objects: fewer allocations on the hot paths), selecting
 * these columns in this order; extra columns come after them.
 */
export const NODE_COLUMNS = 'id, kind, name, props, sources, compromised, first_ingested_at, hash';
export const NODE_COLUMN_COUNT = 8;
export const EDGE_COLUMNS = 'key, src, kind, dst, access, since, until, confidence, sources, first_ingested_at, hash';
export const EDGE_COLUMN_COUNT = 11;

/** A raw row: the NODE_COLUMNS or EDGE_COLUMNS values in order, then any extra columns. */
export type RawRow = unknown[];

export function nodeFromRaw(r: RawRow): StoredNode {
  return {
    id: r[0] as string,
    kind: r[1] as NodeKind,
    name: r[2] as string,
    props: JSON.parse(r[3] as string),
    sources: JSON.parse(r[4] as string),
    compromised: r[5] === 1,
    firstIngestedAt: r[6] as string,
    hash: r[7] as string,
  };
}

/** Same key order as mergeEdge: from, kind, to, since?, until?, confidence?, access?, sources, key, firstIngestedAt, hash. */
export function edgeFromRaw(r: RawRow): StoredEdge {
  const [key, src, kind, dst, access, since, until, confidence, sources, firstIngestedAt, hash] = r as Array<string | null>;
  return {
    from: src!,
    kind: kind as EdgeKind,
    to: dst!,
    ...(since !== null && { since: since! }),
    ...(until !== null && { until: until! }),
    ...(confidence !== null && { confidence: confidence as Confidence }),
    ...(access !== null && { access: access as Access }),
    sources: JSON.parse(sources!),
    key: key!,
    firstIngestedAt: firstIngestedAt!,
    hash: hash!,
  };
}

/** Bind values for `nodes` columns in NODE_WRITE_COLUMNS order; `parts` = hashParts(n.hash). */
export const NODE_WRITE_COLUMNS = 'id, kind, name, props, sources, compromised, first_ingested_at, hash, h1, h2, h3, h4';
export function nodeParams(n: StoredNode, parts = hashParts(n.hash), json: (v: unknown) => string = JSON.stringify): unknown[] {
  return [n.id, n.kind, n.name, JSON.stringify(n.props), json(n.sources), n.compromised ? 1 : 0, n.firstIngestedAt, n.hash, parts[0], parts[1], parts[2], parts[3]];
}

export const EDGE_WRITE_COLUMNS = 'key, src, kind, dst, access, since, until, confidence, sources, first_ingested_at, hash, h1, h2, h3, h4';
export function edgeParams(e: StoredEdge, parts = hashParts(e.hash), json: (v: unknown) => string = JSON.stringify): unknown[] {
  return [
    e.key,
    e.from,
    e.kind,
    e.to,
    e.access ?? null,
    e.since ?? null,
    e.until ?? null,
    e.confidence ?? null,
    json(e.sources),
    e.firstIngestedAt,
    e.hash,
    parts[0],
    parts[1],
    parts[2],
    parts[3],
  ];
}

/**
 * JSON.stringify for the sources arrays of one write, remembering the text of each plain Source
 * object: records of one input share their Source objects, and nothing changes them during a write.
 */
export function sourcesJson(): (sources: unknown) => string {
  const texts = new Map<object, string>();
  return (sources) => {
    if (!Array.isArray(sources) || Object.getPrototypeOf(sources) !== Array.prototype) return JSON.stringify(sources);
    let out = '[';
    for (let i = 0; i < sources.length; i++) {
      const s: unknown = sources[i];
      // Only plain objects without toJSON: their text does not depend on where they sit.
      if (typeof s !== 'object' || s === null || Object.getPrototypeOf(s) !== Object.prototype || 'toJSON' in s) return JSON.stringify(sources);
      let text = texts.get(s);
      if (text === undefined) {
        text = JSON.stringify(s);
        texts.set(s, text);
      }
      out += i === 0 ? text : `,${text}`;
    }
    return `${out}]`;
  };
}

/**
 * Per (table, kind) change of the count and of the four hash-slice sums. Each slice is below 2^32, so
 * a double stays exact for 2^20 additions; past that the partial sums move into bigints.
 */
export class TotalsDelta {
  private readonly acc = new Map<string, { tbl: string; kind: string; n: number; s: number[]; big: bigint[]; ops: number }>();

  add(tbl: 'nodes' | 'edges', kind: string, hash: string, sign: 1 | -1): void {
    this.addParts(tbl, kind, hashParts(hash), sign);
  }

  /** Like add, with hashParts(hash) already at hand. */
  addParts(tbl: 'nodes' | 'edges', kind: string, parts: readonly number[], sign: 1 | -1): void {
    const k = tbl === 'nodes' ? `n${kind}` : `e${kind}`;
    let a = this.acc.get(k);
    if (!a) this.acc.set(k, (a = { tbl, kind, n: 0, s: [0, 0, 0, 0], big: [0n, 0n, 0n, 0n], ops: 0 }));
    a.n += sign;
    for (let i = 0; i < 4; i++) a.s[i]! += sign * parts[i]!;
    if (++a.ops >= 1 << 20) flush(a);
  }

  /** Rows to add to `totals`: [tbl, kind, n, s1, s2, s3, s4] with bigint sums. */
  rows(): Array<[string, string, number, bigint, bigint, bigint, bigint]> {
    return [...this.acc.values()].map((a) => {
      flush(a);
      return [a.tbl, a.kind, a.n, a.big[0]!, a.big[1]!, a.big[2]!, a.big[3]!];
    });
  }
}

function flush(a: { s: number[]; big: bigint[]; ops: number }): void {
  for (let i = 0; i < 4; i++) {
    a.big[i]! += BigInt(a.s[i]!);
    a.s[i] = 0;
  }
  a.ops = 0;
}
