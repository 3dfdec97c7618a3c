/**
 * What a store persists, and the one merge every store uses, so that both stores hold the same bytes
 * for the same inputs (and so the same snapshotId). Stores load the existing records a batch touches,
 * call planWrite, and write back the records it returns, all in one transaction.
 */
import { createHash, hash as oneShotHash } from 'node:crypto';
import { BlastError, badInput } from './errors.js';
import { packageIdOf, parseId, printable } from './ids.js';
import { CONFIDENCES, ACCESS_LEVELS, EDGE_ENDPOINTS, isEdgeKind, isNodeKind, type NodeKind } from './kinds.js';
import { checkNodeValues } from './node-values.js';
import { findSecret, refuseSecretIn } from './secrets.js';
import { normalizeTime } from './time.js';
import type { CountSummary, EdgeInput, GraphBatch, GraphEdge, GraphNode, Json, NodeInput, Props, Source } from './types.js';

export interface StoredNode extends GraphNode {
  /** True once the node is marked compromised (by an advisory or a user). */
  compromised: boolean;
  /** The earliest ingestedAt among its sources: `asOf` ignores records first ingested after it. */
  firstIngestedAt: string;
  /** Content hash (32 hex) of the record; the snapshotId is built from these. */
  hash: string;
}

export interface StoredEdge extends GraphEdge {
  key: string;
  firstIngestedAt: string;
  hash: string;
}

/** Props holding instants; they are stored in canonical ISO-8601 UTC. */
export const TIME_PROPS = ['publishedAt', 'compromisedAt', 'containedAt', 'createdAt', 'rotatedAt', 'revokedAt', 'modifiedAt'] as const;

const MAX_STRING = 64 * 1024;
const MAX_NAME = 1024;

/** An edge's identity: two grants of different access to the same target are two edges. */
export function edgeKey(e: Pick<GraphEdge, 'from' | 'kind' | 'to' | 'access'>): string {
  return `${e.from}|${e.kind}|${e.to}|${e.access ?? ''}`;
}

/** A readable name derived from an id, for nodes nobody named. */
export function defaultName(id: string): string {
  if (id.startsWith('pkg:')) {
    // pkg:pypi/litellm@1.82.8 -> litellm@1.82.8; pkg:npm/%40angular/core -> @angular/core
    return decodeURIComponent(id.slice(id.indexOf('/') + 1));
  }
  return id.slice(id.indexOf(':') + 1);
}

/**
 * Completes a batch with what follows from it: a Package and a VERSION_OF edge for every package
 * version, and a stub node for every edge endpoint the batch does not describe. Validates everything.
 * Throws BAD_INPUT or SECRET_REFUSED naming the batch's input and a pointer; never partially.
 */
export function completeBatch(batch: GraphBatch): GraphBatch {
  const nodes = new Map<string, NodeInput>();
  const edges = new Map<string, EdgeInput>();
  // Sources arrays already found valid in this call: ingest shares one array between many records.
  const checked = new Set<unknown>();
  batch.nodes.forEach((n, i) => {
    validateNode(n, batch.input, `/nodes/${i}`, checked);
    const prev = nodes.get(n.id);
    nodes.set(n.id, prev ? mergeInputs(prev, n) : n);
  });
  batch.edges.forEach((e, i) => {
    validateEdge(e, batch.input, i, checked);
    const key = edgeKey(e);
    const prev = edges.get(key);
    edges.set(key, prev ? { ...prev, ...definedOnly(e), sources: unionSources(prev.sources, e.sources) } : e);
  });
  const stub = (id: string, sources: Source[]) => {
    if (!nodes.has(id)) nodes.set(id, { id, kind: parseId(id).kind, sources, stub: true });
  };
  for (const e of edges.values()) {
    stub(e.from, e.sources);
    stub(e.to, e.sources);
  }
  for (const n of [...nodes.values()]) {
    if (n.kind !== 'PackageVersion') continue;
    const pkg = packageIdOf(n.id);
    stub(pkg, n.sources);
    const versionOf: EdgeInput = { from: n.id, kind: 'VERSION_OF', to: pkg, sources: n.sources };
    const key = edgeKey(versionOf);
    if (!edges.has(key)) edges.set(key, versionOf);
  }
  return { input: batch.input, nodes: [...nodes.values()], edges: [...edges.values()] };
}

function mergeInputs(a: NodeInput, b: NodeInput): NodeInput {
  if (a.kind !== b.kind) throw badInput(`"${a.id}" is given as both ${a.kind} and ${b.kind}`);
  const merged: NodeInput = { ...a, name: b.name ?? a.name, props: { ...a.props, ...b.props }, sources: unionSources(a.sources, b.sources) };
  if (!(a.stub && b.stub)) delete merged.stub;
  return merged;
}

