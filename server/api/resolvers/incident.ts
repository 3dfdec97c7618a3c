/**
 * Incidents: saved cases stored in the graph as `Incident` nodes (`inc:…`) through store.write, so
 * they share the graph's provenance, snapshotId and stores. Props: `status`, `seeds` ([{id, at?}]),
 * `window` ({start, end}), `notes`, `options` (blast-radius options as given).
 */
import { createHash } from 'node:crypto';
import { normaliseOptions, type BlastOptions, type SeedInput } from '../../engine/blast-options.js';
import { parseId } from '../../model/ids.js';
import { BlastError } from '../../model/errors.js';
import { canonicalJson, type StoredNode } from '../../model/record.js';
import type { GraphBatch, Json, Props } from '../../model/types.js';
import type { ApiContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { idOfKind, intArg, listArg } from './args.js';
import { blastRadiusOf } from './blast-radius.js';
import { REVISION_SOURCE, storedRevisions, type IncidentRevision } from '../../engine/incident-revisions.js';

type Status = 'open' | 'contained' | 'closed';

interface Window {
  start?: string | null;
  end?: string | null;
}

interface CreateInput {
  id?: string | null;
  name: string;
  seeds: SeedInput[];
  window?: Window | null;
  notes?: string | null;
  status?: Status | null;
  options?: BlastOptions | null;
}

type UpdateInput = Partial<Omit<CreateInput, 'id'>>;

const MAX_NAME = 200;
const MAX_NOTES = 64 * 1024;

export const incidentResolvers = {
  Query: {
    incident: async (_: unknown, args: { id: string }, ctx: ApiContext) => {
      const node = await ctx.loaders.node.load(idOfKind(args.id, 'Incident', 'id'));
      return node && node.kind === 'Incident' ? node : null;
    },
    incidents: (_: unknown, args: { status?: Status | null; first?: number | null; after?: string | null }, ctx: ApiContext) => incidentPage(ctx, args),
  },
  Mutation: {
    createIncident: async (_: unknown, { input }: { input: CreateInput }, ctx: ApiContext) => {
      ctx.require('analyst', 'create incidents');
      const name = checkName(input.name);
      const id = input.id ? idOfKind(input.id, 'Incident', 'input.id') : idFromName(name);
      const [existing] = await ctx.store.getNodes([id]);
      if (existing) throw new BlastError('CONFLICT', 'an incident with this id exists; use updateIncident or another id', { input: id });
      const props: Props = { status: input.status ?? 'open', seeds: seedsProp(ctx, input.seeds) };
      Object.assign(props, optionalProps(ctx, input));
      return save(ctx, 'createIncident', id, name, props);
    },
    updateIncident: async (_: unknown, args: { id: string; input: UpdateInput }, ctx: ApiContext) => {
      ctx.require('analyst', 'update incidents');
      const id = idOfKind(args.id, 'Incident', 'id');
      const [existing] = await ctx.store.getNodes([id]);
      if (!existing || existing.kind !== 'Incident') throw new BlastError('NOT_FOUND', 'no such incident', { input: id });
      const { input } = args;
      const props: Props = {};
      if (input.status) props.status = input.status;
      if (input.seeds) props.seeds = seedsProp(ctx, input.seeds);
      Object.assign(props, optionalProps(ctx, input));
      return save(ctx, 'updateIncident', id, input.name ? checkName(input.name) : undefined, props);
    },
  },
  Incident: {
    status: (n: StoredNode) => (typeof n.props.status === 'string' ? n.props.status : 'open'),
    seeds: (n: StoredNode) => storedSeeds(n).map((s) => ({ id: s.id, at: s.at ?? null })),
    window: (n: StoredNode) => (isObject(n.props.window) ? n.props.window : null),
    notes: (n: StoredNode) => (typeof n.props.notes === 'string' ? n.props.notes : null),
    options: (n: StoredNode) => (isObject(n.props.options) ? n.props.options : null),
    createdAt: (n: StoredNode) => n.firstIngestedAt,
    // Revisions are the watcher's, not a change of the incident itself.
    updatedAt: (n: StoredNode) => n.sources.reduce((max, s) => (s.source !== REVISION_SOURCE && s.ingestedAt > max ? s.ingestedAt : max), n.firstIngestedAt),
    node: (n: StoredNode) => n,
    blastRadius: (n: StoredNode, _: unknown, ctx: ApiContext) =>
      blastRadiusOf(ctx, storedSeeds(n), isObject(n.props.options) ? (n.props.options as BlastOptions) : {}),
    revisions: (n: StoredNode, args: { first?: number | null; after?: string | null }, ctx: ApiContext) => revisionPage(ctx, n, args),
  },
  IncidentRevisionConnection: {
    edges: (page: { rows: IncidentRevision[] }) => page.rows.map((node) => ({ cursor: encodeCursor(String(node.revision)), node })),
  },
  IncidentConnection: {
    edges: (page: { rows: StoredNode[] }) => page.rows.map((node) => ({ cursor: encodeCursor(node.id), node })),
  },
};

async function incidentPage(ctx: ApiContext, args: { status?: Status | null; first?: number | null; after?: string | null }) {
  const first = intArg(args.first, 50, 1, ctx.limits.maxPageSize, 'first');
  const after = args.after ? decodeCursor(args.after) : undefined;
  const rows: StoredNode[] = [];
  let cursor = after;
  // A status filter is applied after reading; keep reading pages until one more than `first` matched.
  for (;;) {
    const batch = await ctx.store.listNodes({ kind: 'Incident', first: Math.max(first + 1, 100), ...(cursor !== undefined && { after: cursor }) });
    for (const n of batch) if (!args.status || (n.props.status ?? 'open') === args.status) rows.push(n);
    if (rows.length > first || batch.length < Math.max(first + 1, 100)) break;
    cursor = batch.at(-1)!.id;
  }
  const page = rows.slice(0, first);
  const firstRow = page[0];
  const last = page.at(-1);
  return {
    rows: page,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== undefined,
      startCursor: firstRow ? encodeCursor(firstRow.id) : null,
      endCursor: last ? encodeCursor(last.id) : null,
    },
  };
}

