/**
 * An in-memory propagation index for the embedded store: what `propagationColumns()` answers, for the
 * whole graph, built with a few sequential scans and then served without SQL, JSON parsing per step,
 * or string lookups beyond one Map hit per asked id. A blast radius over a million-node graph asks
 * for hundreds of thousands of nodes' steps; through SQL each step costs tens of microseconds.
 *
 * Layout (compressed sparse rows):
 * - nodes are numbered by their rank in `ORDER BY id` (SQLite BINARY order), so sorting asked ids is
 *   sorting small integers; per node: id, kind, name, props text, sources and firstIngestedAt
 *   (interned), compromised, hash;
 * - propagation edges (forward kinds by their `src`, reverse kinds by their `dst`) are grouped per
 *   leaving node in `ORDER BY key` order; per edge: both endpoints, kind, access, confidence, since,
 *   until, sources and firstIngestedAt (interned). No key or hash: the engine rebuilds the key of
 *   the few edges it shows (edgeKey(from, kind, to, access) by construction), and record-level
 *   `propagation()` is answered by SQL.
 *
 * Answers are exactly what the SQL path returns, in columns: same steps, same order, deep-equal far
 * node records. Far nodes and parsed sources are built once and shared between calls, so they are
 * frozen.
 *
 * The index describes one committed state: the store drops it when it writes and when
 * `PRAGMA data_version` says another connection committed.
 */
import type Database from 'better-sqlite3';
import { ACCESS_LEVELS, CONFIDENCES, EDGE_KINDS, NODE_KINDS, PROPAGATION, type NodeKind } from '../../model/kinds.js';
import type { StoredNode } from '../../model/record.js';
import type { Json, Props, Source } from '../../model/types.js';
import { emptyColumns, type KnownNumbers, type PropagationColumns } from '../propagation-columns.js';

/** Rows per scan statement: bounded memory; small enough that the rows die young. */
const SCAN_CHUNK = 2_000;
/** Absent optional value in the Int32 columns. */
const NONE = -1;
const FORWARD = 1;
const REVERSE = 2;
/** Per EDGE_KINDS code: FORWARD, REVERSE or 0 (carries no compromise). */
const DIRECTION = Uint8Array.from(EDGE_KINDS, (k) => (PROPAGATION[k] === 'forward' ? FORWARD : PROPAGATION[k] === 'reverse' ? REVERSE : 0));
const PROPAGATING = EDGE_KINDS.filter((k) => PROPAGATION[k] !== null);

/** What `build` learnt when the stored data does not fit the index (then the store keeps using SQL). */
export interface UnusableIndex {
  readonly usable: false;
  readonly version: number;
  readonly reason: string;
}

export interface IndexBuildStats {
  nodes: number;
  edges: number;
  ms: number;
}

export class PropagationIndex {
  readonly usable = true;
  /** Nodes' StoredNode records, built on first use. */
  private readonly nodeCache: Array<StoredNode | undefined>;
  /** Parsed sources per interned sources text, built on first use. */
  private readonly sourcesCache: Array<Source[] | undefined>;
  /** columns(): per node, its place in the answer's `nodes` when stampOf equals the call's stamp. */
  private readonly localOf: Int32Array;
  private readonly stampOf: Int32Array;
  private stamp = 0;
  /** Epoch ms of each interned text (NaN for '', absent); only times are ever read from it. */
  private readonly timeMs: Float64Array;
  /**
   * Whether node numbers (SQLite BINARY order of ids: UTF-8 bytes) also ascend in JavaScript string
   * order (UTF-16 code units). They differ only for ids mixing characters above U+FFFF with ones in
   * U+E000..U+FFFF, so this is checked, not assumed.
   */
  private readonly idOrder: boolean;

  private constructor(
    /** `PRAGMA data_version` of the state it was built from. */
    readonly version: number,
    readonly stats: IndexBuildStats,
    private readonly nodeOf: Map<string, number>,
    private readonly n: NodeColumns,
    private readonly e: EdgeColumns,
    /** CSR: the steps leaving node u are edges offsets[u] .. offsets[u + 1] - 1, by key. */
    private readonly offsets: Int32Array,
    private readonly texts: string[],
    private readonly sourceTexts: string[],
  ) {
    this.nodeCache = new Array<StoredNode | undefined>(n.ids.length);
    this.sourcesCache = new Array<Source[] | undefined>(sourceTexts.length);
    this.localOf = new Int32Array(n.ids.length);
    this.stampOf = new Int32Array(n.ids.length);
    this.timeMs = Float64Array.from(texts, (t) => (t === '' ? NaN : Date.parse(t)));
    this.idOrder = n.ids.every((id, u) => u === 0 || n.ids[u - 1]! < id);
  }

