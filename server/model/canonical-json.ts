/**
 * Canonical JSON and record hashing: equal content gives equal text on every store and platform, so
 * equal record hashes and an equal snapshotId.
 */
import { hash as oneShotHash } from 'node:crypto';
import type { GraphEdge, GraphNode, Json } from './types.js';

/** Stable JSON: keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return canonicalText(value) ?? JSON.stringify(sortKeys(value as Json));
}

export function sortKeys(value: Json | undefined): Json {
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
export type CanonicalMemo = Map<object, string>;

/**
 * `JSON.stringify(sortKeys(value))` written directly, without building the sorted copy. Returns
 * undefined where the two could differ in any way (functions, symbols, bigints, class instances such as
 * Date, `__proto__` or `toJSON` keys, array subclasses): canonicalJson then takes the original path.
 */
export function canonicalText(value: unknown, memo?: CanonicalMemo): string | undefined {
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

export function contentHashWith(record: GraphNode | GraphEdge, memo?: CanonicalMemo): string {
  return digest(canonicalText(record, memo) ?? JSON.stringify(sortKeys(record as unknown as Json)));
}

/** The record hash of a canonical text: the first 32 hex digits of its SHA-256. */
export function digest(text: string): string {
  return oneShotHash('sha256', text, 'hex').slice(0, 32);
}

/** Four unsigned 32-bit slices of a record hash; stores keep their sums per record type. */
export function hashParts(hash: string): [number, number, number, number] {
  return [0, 8, 16, 24].map((i) => parseInt(hash.slice(i, i + 8), 16)) as [number, number, number, number];
}
