/**
 * `blastRadius`: the engine's answer, computed off the event loop (engine-runs.ts) and kept in its
 * compact form; each field is produced only when selected. The contract fields (`affected`,
 * `customers`) answer exactly what `blast radius --format json` prints, and are refused with
 * LIMIT_EXCEEDED, before anything is built, when the selection would pass the configured size
 * (limits.maxAnswerNodes, limits.maxAnswerPathHops). `counts`, `affectedPage` and `affectedNode`
 * read a radius of any size a page or a node at a time.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { defaultSeeds, type BlastOptions, type BlastRun, type SeedInput } from '../../engine/blast-radius.js';
import type { AffectedCustomer, AffectedNode } from '../../engine/blast-radius.js';
import { BlastError } from '../../model/errors.js';
import type { NodeKind } from '../../model/kinds.js';
import type { ApiContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { idArg, intArg, listArg } from './args.js';

/** The blast radius of `seeds` (none: every node marked compromised) with `options`, in compact form. */
export async function blastRadiusOf(ctx: ApiContext, seeds: readonly SeedInput[] | null | undefined, options: BlastOptions | null | undefined): Promise<BlastRun> {
  const given = listArg(seeds, ctx.limits.maxSeeds, 'seeds');
  listArg(options?.contained, ctx.limits.maxSeeds, 'options.contained');
  const used = given && given.length > 0 ? given : await defaultSeeds(ctx.store);
  return ctx.engine.run(ctx.store, used, options ?? {}, ctx.budget.signal);
}

/** Whether the selection under `info`'s field asks for `name` at any depth (fragments included). */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name || walk(s.selectionSet);
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return walk(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((f) => walk(f.selectionSet));
}

function tooLarge(what: string, size: number, limit: number, name: string, instead: string): BlastError {
  return new BlastError('LIMIT_EXCEEDED', `${what} would hold ${size}, over the limit of ${limit} (${name}); ${instead}`, { input: name });
}

function checkNodes(run: BlastRun, count: number, ctx: ApiContext, field: string): void {
  if (count > ctx.limits.maxAnswerNodes) {
    throw tooLarge(`blastRadius.${field}`, count, ctx.limits.maxAnswerNodes, 'maxAnswerNodes', 'read it with counts and affectedPage');
  }
}

function pathHops(run: BlastRun, positions: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < positions.length; i++) total += run.result.hops[run.affectedOrder[positions[i]!]!]!;
  return total;
}

function checkHops(hops: number, ctx: ApiContext, field: string): void {
  if (hops > ctx.limits.maxAnswerPathHops) {
    throw tooLarge(`the evidence paths of blastRadius.${field}`, hops, ctx.limits.maxAnswerPathHops, 'maxAnswerPathHops', 'leave `path` out, or read paths a page or a node at a time (affectedPage, affectedNode)');
  }
}

/** An affected node without its path, whose `path` is read only when selected. */
interface AffectedView {
  run: BlastRun;
  position: number;
}

async function affectedList(run: BlastRun, positions: Int32Array, ctx: ApiContext, info: GraphQLResolveInfo, field: string): Promise<Array<AffectedNode | AffectedView>> {
  checkNodes(run, positions.length, ctx, field);
  if (!selects(info, 'path')) return Array.from(positions, (position) => ({ run, position }));
  checkHops(pathHops(run, positions), ctx, field);
  return run.affectedAt(ctx.store, positions);
}

interface AffectedPage {
  run: BlastRun;
  positions: Int32Array;
  start: number;
  end: number;
  after: boolean;
}