  /**
   * Builds the index from the current committed state; call inside one read transaction so that every
   * scan sees the same state. Returns an UnusableIndex when the data breaks an assumption the index
   * relies on (which records written by this code never do): an edge endpoint with no node, or a
   * kind, access or confidence outside the closed lists.
   */
  static build(db: Database.Database): PropagationIndex | UnusableIndex {
    const started = performance.now();
    const version = db.prepare('PRAGMA data_version').pluck().get() as number;
    const unusable = (reason: string): UnusableIndex => ({ usable: false, version, reason });

    // Interned strings: times (since, until, firstIngestedAt) and sources texts. Absent is 0 ('').
    const texts: string[] = [''];
    const textIds = new Map<string, number>();
    const text = (s: string | null): number => {
      if (s === null) return 0;
      let i = textIds.get(s);
      if (i === undefined) {
        i = texts.length;
        textIds.set(s, i);
        texts.push(s);
      }
      return i;
    };
    const sourceTexts: string[] = [];
    const sourceIds = new Map<string, number>();
    const sourceText = (s: string): number => {
      let i = sourceIds.get(s);
      if (i === undefined) {
        i = sourceTexts.length;
        sourceIds.set(s, i);
        sourceTexts.push(s);
      }
      return i;
    };

    // Nodes: numbered by rank in id order.
    const nodeRank = rankByRowid(db, 'SELECT rowid FROM nodes ORDER BY id');
    if (!nodeRank) return unusable('node rowids are too sparse');
    const nodeCount = nodeRank.count;
    const n: NodeColumns = {
      ids: new Array<string>(nodeCount),
      names: new Array<string>(nodeCount),
      props: new Array<string>(nodeCount),
      hashes: new Array<string>(nodeCount),
      kind: new Uint8Array(nodeCount),
      compromised: new Uint8Array(nodeCount),
      sources: new Int32Array(nodeCount),
      firstIngestedAt: new Int32Array(nodeCount),
    };
    const nodeOf = new Map<string, number>();
    const nodeScan = db
      .prepare(
        `SELECT rowid, id, ${caseOf('kind', NODE_KINDS)}, name, props, sources, compromised, first_ingested_at, hash
         FROM nodes WHERE rowid > ? ORDER BY rowid LIMIT ${SCAN_CHUNK}`,
      )
      .raw(true);
    let seen = 0;
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const rows = nodeScan.all(after) as unknown[][];
      if (rows.length === 0) break;
      for (const r of rows) {
        const u = nodeRank.of(r[0] as number);
        const kind = r[2] as number;
        if (u < 0) return unusable('a node appeared during the scan');
        if (kind < 0) return unusable(`node ${String(r[1])} has an unknown kind`);
        n.ids[u] = r[1] as string;
        n.kind[u] = kind;
        n.names[u] = r[3] as string;
        n.props[u] = r[4] as string;
        n.sources[u] = sourceText(r[5] as string);
        n.compromised[u] = r[6] === 1 ? 1 : 0;
        n.firstIngestedAt[u] = text(r[7] as string);
        n.hashes[u] = r[8] as string;
        nodeOf.set(r[1] as string, u);
        seen++;
      }
      after = rows[rows.length - 1]![0] as number;
    }
    if (seen !== nodeCount) return unusable('the node scans disagree');

