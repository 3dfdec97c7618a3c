/**
 * The Neo4j store's side of the propagation projection (store/projection-source.ts): the graph
 * version from the Meta node, and every node and propagating edge streamed a page at a time as
 * column lists (cypher/projection.cypher): one record per page of a few thousand nodes, numbers sent
 * as floats (no Integer objects to decode), never a per-row map and never one giant record.
 *
 * Neo4j reads are read-committed, not snapshots, so the version is read before and after; when a
 * write came between, the read is reported as a CONFLICT and the projection builder reads again.
 */
import { BlastError } from '../../model/errors.js';
import type { Json, Source } from '../../model/types.js';
import {
  ACCESS_CODE,
  CONFIDENCE_CODE,
  EDGE_CODE,
  NODE_CODE,
  edgeBatch,
  nodeBatch,
  setNodeTimes,
  type ProjectionSink,
  type ProjectionState,
} from '../projection-source.js';
import type { CypherCatalog } from './cypher-loader.js';
import type { Executor } from './executor.js';
import { toInteger, toNumber } from './records.js';

/** Nodes per page: a record of a few thousand entries per list decodes fast. */
const PAGE = 5_000;
/** Edge refs per edgeSources statement. */
const SOURCES_CHUNK = 5_000;

export async function graphVersionOf(db: Executor, cypher: CypherCatalog): Promise<string> {
  const [row] = await db.read('graphVersion', (tx) => tx.run(cypher.statement('graphVersion')));
  return `${(row?.epoch as string | null) ?? 'none'}:${row?.version == null ? 0 : toNumber(row.version)}`;
}

export async function readProjection(
  db: Executor,
  cypher: CypherCatalog,
  sink: ProjectionSink,
  snapshotId: () => Promise<string>,
): Promise<ProjectionState> {
  const version = await graphVersionOf(db, cypher);
  const snapshot = await snapshotId();
  const times = new Map<string, number>();
  const time = (t: string | null | undefined): number => {
    if (typeof t !== 'string' || t === '') return NaN;
    let ms = times.get(t);
    if (ms === undefined) {
      ms = Date.parse(t);
      if (times.size < 100_000) times.set(t, ms);
    }
    return ms;
  };
  let after = '';
  for (;;) {
    // One page of nodes, then their edges; the next page is asked while this one's edges are decoded.
    const [page] = await db.read('projectionNodes', (tx) => tx.run(cypher.statement('projectionNodes'), { after, first: toInteger(PAGE) }));
    const ids = (page?.id as string[] | undefined) ?? [];
    if (ids.length === 0) break;
    const refs = page!.ref as number[];
    const kinds = page!.kind as string[];
    const names = page!.name as string[];
    const ingested = page!.firstIngestedAt as string[];
    const props = page!.props as string[];
    const b = nodeBatch(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const kind = NODE_CODE.get(kinds[i]!);
      if (kind === undefined) throw new BlastError('INTERNAL', `node ${ids[i]} has an unknown kind`);
      b.ref[i] = refs[i]!;
      b.id[i] = ids[i]!;
      b.kind[i] = kind;
      b.name[i] = names[i]!;
      b.firstIngestedAt[i] = time(ingested[i]);
      // Only props that can hold one of the time fields are parsed.
      const text = props[i]!;
      if (text.includes('At"')) setNodeTimes(b, i, JSON.parse(text) as { [key: string]: Json });
    }
    sink.nodes(b);
    const [edges] = await db.read('projectionEdges', (tx) => tx.run(cypher.statement('projectionEdges'), { refs }));
    if (edges) {
      const ref = edges.ref as number[];
      const e = edgeBatch(ref.length);
      const src = edges.src as number[];
      const dst = edges.dst as number[];
      const kind = edges.kind as string[];
      const access = edges.access as string[];
      const confidence = edges.confidence as string[];
      const since = edges.since as string[];
      const until = edges.until as string[];
      const firstIngestedAt = edges.firstIngestedAt as string[];
      for (let i = 0; i < ref.length; i++) {
        const k = EDGE_CODE.get(kind[i]!);
        const a = access[i] === '' ? 0 : ACCESS_CODE.get(access[i]!);
        const c = confidence[i] === '' ? 0 : CONFIDENCE_CODE.get(confidence[i]!);
        if (k === undefined || a === undefined || c === undefined) throw new BlastError('INTERNAL', `edge ${ref[i]} has an unknown kind, access or confidence`);
        e.ref[i] = ref[i]!;
        e.src[i] = src[i]!;
        e.dst[i] = dst[i]!;
        e.kind[i] = k;
        e.access[i] = a;
        e.confidence[i] = c;
        e.since[i] = time(since[i]);
        e.until[i] = time(until[i]);
        e.firstIngestedAt[i] = time(firstIngestedAt[i]);
      }
      sink.edges(e);
    }
    after = ids[ids.length - 1]!;
  }
  if ((await graphVersionOf(db, cypher)) !== version) {
    throw new BlastError('CONFLICT', 'the graph changed while its projection was read');
  }
  return { version, snapshotId: snapshot };
}

export async function edgeSourcesOf(db: Executor, cypher: CypherCatalog, refs: readonly number[]): Promise<Array<readonly Source[] | null>> {
  const unique = [...new Set(refs)];
  const byRef = new Map<number, readonly Source[]>();
  const parsed = new Map<string, readonly Source[]>();
  await db.read('edgeSources', async (tx) => {
    for (let i = 0; i < unique.length; i += SOURCES_CHUNK) {
      const [row] = await tx.run(cypher.statement('edgeSources'), { refs: unique.slice(i, i + SOURCES_CHUNK) });
      const got = (row?.ref as number[] | undefined) ?? [];
      const texts = (row?.sources as string[] | undefined) ?? [];
      got.forEach((r, j) => {
        let s = parsed.get(texts[j]!);
        if (s === undefined) {
          s = JSON.parse(texts[j]!) as Source[];
          parsed.set(texts[j]!, s);
        }
        byRef.set(r, s);
      });
    }
  });
  return refs.map((r) => byRef.get(r) ?? null);
}
