/**
 * The one merge every store uses: a stored record and an input become the new stored record, with
 * its content hash. Pure.
 */
import { BlastError } from './errors.js';
import { canonicalJson, canonicalText, contentHashWith, digest, sortKeys, type CanonicalMemo } from './canonical-json.js';
import { defaultName, edgeKey, type StoredEdge, type StoredNode } from './stored-record.js';
import type { EdgeInput, GraphEdge, NodeInput, Props, Source } from './types.js';

/** Sources are a set keyed by (sha256, pointer); the first ingestion of a record is kept. */
export function unionSources(a: readonly Source[], b: readonly Source[]): Source[] {
  // One source (a new record, the common case): nothing to merge or sort.
  if (a.length + b.length === 1) {
    const only = a.length === 1 ? a[0]! : b[0]!;
    if (typeof only === 'object' && only !== null) return [only];
  }
  const byKey = new Map<string, Source>();
  for (const s of [...a, ...b]) {
    const key = `${s.sha256}#${s.pointer ?? ''}`;
    const prev = byKey.get(key);
    if (!prev || s.ingestedAt < prev.ingestedAt) byKey.set(key, s);
  }
  return [...byKey.values()].sort(compareSources);
}

function compareSources(a: Source, b: Source): number {
  return cmp(a.ingestedAt, b.ingestedAt) || cmp(a.source, b.source) || cmp(a.sha256, b.sha256) || cmp(a.pointer ?? '', b.pointer ?? '');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[key];
    if (v === undefined) continue;
    // Assignment would set the prototype; fromEntries defines an own property.
    if (key === '__proto__') return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
    out[key] = v;
  }
  return out as Partial<T>;
}

export function mergeNode(existing: StoredNode | undefined, input: NodeInput): StoredNode {
  return mergeNodeWith(existing, input);
}

export function mergeNodeWith(existing: StoredNode | undefined, input: NodeInput, memo?: CanonicalMemo): StoredNode {
  if (existing && existing.kind !== input.kind) {
    throw new BlastError('CONFLICT', `"${input.id}" is stored as a ${existing.kind}, not a ${input.kind}`);
  }
  const props = sortKeys(mergeProps(existing?.props ?? {}, input.props ?? {}) as Props) as Props;
  const sources = unionSources(existing?.sources ?? [], input.sources);
  const node = {
    id: input.id,
    kind: input.kind,
    name: input.name ?? existing?.name ?? defaultName(input.id),
    props,
    sources,
  };
  return {
    ...node,
    compromised: props.compromised === true || typeof props.compromisedAt === 'string',
    firstIngestedAt: sources[0]!.ingestedAt,
    hash: contentHashWith(node, memo),
  };
}

/**
 * Later assertions override earlier ones, except: `advisories` accumulate (a version named by two
 * advisories keeps both), and a record carrying an older `modifiedAt` than the stored one (an older
 * revision of the same advisory) does not override what the newer revision said.
 */
function mergeProps(stored: Props, incoming: Props): Props {
  const fresh = definedOnly(incoming) as Props;
  const older = typeof stored.modifiedAt === 'string' && typeof fresh.modifiedAt === 'string' && fresh.modifiedAt < stored.modifiedAt;
  const merged: Props = older ? { ...fresh, ...stored } : { ...stored, ...fresh };
  if (Array.isArray(stored.advisories) || Array.isArray(fresh.advisories)) {
    const all = [...(Array.isArray(stored.advisories) ? stored.advisories : []), ...(Array.isArray(fresh.advisories) ? fresh.advisories : [])];
    merged.advisories = [...new Set(all.map(String))].sort();
  }
  return merged;
}

export function mergeEdge(existing: StoredEdge | undefined, input: EdgeInput): StoredEdge {
  return mergeEdgeWith(existing, input);
}

/**
 * The stored edge: the input's defined fields over the existing ones, sources united. Key order:
 * from, kind, to, since?, until?, confidence?, access?, sources, key, firstIngestedAt, hash.
 */
export function mergeEdgeWith(existing: StoredEdge | undefined, input: EdgeInput, memo?: CanonicalMemo): StoredEdge {
  const sources = unionSources(existing?.sources ?? [], input.sources);
  const from = input.from !== undefined ? input.from : existing?.from;
  const kind = input.kind !== undefined ? input.kind : existing?.kind;
  const to = input.to !== undefined ? input.to : existing?.to;
  const since = input.since !== undefined ? input.since : existing?.since;
  const until = input.until !== undefined ? input.until : existing?.until;
  const confidence = input.confidence !== undefined ? input.confidence : existing?.confidence;
  const access = input.access !== undefined ? input.access : existing?.access;
  const edge = { from, kind, to } as StoredEdge;
  if (since !== undefined) edge.since = since;
  if (until !== undefined) edge.until = until;
  if (confidence !== undefined) edge.confidence = confidence;
  if (access !== undefined) edge.access = access;
  edge.sources = sources;
  // The hash covers the GraphEdge fields above (contentHash(toGraphEdge(edge))), in canonical form.
  const text = edgeCanonical(edge, memo) ?? canonicalJson({ ...edge });
  edge.key = edgeKey(edge);
  edge.firstIngestedAt = sources[0]!.ingestedAt;
  edge.hash = digest(text);
  return edge;
}

/** canonicalJson of a GraphEdge, its keys written in sorted order; undefined when unsure. */
function edgeCanonical(e: GraphEdge, memo?: CanonicalMemo): string | undefined {
  if (e.from === undefined || e.kind === undefined || e.to === undefined) return undefined;
  const from = canonicalText(e.from, memo);
  const kind = canonicalText(e.kind, memo);
  const to = canonicalText(e.to, memo);
  const sources = canonicalText(e.sources, memo);
  const since = e.since === undefined ? '' : canonicalText(e.since, memo);
  const until = e.until === undefined ? '' : canonicalText(e.until, memo);
  const confidence = e.confidence === undefined ? '' : canonicalText(e.confidence, memo);
  const access = e.access === undefined ? '' : canonicalText(e.access, memo);
  if (
    from === undefined ||
    kind === undefined ||
    to === undefined ||
    sources === undefined ||
    since === undefined ||
    until === undefined ||
    confidence === undefined ||
    access === undefined
  ) {
    return undefined;
  }
  // Sorted keys: access, confidence, from, kind, since, sources, to, until.
  return (
    `{${access && `"access":${access},`}${confidence && `"confidence":${confidence},`}"from":${from},"kind":${kind},` +
    `${since && `"since":${since},`}"sources":${sources},"to":${to}${until && `,"until":${until}`}}`
  );
}