    // Propagation edges, in rowid order; their rank in key order gives the order within each node.
    const edgeRank = rankByRowid(db, 'SELECT rowid FROM edges ORDER BY key');
    if (!edgeRank) return unusable('edge rowids are too sparse');
    const e = edgeColumns(edgeRank.count);
    let m = 0;
    const edgeScan = db
      .prepare(
        `SELECT rowid, src, dst, ${caseOf('kind', EDGE_KINDS)}, ${caseOf('access', ACCESS_LEVELS, 1)}, since, until,
           ${caseOf('confidence', CONFIDENCES, 1)}, sources, first_ingested_at
         FROM edges WHERE rowid > ? AND kind IN (${PROPAGATING.map((k) => `'${k}'`).join(', ')})
         ORDER BY rowid LIMIT ${SCAN_CHUNK}`,
      )
      .raw(true);
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const rows = edgeScan.all(after) as unknown[][];
      if (rows.length === 0) break;
      if (m + rows.length > edgeRank.count) return unusable('an edge appeared during the scan');
      for (const r of rows) {
        const src = nodeOf.get(r[1] as string);
        const dst = nodeOf.get(r[2] as string);
        if (src === undefined || dst === undefined) return unusable(`an edge of ${String(r[1])} points at a missing node`);
        const kind = r[3] as number;
        const access = r[4] as number;
        const confidence = r[7] as number;
        if (kind < 0 || access < 0 || confidence < 0) return unusable(`an edge of ${String(r[1])} has an unknown kind, access or confidence`);
        const rank = edgeRank.of(r[0] as number);
        if (rank < 0) return unusable('an edge appeared during the scan');
        e.rank[m] = rank;
        e.src[m] = src;
        e.dst[m] = dst;
        e.kind[m] = kind;
        e.access[m] = access;
        e.confidence[m] = confidence;
        e.since[m] = text(r[5] as string | null);
        e.until[m] = text(r[6] as string | null);
        e.sources[m] = sourceText(r[8] as string);
        e.firstIngestedAt[m] = text(r[9] as string);
        m++;
      }
      after = rows[rows.length - 1]![0] as number;
    }

    // Group by leaving node, in key order within each (place edges by ascending rank), and lay the
    // columns out in that order: a node's steps are then adjacent in memory.
    const byRank = new Int32Array(edgeRank.count).fill(NONE);
    for (let i = 0; i < m; i++) byRank[e.rank[i]!] = i;
    const offsets = new Int32Array(nodeCount + 1);
    const leaving = (i: number) => (DIRECTION[e.kind[i]!] === FORWARD ? e.src[i]! : e.dst[i]!);
    for (let i = 0; i < m; i++) offsets[leaving(i) + 1]!++;
    for (let u = 0; u < nodeCount; u++) offsets[u + 1]! += offsets[u]!;
    const fill = offsets.slice(0, nodeCount);
    const order = new Int32Array(m);
    for (let r = 0; r < byRank.length; r++) {
      const i = byRank[r]!;
      if (i !== NONE) order[fill[leaving(i)]!++] = i;
    }
    const edges = permuted(e, order);

    const stats = { nodes: nodeCount, edges: m, ms: performance.now() - started };
    return new PropagationIndex(version, stats, nodeOf, n, edges, offsets, texts, sourceTexts);
  }

  /**
   * The steps leaving the given nodes, ordered by (from, edge key), in columns
   * (store/propagation-columns.ts): what the SQL path answers, without building edge records.
   */
  columns(ids: readonly string[], known?: KnownNumbers): PropagationColumns {
    const position = new Map<number, number>();
    // Numbers from an earlier answer of this index are used when they name the id asked (comparing
    // the same string object is cheap; a Map lookup in a million ids is not); else the id is looked up.
    const trusted = known?.numbering === this && known.numbers.length === ids.length ? known.numbers : null;
    const asked = new Int32Array(ids.length);
    ids.forEach((id, i) => {
      const k = trusted === null ? NONE : trusted[i]!;
      const u = k >= 0 && k < this.n.ids.length && this.n.ids[k] === id ? k : this.nodeOf.get(id);
      asked[i] = u ?? NONE;
      if (u !== undefined && !position.has(u)) position.set(u, i);
    });
    const origins = Int32Array.from(position.keys()).sort();
    const { e, offsets } = this;
    let count = 0;
    for (const u of origins) count += offsets[u + 1]! - offsets[u]!;
    const nodes: StoredNode[] = [];
    const numbers: number[] = [];
    const c = emptyColumns(count, nodes);
    // Far node number -> its place in `nodes`, valid when stamped with this call's stamp.
    const stamp = ++this.stamp;
    const { localOf, stampOf, timeMs } = this;
    let j = 0;
    for (const u of origins) {
      const from = position.get(u)!;
      for (let i = offsets[u]!, end = offsets[u + 1]!; i < end; i++, j++) {
        const far = DIRECTION[e.kind[i]!] === FORWARD ? e.dst[i]! : e.src[i]!;
        if (stampOf[far] !== stamp) {
          stampOf[far] = stamp;
          localOf[far] = nodes.length;
          nodes.push(this.node(far));
          numbers.push(far);
        }
        c.from[j] = from;
        c.to[j] = localOf[far]!;
        c.kind[j] = e.kind[i]!;
        c.access[j] = e.access[i]!;
        c.confidence[j] = e.confidence[i]!;
        c.since[j] = timeMs[e.since[i]!]!;
        c.until[j] = timeMs[e.until[i]!]!;
        c.firstIngestedAt[j] = timeMs[e.firstIngestedAt[i]!]!;
        c.sources[j] = this.sources(e.sources[i]!);
      }
    }
    return { ...c, numbers: { numbering: this, size: this.n.ids.length, of: Int32Array.from(numbers), asked, idOrder: this.idOrder } };
  }

  /** Same fields and key order as rows.ts nodeFromRaw; built once, shared, frozen. */
  private node(u: number): StoredNode {
    let node = this.nodeCache[u];
    if (node === undefined) {
      const n = this.n;
      node = Object.freeze({
        id: n.ids[u]!,
        kind: NODE_KINDS[n.kind[u]!] as NodeKind,
        name: n.names[u]!,
        props: deepFreeze(JSON.parse(n.props[u]!) as Json) as Props,
        sources: this.sources(n.sources[u]!),
        compromised: n.compromised[u] === 1,
        firstIngestedAt: this.texts[n.firstIngestedAt[u]!]!,
        hash: n.hashes[u]!,
      });
      this.nodeCache[u] = node;
    }
    return node;
  }

  private sources(t: number): Source[] {
    let s = this.sourcesCache[t];
    if (s === undefined) {
      s = deepFreeze(JSON.parse(this.sourceTexts[t]!) as Json) as unknown as Source[];
      this.sourcesCache[t] = s;
    }
    return s;
  }
}