function validateNode(n: NodeInput, input: string, pointer: string, checked: Set<unknown>): void {
  if (!isNodeKind(n.kind)) throw badInput(`unknown node kind "${printable(String(n.kind))}"`, input, pointer);
  const parsed = parseId(n.id, input, `${pointer}/id`);
  if (parsed.id !== n.id) throw badInput(`id "${printable(n.id)}" is not normalised (expected "${parsed.id}")`, input, `${pointer}/id`);
  if (parsed.kind !== n.kind) throw badInput(`"${n.id}" is a ${parsed.kind} id, not a ${n.kind}`, input, `${pointer}/id`);
  if (n.name !== undefined && (typeof n.name !== 'string' || n.name.length > MAX_NAME)) {
    throw badInput(`name must be a string of at most ${MAX_NAME} characters`, input, `${pointer}/name`);
  }
  const props = n.props ?? {};
  if (typeof props !== 'object' || Array.isArray(props)) throw badInput('props must be an object', input, `${pointer}/props`);
  for (const key of TIME_PROPS) {
    const v = props[key];
    if (v !== undefined && v !== null && !isCanonicalTime(v)) {
      throw badInput(`${key} must be an ISO-8601 UTC time such as 2026-03-24T10:52:00Z`, input, `${pointer}/props/${key}`);
    }
  }
  checkJson(props, input, `${pointer}/props`);
  checkNodeValues(n.name, props, input, pointer);
  const secret = findSecret({ name: n.name ?? '', props });
  if (secret) throw new BlastError('SECRET_REFUSED', `refused: ${secret.reason}; store credential metadata only`, { input, location: `${pointer}${secret.pointer}` });
  validateSources(n.sources, input, `${pointer}/sources`, checked);
}

function validateEdge(e: EdgeInput, input: string, index: number, checked: Set<unknown>): void {
  // The pointer is built only for an error message: this runs for millions of edges.
  const at = (sub = '') => `/edges/${index}${sub}`;
  if (!isEdgeKind(e.kind)) throw badInput(`unknown edge kind "${printable(String(e.kind))}"`, input, at());
  const from = parseId(e.from, input, at('/from'));
  const to = parseId(e.to, input, at('/to'));
  if (from.id !== e.from || to.id !== e.to) throw badInput('edge endpoints must be normalised ids', input, at());
  const ends = EDGE_ENDPOINTS[e.kind];
  if (!ends.from.includes(from.kind) || !ends.to.includes(to.kind)) {
    throw badInput(`${e.kind} cannot go from a ${from.kind} (${e.from}) to a ${to.kind} (${e.to})`, input, at());
  }
  for (const key of ['since', 'until'] as const) {
    const v = e[key];
    if (v !== undefined && !isCanonicalTime(v)) throw badInput(`${key} must be an ISO-8601 UTC time`, input, at(`/${key}`));
  }
  if (e.since !== undefined && e.until !== undefined && e.since > e.until) {
    throw badInput(`since (${e.since}) is after until (${e.until})`, input, at());
  }
  if (e.confidence !== undefined && !CONFIDENCES.includes(e.confidence)) {
    throw badInput(`confidence must be one of ${CONFIDENCES.join(', ')}`, input, at('/confidence'));
  }
  if (e.access !== undefined && !ACCESS_LEVELS.includes(e.access)) {
    throw badInput(`access must be one of ${ACCESS_LEVELS.join(', ')}`, input, at('/access'));
  }
  if (e.kind === 'GRANTS' && e.access === undefined) throw badInput('a grant needs an access level', input, at('/access'));
  validateSources(e.sources, input, at('/sources'), checked);
}

function validateSources(sources: Source[], input: string, pointer: string, checked: Set<unknown>): void {
  if (checked.has(sources)) return;
  if (!Array.isArray(sources) || sources.length === 0) throw badInput('every fact needs at least one source', input, pointer);
  sources.forEach((s, i) => {
    if (typeof s.source !== 'string' || !/^[0-9a-f]{64}$/.test(s.sha256) || !isCanonicalTime(s.ingestedAt)) {
      throw badInput('a source needs a name, a SHA-256 and a canonical ingestedAt', input, `${pointer}/${i}`);
    }
    refuseSecretIn(s.source, input, `${pointer}/${i}/source`);
    if (typeof s.pointer === 'string') refuseSecretIn(s.pointer, input, `${pointer}/${i}/pointer`);
  });
  checked.add(sources);
}

/**
 * Whether `normalizeTime(v) === v`, remembered for strings: a pure function of the text, and ingest
 * checks the same few instants (every source's ingestedAt) for every record.
 */
