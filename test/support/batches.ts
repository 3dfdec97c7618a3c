/** Small builders for hand-made graphs in tests. */
import { createHash } from 'node:crypto';
import type { EdgeInput, GraphBatch, NodeInput, Props, Source } from '../../server/model/types.js';
import type { EdgeKind } from '../../server/model/kinds.js';
import { parseId } from '../../server/model/ids.js';

export const T0 = '2026-03-01T00:00:00Z';

export function source(name = 'test', ingestedAt = T0, pointer?: string): Source[] {
  const sha256 = createHash('sha256').update(name).digest('hex');
  return [{ source: name, sha256, ingestedAt, ...(pointer && { pointer }) }];
}

export function node(id: string, props: Props = {}, name?: string, src: Source[] = source()): NodeInput {
  return { id, kind: parseId(id).kind, ...(name && { name }), props, sources: src };
}

export function edge(from: string, kind: EdgeKind, to: string, extra: Partial<EdgeInput> = {}, src: Source[] = source()): EdgeInput {
  return { from, kind, to, sources: src, ...extra };
}

export function batch(nodes: NodeInput[], edges: EdgeInput[] = [], input = 'test'): GraphBatch {
  return { input, nodes, edges };
}