interface NodeColumns {
  ids: string[];
  names: string[];
  props: string[];
  hashes: string[];
  /** NODE_KINDS code. */
  kind: Uint8Array;
  compromised: Uint8Array;
  /** Interned sources text. */
  sources: Int32Array;
  /** Interned text. */
  firstIngestedAt: Int32Array;
}

interface EdgeColumns {
  /** Rank in key order. */
  rank: Int32Array;
  /** Node numbers of the stored endpoints. */
  src: Int32Array;
  dst: Int32Array;
  /** EDGE_KINDS code. */
  kind: Uint8Array;
  /** ACCESS_LEVELS code + 1, 0 = absent. */
  access: Uint8Array;
  /** CONFIDENCES code + 1, 0 = absent. */
  confidence: Uint8Array;
  /** Interned texts, 0 ('') = absent. */
  since: Int32Array;
  until: Int32Array;
  firstIngestedAt: Int32Array;
  /** Interned sources text. */
  sources: Int32Array;
}

function edgeColumns(cap: number): EdgeColumns {
  return {
    rank: new Int32Array(cap),
    src: new Int32Array(cap),
    dst: new Int32Array(cap),
    kind: new Uint8Array(cap),
    access: new Uint8Array(cap),
    confidence: new Uint8Array(cap),
    since: new Int32Array(cap),
    until: new Int32Array(cap),
    firstIngestedAt: new Int32Array(cap),
    sources: new Int32Array(cap),
  };
}

/** The edges in `order`: edge order[j] moved to j (ranks are not needed any more). */
function permuted(e: EdgeColumns, order: Int32Array): EdgeColumns {
  const out = edgeColumns(order.length);
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    out.src[j] = e.src[i]!;
    out.dst[j] = e.dst[i]!;
    out.kind[j] = e.kind[i]!;
    out.access[j] = e.access[i]!;
    out.confidence[j] = e.confidence[i]!;
    out.since[j] = e.since[i]!;
    out.until[j] = e.until[i]!;
    out.firstIngestedAt[j] = e.firstIngestedAt[i]!;
    out.sources[j] = e.sources[i]!;
  }
  return out;
}

/**
 * Runs `SELECT rowid ... ORDER BY x` (a covering index scan) and returns each rowid's rank. Null when
 * the rowids are so sparse that a dense table would waste memory (never for rows this store inserted).
 */
function rankByRowid(db: Database.Database, sql: string): { count: number; of: (rowid: number) => number } | null {
  const rowids = db.prepare(sql).pluck().all() as number[];
  let max = 0;
  for (const r of rowids) {
    if (r > max) max = r;
    if (r < 0) return null;
  }
  if (max > 4 * rowids.length + 1_000_000) return null;
  const rank = new Int32Array(max + 1).fill(NONE);
  rowids.forEach((r, i) => (rank[r] = i));
  return { count: rowids.length, of: (rowid) => (rowid >= 0 && rowid <= max ? rank[rowid]! : NONE) };
}

/** SQL mapping a column to its code in a closed list: the position plus `offset`, NULL to 0, else -1. */
function caseOf(column: string, list: readonly string[], offset = 0): string {
  const whens = list.map((v, i) => `WHEN '${v}' THEN ${i + offset}`).join(' ');
  return `CASE ${column} ${whens} ELSE ${offset > 0 ? `CASE WHEN ${column} IS NULL THEN 0 ELSE -1 END` : '-1'} END`;
}

function deepFreeze<T extends Json>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
