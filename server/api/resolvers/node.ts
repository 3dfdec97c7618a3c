/** `node`, `nodes` (Relay connection), and the fields of Node and Edge. */
import { BlastError } from '../../model/errors.js';
import { escapeInvisible } from '../../model/ids.js';
import type { EdgeKind, NodeKind } from '../../model/kinds.js';
import type { StoredEdge, StoredNode } from '../../model/record.js';
import type { ApiContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Direction } from '../loaders.js';
import { idArg, intArg } from './args.js';

export interface NodePage {
  rows: StoredNode[];
  hasNextPage: boolean;
  after: string | undefined;
  kind: NodeKind | undefined;
}

/** One page of nodes ordered by id; fetches one extra row to know whether more follow. */
export async function nodePage(ctx: ApiContext, args: { kind?: NodeKind | null; first?: number | null; after?: string | null }): Promise<NodePage> {
  const first = intArg(args.first, 50, 1, ctx.limits.maxPageSize, 'first');
  const after = args.after ? decodeCursor(args.after) : undefined;
  const kind = args.kind ?? undefined;
  ctx.budget.check();
  const rows = await ctx.store.listNodes({ kind, first: first + 1, ...(after !== undefined && { after }) });
  ctx.budget.charge(rows.length, 'nodes');
  for (const n of rows) ctx.loaders.node.prime(n.id, n);
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first, after, kind };
}

export function pageInfo(page: NodePage) {
  const first = page.rows[0];
  const last = page.rows.at(-1);
  return {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.after !== undefined,
    startCursor: first ? encodeCursor(first.id) : null,
    endCursor: last ? encodeCursor(last.id) : null,
  };
}

/** Loads a node that an edge or a result names; a dangling reference is a store bug. */
export async function mustLoad(ctx: ApiContext, id: string): Promise<StoredNode> {
  ctx.budget.check();
  const node = await ctx.loaders.node.load(id);
  if (!node) throw new BlastError('INTERNAL', `the store has an edge to ${id} but no such node`);
  return node;
}

const DIRECTIONS: Record<string, Direction> = { OUT: 'out', IN: 'in', BOTH: 'both' };

function timeProp(node: StoredNode, key: string): string | null {
  const v = node.props[key];
  return typeof v === 'string' ? v : null;
}

export const nodeResolvers = {
  Query: {
    node: (_: unknown, args: { id: string }, ctx: ApiContext) => ctx.loaders.node.load(idArg(args.id, 'id')),
    nodes: (_: unknown, args: { kind?: NodeKind | null; first?: number | null; after?: string | null }, ctx: ApiContext) => nodePage(ctx, args),
  },
  NodeConnection: {
    edges: (page: NodePage) => page.rows.map((node) => ({ cursor: encodeCursor(node.id), node })),
    pageInfo,
    totalCount: (page: NodePage, _: unknown, ctx: ApiContext) => ctx.store.countNodes(page.kind),
  },
  Node: {
    // Zero-width and bidi control characters are kept as given but shown escaped (`\u{200B}`), so a
    // lookalike name cannot pass for another.
    name: (node: StoredNode) => escapeInvisible(node.name),
    compromisedAt: (node: StoredNode) => timeProp(node, 'compromisedAt'),
    containedAt: (node: StoredNode) => timeProp(node, 'containedAt'),
    edges: async (node: StoredNode, args: { direction: string; kinds?: EdgeKind[] | null; first?: number | null }, ctx: ApiContext) => {
      const first = intArg(args.first, 100, 1, ctx.limits.maxNodeEdges, 'first');
      ctx.budget.check();
      const edges = await ctx.loaders.edges(DIRECTIONS[args.direction] ?? 'both', args.kinds ?? null).load(node.id);
      const page = edges.slice(0, first);
      ctx.budget.charge(page.length, 'Node.edges');
      return page;
    },
  },
  Edge: {
    fromNode: (edge: StoredEdge, _: unknown, ctx: ApiContext) => mustLoad(ctx, edge.from),
    toNode: (edge: StoredEdge, _: unknown, ctx: ApiContext) => mustLoad(ctx, edge.to),
  },
};
