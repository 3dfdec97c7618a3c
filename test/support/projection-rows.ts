/**
 * Readable rows of a store's propagation projection (server/projection/), and the same rows derived
 * from the store's records (listNodes, edgesOf), so tests can check that the projection says exactly
 * what the store holds, whichever store built it.
 */
import { ACCESS_LEVELS, CONFIDENCES, EDGE_KINDS, PROPAGATION } from '../../server/model/kinds.js';
import { buildProjection } from '../../server/projection/build.js';
import type { Projection } from '../../server/projection/projection.js';
import type { GraphStore } from '../../server/store/graph-store.js';

export interface StepRow {
  from: string;
  to: string;
  kind: string;
  access: string | null;
  confidence: string | null;
  since: number | null;
  until: number | null;
  firstIngestedAt: number;
}

const bound = (t: number) => (Number.isFinite(t) ? t : null);

/** Every step of a projection, by leaving node (id order), then in a stable order within it. */
export function stepsOfProjection(p: Projection): StepRow[] {
  const rows: StepRow[] = [];
  const c = p.c;
  for (let u = 0; u < p.nodeCount; u++) {
    for (let s = c.stepStart[u]!; s < c.stepStart[u + 1]!; s++) {
      rows.push({
        from: p.id(u),
        to: p.id(c.far[s]!),
        kind: EDGE_KINDS[c.stepKind[s]!]!,
        access: c.access[s] === 0 ? null : ACCESS_LEVELS[c.access[s]! - 1]!,
        confidence: c.confidence[s] === 0 ? null : CONFIDENCES[c.confidence[s]! - 1]!,
        since: bound(c.since[s]!),
        until: bound(c.until[s]!),
        firstIngestedAt: c.stepIngestedAt[s]!,
      });
    }
  }
  return sortRows(rows);
}

/** The same rows from the store's records: every propagating edge, leaving in the compromise's direction. */
export async function stepsOfRecords(store: GraphStore): Promise<StepRow[]> {
  const ids: string[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.listNodes({ first: 5000, after });
    if (page.length === 0) break;
    ids.push(...page.map((n) => n.id));
    after = page.at(-1)!.id;
  }
  const edges = await store.edgesOf(ids, { direction: 'out' });
  return sortRows(
    edges
      .filter((e) => PROPAGATION[e.kind] !== null)
      .map((e) => {
        const forward = PROPAGATION[e.kind] === 'forward';
        return {
          from: forward ? e.from : e.to,
          to: forward ? e.to : e.from,
          kind: e.kind,
          access: e.access ?? null,
          confidence: e.confidence ?? null,
          since: e.since === undefined ? null : Date.parse(e.since),
          until: e.until === undefined ? null : Date.parse(e.until),
          firstIngestedAt: Date.parse(e.firstIngestedAt),
        };
      }),
  );
}

/** The ids of a projection's nodes in number order. */
export function idsOfProjection(p: Projection): string[] {
  return Array.from({ length: p.nodeCount }, (_, n) => p.id(n));
}

export async function projectionOf(store: GraphStore): Promise<Projection> {
  return buildProjection(store);
}

function sortRows(rows: StepRow[]): StepRow[] {
  const key = (r: StepRow) => `${r.from}\u0000${r.kind}\u0000${r.to}\u0000${r.access ?? ''}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