function isCanonicalTime(v: unknown): boolean {
  if (typeof v !== 'string') return normalizeTime(v) === v;
  if (CANONICAL_TIMES.has(v)) return true;
  if (!surelyCanonicalTime(v) && normalizeTime(v) !== v) return false;
  if (CANONICAL_TIMES.size >= 100_000) CANONICAL_TIMES.clear();
  CANONICAL_TIMES.add(v);
  return true;
}

const STRICT_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z$/;

/**
 * A quick sufficient test for `normalizeTime(v) === v` (false means "ask normalizeTime"): v has the
 * canonical shape `YYYY-MM-DDTHH:MM:SS[.sss]Z` (milliseconds only when not 000, a year from 1000 on),
 * every field is in range, and Date.parse reads the instant those fields name. Then the canonical
 * text of that instant (toISOString, .000 dropped) is v itself.
 */
function surelyCanonicalTime(v: string): boolean {
  if (!STRICT_TIME.test(v)) return false;
  const num = (from: number, digits: number) => {
    let x = 0;
    for (let i = from; i < from + digits; i++) x = x * 10 + v.charCodeAt(i) - 48;
    return x;
  };
  const year = num(0, 4);
  const month = num(5, 2);
  const day = num(8, 2);
  const hour = num(11, 2);
  const minute = num(14, 2);
  const second = num(17, 2);
  const milli = v.length === 24 ? num(20, 3) : 0;
  if (year < 1000 || (v.length === 24 && milli === 0)) return false;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31)) return false;
  return Date.parse(v) === Date.UTC(year, month - 1, day, hour, minute, second, milli);
}
const CANONICAL_TIMES = new Set<string>();

function checkJson(value: unknown, input: string, pointer: string, depth = 0): void {
  if (depth > 8) throw badInput('value is nested too deeply', input, pointer);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badInput('numbers must be finite', input, pointer);
    return;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_STRING) throw badInput(`string is longer than ${MAX_STRING} characters`, input, pointer);
    return;
  }
  if (Array.isArray(value)) return value.forEach((v, i) => checkJson(v, input, `${pointer}/${i}`, depth + 1));
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as object)) checkJson(v, input, `${pointer}/${k}`, depth + 1);
    return;
  }
  throw badInput(`unsupported value of type ${typeof value}`, input, pointer);
}

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

