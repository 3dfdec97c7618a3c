/**
 * Completing and validating a batch before any store sees it: what follows from it (packages,
 * VERSION_OF edges, stub endpoints) is added, and every record is checked. Pure; never partial.
 */
import { BlastError, badInput } from './errors.js';
import { packageIdOf, parseId, printable } from './ids.js';
import { CONFIDENCES, ACCESS_LEVELS, EDGE_ENDPOINTS, isEdgeKind, isNodeKind } from './kinds.js';
import { definedOnly, unionSources } from './merge.js';
import { checkNodeValues } from './node-values.js';
import { findSecret, refuseSecretIn } from './secrets.js';
import { edgeKey, TIME_PROPS } from './stored-record.js';
import { normalizeTime } from './time.js';
import type { EdgeInput, GraphBatch, NodeInput, Source } from './types.js';

const MAX_STRING = 64 * 1024;
const MAX_NAME = 1024;

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

