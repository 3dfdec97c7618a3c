/**
 * Readable rows of a propagationColumns() answer, and the same rows derived from propagation()
 * records, so tests can check that both forms of the contract say the same thing.
 */
import { ACCESS_LEVELS, CONFIDENCES, EDGE_KINDS } from '../../server/model/kinds.js';
import type { PropagationStep } from '../../server/store/graph-store.js';
import { stepEdgeKey, type PropagationColumns } from '../../server/store/propagation-columns.js';

export interface StepRow {
  from: string;
  to: string;
  toRecord: unknown;
  key: string;
  kind: string;
  access: string | null;
  confidence: string | null;
  since: number | null;
  until: number | null;
  firstIngestedAt: number;
  sources: unknown;
}

export function rowsOfColumns(ids: readonly string[], c: PropagationColumns): StepRow[] {
  const rows: StepRow[] = [];
  for (let i = 0; i < c.count; i++) {
    const from = ids[c.from[i]!]!;
    const to = c.nodes[c.to[i]!]!;
    rows.push({
      from,
      to: to.id,
      toRecord: to,
      key: stepEdgeKey(from, c.kind[i]!, to.id, c.access[i]!),
      kind: EDGE_KINDS[c.kind[i]!]!,
      access: c.access[i] === 0 ? null : ACCESS_LEVELS[c.access[i]! - 1]!,
      confidence: c.confidence[i] === 0 ? null : CONFIDENCES[c.confidence[i]! - 1]!,
      since: Number.isNaN(c.since[i]) ? null : c.since[i]!,
      until: Number.isNaN(c.until[i]) ? null : c.until[i]!,
      firstIngestedAt: c.firstIngestedAt[i]!,
      sources: c.sources[i],
    });
  }
  // Every far node once.
  const ids2 = c.nodes.map((n) => n.id);
  if (new Set(ids2).size !== ids2.length) throw new Error('a node appears twice in the columns');
  return rows;
}

export function rowsOfSteps(steps: readonly PropagationStep[]): StepRow[] {
  return steps.map((s) => ({
    from: s.from,
    to: s.to.id,
    toRecord: s.to,
    key: s.edge.key,
    kind: s.edge.kind,
    access: s.edge.access ?? null,
    confidence: s.edge.confidence ?? null,
    since: s.edge.since === undefined ? null : Date.parse(s.edge.since),
    until: s.edge.until === undefined ? null : Date.parse(s.edge.until),
    firstIngestedAt: Date.parse(s.edge.firstIngestedAt),
    sources: s.edge.sources,
  }));
}