export const blastRadiusResolvers = {
  Query: {
    blastRadius: (_: unknown, args: { seeds?: SeedInput[] | null; options?: BlastOptions | null }, ctx: ApiContext) =>
      blastRadiusOf(ctx, args.seeds, args.options),
  },
  BlastRadius: {
    affectedCount: (run: BlastRun) => run.affectedCount,
    counts: (run: BlastRun) => run.countsByKind(),
    pathHops: (run: BlastRun) => run.pathHopTotal(),
    affected: (run: BlastRun, _: unknown, ctx: ApiContext, info: GraphQLResolveInfo) => affectedList(run, run.positions(), ctx, info, 'affected'),
    customers: async (run: BlastRun, _: unknown, ctx: ApiContext, info: GraphQLResolveInfo): Promise<AffectedCustomer[]> => {
      const refs = run.customerRefs();
      checkNodes(run, refs.length, ctx, 'customers');
      if (!selects(info, 'path')) {
        return refs.map((c) => {
          const { vias, ...customer } = run.customerSummary(c);
          return { ...customer, reasons: vias.map((via) => ({ via, path: [] })) };
        });
      }
      let hops = 0;
      for (const c of refs) for (const r of c.reasons) hops += r.hops;
      checkHops(hops, ctx, 'customers');
      return run.customersAt(ctx.store, refs);
    },
    affectedPage: (run: BlastRun, args: { kind?: NodeKind | null; first?: number | null; after?: string | null }, ctx: ApiContext): AffectedPage => {
      const first = intArg(args.first, 100, 1, ctx.limits.maxPageSize, 'first');
      const positions = run.positions(args.kind ?? undefined);
      let start = 0;
      if (args.after !== null && args.after !== undefined) {
        const at = run.positionOf(decodeCursor(args.after));
        if (at < 0) throw new BlastError('BAD_INPUT', 'the cursor names a node this blast radius does not reach', { input: 'after' });
        // Positions ascend: the first one past the cursor's.
        let lo = 0;
        let hi = positions.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (positions[mid]! <= at) lo = mid + 1;
          else hi = mid;
        }
        start = lo;
      }
      return { run, positions, start, end: Math.min(positions.length, start + first), after: start > 0 || Boolean(args.after) };
    },
    affectedNode: async (run: BlastRun, args: { id: string }, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const at = run.positionOf(idArg(args.id, 'id'));
      if (at < 0) return null;
      const [one] = await affectedList(run, Int32Array.of(at), ctx, info, 'affectedNode');
      return one;
    },
  },
  AffectedConnection: {
    totalCount: (page: AffectedPage) => page.positions.length,
    edges: async (page: AffectedPage, _: unknown, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const positions = page.positions.subarray(page.start, page.end);
      const nodes = await affectedList(page.run, positions, ctx, info, 'affectedPage');
      return nodes.map((node, i) => ({ cursor: encodeCursor(page.run.projection.id(page.run.affectedOrder[positions[i]!]!)), node }));
    },
    pageInfo: (page: AffectedPage) => {
      const id = (i: number) => encodeCursor(page.run.projection.id(page.run.affectedOrder[page.positions[i]!]!));
      const empty = page.end <= page.start;
      return { hasNextPage: page.end < page.positions.length, hasPreviousPage: page.after, startCursor: empty ? null : id(page.start), endCursor: empty ? null : id(page.end - 1) };
    },
  },
  Affected: {
    id: (a: AffectedNode | AffectedView) => ('run' in a ? a.run.summary(a.position).id : a.id),
    kind: (a: AffectedNode | AffectedView) => ('run' in a ? a.run.summary(a.position).kind : a.kind),
    name: (a: AffectedNode | AffectedView) => ('run' in a ? a.run.summary(a.position).name : a.name),
    firstExposedAt: (a: AffectedNode | AffectedView) => ('run' in a ? a.run.summary(a.position).firstExposedAt : a.firstExposedAt),
    hops: (a: AffectedNode | AffectedView) => ('run' in a ? a.run.summary(a.position).hops : a.hops),
    confidence: (a: AffectedNode | AffectedView) => ('run' in a ? a.run.summary(a.position).confidence : a.confidence),
    // A view is only handed out when `path` is not selected (affectedList).
    path: (a: AffectedNode | AffectedView) => ('run' in a ? [] : a.path),
    node: (a: AffectedNode | AffectedView, _: unknown, ctx: ApiContext) => ctx.loaders.node.load('run' in a ? a.run.summary(a.position).id : a.id),
  },
  AffectedCustomer: {
    node: (c: AffectedCustomer, _: unknown, ctx: ApiContext) => ctx.loaders.node.load(c.id),
  },
};