function definedOnly<T extends object>(o: T): Partial<T> {
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

function mergeNodeWith(existing: StoredNode | undefined, input: NodeInput, memo?: CanonicalMemo): StoredNode {
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
function mergeEdgeWith(existing: StoredEdge | undefined, input: EdgeInput, memo?: CanonicalMemo): StoredEdge {
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

function stripStored(e: StoredEdge): GraphEdge {
  const { key: _k, firstIngestedAt: _f, hash: _h, ...edge } = e;
  return edge;
}

export interface WritePlan {
  /** Records that are new or changed; unchanged ones are left out. */
  nodes: StoredNode[];
  edges: StoredEdge[];
  summary: { nodes: CountSummary; edges: CountSummary };
}

/**
 * Merges a completed batch with the stored records it touches. Pure; the store writes the result.
 * `storedKinds`, when given, holds the kinds of the stored nodes that the batch only mentions (stub
 * inputs): a store may then leave those out of `existingNodes` and skip reading them whole.
 */
export function planWrite(
  batch: GraphBatch,
  existingNodes: ReadonlyMap<string, StoredNode>,
  existingEdges: ReadonlyMap<string, StoredEdge>,
  storedKinds?: ReadonlyMap<string, NodeKind>,
): WritePlan {
  const plan: WritePlan = {
    nodes: [],
    edges: [],
    summary: { nodes: { added: 0, updated: 0, unchanged: 0 }, edges: { added: 0, updated: 0, unchanged: 0 } },
  };
  // Canonical texts of the objects hashed in this call: records share their Source objects.
  const memo: CanonicalMemo = new Map();
  for (const input of batch.nodes) {
    const prev = existingNodes.get(input.id);
    const storedKind = input.stub ? (prev?.kind ?? storedKinds?.get(input.id)) : undefined;
    if (storedKind !== undefined) {
      // A mere mention of a stored node changes nothing (but a kind conflict is still an error).
      if (storedKind !== input.kind) throw new BlastError('CONFLICT', `"${input.id}" is stored as a ${storedKind}, not a ${input.kind}`, { input: batch.input });
      plan.summary.nodes.unchanged++;
      continue;
    }
    let merged: StoredNode;
    try {
      merged = mergeNodeWith(prev, input, memo);
    } catch (err) {
      if (err instanceof BlastError) throw new BlastError(err.code, err.message, { input: batch.input });
      throw err;
    }
    count(plan.summary.nodes, prev?.hash, merged.hash);
    if (prev?.hash !== merged.hash) plan.nodes.push(merged);
  }
  for (const input of batch.edges) {
    const prev = existingEdges.size === 0 ? undefined : existingEdges.get(edgeKey(input));
    const merged = mergeEdgeWith(prev, input, memo);
    count(plan.summary.edges, prev?.hash, merged.hash);
    if (prev?.hash !== merged.hash) plan.edges.push(merged);
  }
  return plan;
}

function count(summary: CountSummary, before: string | undefined, after: string): void {
  if (before === undefined) summary.added++;
  else if (before === after) summary.unchanged++;
  else summary.updated++;
}

/** Node ids a completed batch reads before writing (its nodes; endpoints are nodes after completeBatch). */
export function nodeIdsOf(batch: GraphBatch): string[] {
  return batch.nodes.map((n) => n.id);
}

export function edgeKeysOf(batch: GraphBatch): string[] {
  return batch.edges.map(edgeKey);
}

/** Stable JSON: keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return canonicalText(value) ?? JSON.stringify(sortKeys(value as Json));
}

function sortKeys(value: Json | undefined): Json {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v));
  if (value && typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = value[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value ?? null;
}

/** Canonical texts of objects already serialised in one synchronous call (nothing changes meanwhile). */
type CanonicalMemo = Map<object, string>;

/**
 * `JSON.stringify(sortKeys(value))` written directly, without building the sorted copy. Returns
 * undefined where the two could differ in any way (functions, symbols, bigints, class instances such as
 * Date, `__proto__` or `toJSON` keys, array subclasses): canonicalJson then takes the original path.
 */
function canonicalText(value: unknown, memo?: CanonicalMemo): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  const known = memo?.get(value);
  if (known !== undefined) return known;
  let text: string;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return undefined;
    text = '[';
    for (let i = 0; i < value.length; i++) {
      const item = canonicalText(value[i], memo);
      if (item === undefined) return undefined;
      text += i === 0 ? item : `,${item}`;
    }
    text += ']';
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return undefined;
    text = '{';
    for (const key of canonicalKeyOrder(Object.keys(value).sort())) {
      if (key === '__proto__' || key === 'toJSON') return undefined;
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      const item = canonicalText(v, memo);
      if (item === undefined) return undefined;
      text += `${text.length === 1 ? '' : ','}${JSON.stringify(key)}:${item}`;
    }
    text += '}';
  }
  memo?.set(value, text);
  return text;
}

/**
 * The order in which JSON.stringify writes the keys of an object that sortKeys filled in sorted
 * order: JavaScript lists array-index keys ("2", "10") first, in numeric order, then the others in
 * insertion order.
 */
function canonicalKeyOrder(sorted: string[]): string[] {
  let indexKeys: string[] | undefined;
  for (const key of sorted) if (isArrayIndex(key)) (indexKeys ??= []).push(key);
  if (indexKeys === undefined) return sorted;
  return indexKeys.sort((a, b) => Number(a) - Number(b)).concat(sorted.filter((k) => !isArrayIndex(k)));
}

function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}

export function contentHash(record: GraphNode | GraphEdge): string {
  return contentHashWith(record);
}

function contentHashWith(record: GraphNode | GraphEdge, memo?: CanonicalMemo): string {
  return digest(canonicalText(record, memo) ?? JSON.stringify(sortKeys(record as unknown as Json)));
}

/** The record hash of a canonical text: the first 32 hex digits of its SHA-256. */
function digest(text: string): string {
  return oneShotHash('sha256', text, 'hex').slice(0, 32);
}

/** Four unsigned 32-bit slices of a record hash; stores keep their sums per record type. */
export function hashParts(hash: string): [number, number, number, number] {
  return [0, 8, 16, 24].map((i) => parseInt(hash.slice(i, i + 8), 16)) as [number, number, number, number];
}

/**
 * The snapshotId: a digest of the multiset of record hashes (count and four 32-bit sums, for nodes and
 * for edges). Order-free, so each store computes it with one aggregate query, and equal content gives
 * an equal id on every store.
 */
export function snapshotIdFrom(nodes: { count: number; sums: readonly (string | number | bigint)[] }, edges: { count: number; sums: readonly (string | number | bigint)[] }): string {
  const text = `nodes:${nodes.count}:${nodes.sums.map(String).join(':')}|edges:${edges.count}:${edges.sums.map(String).join(':')}`;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export function toGraphNode(n: StoredNode): GraphNode {
  return { id: n.id, kind: n.kind, name: n.name, props: n.props, sources: n.sources };
}

export function toGraphEdge(e: StoredEdge): GraphEdge {
  return stripStored(e);
}

export type { NodeKind };
