/** `path`: a shortest path between two nodes. */
import type { EdgeKind } from '../../model/kinds.js';
import type { StoredEdge } from '../../model/record.js';
import type { ApiContext } from '../context.js';
import { shortestPath } from '../graph/shortest-path.js';
import { idArg, intArg } from './args.js';
import { mustLoad } from './node.js';

export const pathResolvers = {
  Query: {
    path: async (_: unknown, args: { from: string; to: string; edgeKinds?: EdgeKind[] | null; maxHops?: number | null }, ctx: ApiContext) => {
      const from = idArg(args.from, 'from');
      const to = idArg(args.to, 'to');
      const maxHops = intArg(args.maxHops, 8, 1, ctx.limits.maxPathHops, 'maxHops');
      const [a, b] = await Promise.all([ctx.loaders.node.load(from), ctx.loaders.node.load(to)]);
      if (!a || !b) return null;
      const found = await shortestPath(ctx.store, from, to, { maxHops, edgeKinds: args.edgeKinds, maxVisited: ctx.limits.maxPathVisited, check: () => ctx.budget.check() });
      if (!found) return null;
      const nodes = await Promise.all(found.ids.map((id) => mustLoad(ctx, id)));
      const steps = found.steps.map((edge: StoredEdge, i) => {
        const stepFrom = found.ids[i]!;
        return { from: stepFrom, to: found.ids[i + 1]!, edge, reversed: edge.from !== stepFrom };
      });
      return { hops: steps.length, nodes, steps };
    },
  },
};