function revisionPage(ctx: ApiContext, n: StoredNode, args: { first?: number | null; after?: string | null }) {
  const first = intArg(args.first, 50, 1, ctx.limits.maxPageSize, 'first');
  let from = 0;
  if (args.after) {
    const after = decodeCursor(args.after);
    if (!/^[1-9]\d{0,8}$/.test(after)) throw new BlastError('BAD_INPUT', 'not a revision cursor (use pageInfo.endCursor or an edge cursor)', { input: 'after' });
    from = Number(after);
  }
  const all = storedRevisions(n);
  const rows = all.slice(from, from + first);
  return {
    rows,
    totalCount: all.length,
    pageInfo: {
      hasNextPage: from + first < all.length,
      hasPreviousPage: from > 0,
      startCursor: rows[0] ? encodeCursor(String(rows[0].revision)) : null,
      endCursor: rows.at(-1) ? encodeCursor(String(rows.at(-1)!.revision)) : null,
    },
  };
}

async function save(ctx: ApiContext, op: string, id: string, name: string | undefined, props: Props): Promise<StoredNode> {
  const source = `api:${op}`;
  const sha256 = createHash('sha256').update(canonicalJson({ op, id, name: name ?? null, props })).digest('hex');
  const batch: GraphBatch = {
    input: source,
    nodes: [{ id, kind: 'Incident', ...(name !== undefined && { name }), props, sources: [{ source, sha256, ingestedAt: ctx.now() }] }],
    edges: [],
  };
  await ctx.store.write(batch);
  ctx.loaders.node.clear(id);
  const [saved] = await ctx.store.getNodes([id]);
  if (!saved) throw new BlastError('INTERNAL', 'the incident was written but cannot be read back', { input: id });
  return saved;
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (name === '' || name.length > MAX_NAME) throw new BlastError('BAD_INPUT', `a name of 1 to ${MAX_NAME} characters is required`, { input: 'input.name' });
  return name;
}

/** `inc:` and a slug of the name, e.g. "2026-03 litellm" -> inc:2026-03-litellm. */
function idFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  if (!slug) throw new BlastError('BAD_INPUT', 'the name has no letters or digits to make an id from; give input.id', { input: 'input.id' });
  return `inc:${slug}`;
}

function seedsProp(ctx: ApiContext, seeds: readonly SeedInput[]): Json {
  listArg(seeds, ctx.limits.maxSeeds, 'input.seeds');
  if (seeds.length === 0) throw new BlastError('BAD_INPUT', 'an incident needs at least one seed', { input: 'input.seeds' });
  // Ids normalised (times already are, by the DateTime scalar), duplicates dropped, ordered by id then time.
  const unique = new Map<string, { id: string; at?: string }>();
  seeds.forEach((seed, i) => {
    const id = parseId(seed.id, 'input.seeds', `/${i}/id`).id;
    const entry = seed.at ? { id, at: seed.at } : { id };
    unique.set(`${id}\u0000${seed.at ?? ''}`, entry);
  });
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
}

/** window, notes and options: absent keeps the stored value, null clears it. */
function optionalProps(ctx: ApiContext, input: UpdateInput): Props {
  const props: Props = {};
  if (input.window !== undefined) {
    const w = input.window;
    if (w && w.start && w.end && w.start > w.end) throw new BlastError('BAD_INPUT', `start (${w.start}) is after end (${w.end})`, { input: 'input.window' });
    props.window = w ? { start: w.start ?? null, end: w.end ?? null } : null;
  }
  if (input.notes !== undefined) {
    if (input.notes !== null && input.notes.length > MAX_NOTES) throw new BlastError('BAD_INPUT', `notes are limited to ${MAX_NOTES} characters`, { input: 'input.notes' });
    props.notes = input.notes;
  }
  if (input.options !== undefined) {
    if (input.options === null) props.options = null;
    else {
      listArg(input.options.contained, ctx.limits.maxSeeds, 'input.options.contained');
      // Validate now so a bad option fails here, not every time the incident's radius is computed.
      const normalised = normaliseOptions(input.options);
      const given = Object.fromEntries(Object.entries(input.options).filter(([, v]) => v !== undefined && v !== null)) as Props;
      if (given.contained !== undefined) given.contained = normalised.contained as unknown as Json;
      props.options = given;
    }
  }
  return props;
}

function storedSeeds(n: StoredNode): SeedInput[] {
  const seeds = n.props.seeds;
  if (!Array.isArray(seeds)) return [];
  return seeds.flatMap((s) => (isObject(s) && typeof s.id === 'string' ? [typeof s.at === 'string' ? { id: s.id, at: s.at } : { id: s.id }] : []));
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
