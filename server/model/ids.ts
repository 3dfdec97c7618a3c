/**
 * Ids are natural keys. Package ids are purls, parsed and normalised by packageurl-js so that
 * `pkg:pypi/LiteLLM@1.82.8` and `pkg:pypi/litellm@1.82.8` name one node; qualifiers and subpaths are
 * dropped from the id (they describe a download, not the version). Other kinds use a prefix.
 */
import { PackageURL } from 'packageurl-js';
import { BlastError, badInput } from './errors.js';
import { secretInValue } from './secrets.js';
import { ID_PREFIX, type NodeKind } from './kinds.js';

const MAX_ID_LENGTH = 512;
const PLAIN_ID = /^(svc|cred|ds|org|osv|inc):[^\s\u0000-\u001f\u007f]+$/;
const KIND_OF_PREFIX: Record<string, NodeKind> = {
  svc: 'Service',
  cred: 'Credential',
  ds: 'Dataset',
  org: 'Customer',
  osv: 'Advisory',
  inc: 'Incident',
};

export interface ParsedId {
  id: string;
  kind: NodeKind;
}

/**
 * A bounded memo of a pure function of a string: two generations, so that a full one is dropped
 * without losing the entries in use. Only results are kept (a call that throws is not remembered).
 */
class Memo<T> {
  private current = new Map<string, T>();
  private previous = new Map<string, T>();
  constructor(private readonly limit: number) {}

  get(key: string): T | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: T): void {
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}

/**
 * Ingest parses the same ids over and over (every edge names two nodes; popular versions appear in
 * thousands of edges), and purl parsing costs microseconds. parseId is a pure function of its text,
 * so a remembered result is exactly what parsing again would give; they are frozen, being shared.
 */
const PARSED = new Memo<ParsedId>(100_000);
const PACKAGE_OF = new Memo<string>(50_000);

/** Normalises an id and tells its kind; throws BAD_INPUT naming `input` and `location` otherwise. */
export function parseId(raw: unknown, input?: string, location?: string): ParsedId {
  if (typeof raw !== 'string') throw badInput('an id must be a non-empty string', input, location);
  let parsed = PARSED.get(raw);
  if (parsed === undefined) {
    parsed = Object.freeze(parseIdText(raw, input, location));
    PARSED.set(raw, parsed);
  }
  return parsed;
}

/** A UTF-16 surrogate without its pair: not Unicode text, and stored as invalid UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * Characters that print as nothing or reorder text: zero-width spaces and joiners, the soft hyphen,
 * bidirectional marks, embeddings, overrides and isolates, word joiners, the BOM. In an id they make a
 * lookalike of another id (`svc:acme/labeling\u200B-api`).
 */
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');

/** Refuses text that is not well-formed Unicode or holds invisible or bidi control characters. */
function checkIdText(text: string, input?: string, location?: string): void {
  if (LONE_SURROGATE.test(text)) throw badInput('an id must be valid Unicode text (it holds a lone UTF-16 surrogate)', input, location);
  const hidden = INVISIBLE.exec(text);
  if (hidden) {
    throw badInput(
      `an id must not contain invisible or bidirectional control characters (U+${hidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} in "${escapeInvisible(printable(text))}")`,
      input,
      location,
    );
  }
}

/** `text` with every invisible or bidi control character shown as `\u{200B}`, and lone surrogates as `\u{D800}`. */
export function escapeInvisible(text: string): string {
  if (!INVISIBLE.test(text) && !LONE_SURROGATE.test(text)) return text;
  const hex = (c: string) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}`;
  return text.replace(INVISIBLE_ALL, hex).replace(new RegExp(LONE_SURROGATE.source, 'g'), hex);
}

function parseIdText(raw: string, input?: string, location?: string): ParsedId {
  if (raw.trim() === '') throw badInput('an id must be a non-empty string', input, location);
  const text = raw.trim();
  if (text.length > MAX_ID_LENGTH) throw badInput(`id is longer than ${MAX_ID_LENGTH} characters`, input, location);
  checkIdText(text, input, location);
  // Ids are stored and shown everywhere: one that holds a secret is refused (checked once per id).
  const secret = secretInValue(text);
  if (secret) throw new BlastError('SECRET_REFUSED', `refused: an id ${secret}; store credential metadata only`, { input, location });
  if (text.startsWith('pkg:')) {
    const purl = parsePurl(text, input, location);
    // Percent-encoding hides the same characters: check the decoded parts too.
    checkIdText(`${purl.namespace ?? ''}/${purl.name}@${purl.version ?? ''}`, input, location);
    return purl.version ? { id: purl.toString(), kind: 'PackageVersion' } : { id: purl.toString(), kind: 'Package' };
  }
  if (!PLAIN_ID.test(text)) {
    throw badInput(
      `"${printable(text)}" is not a valid id (expected pkg:…, svc:…, cred:…, ds:…, org:…, osv:… or inc:…)`,
      input,
      location,
    );
  }
  return { id: text, kind: KIND_OF_PREFIX[text.slice(0, text.indexOf(':'))]! };
}

/** Like parseId, and checks the id is of the expected kind. */
export function parseIdOfKind(raw: unknown, kind: NodeKind, input?: string, location?: string): string {
  const parsed = parseId(raw, input, location);
  if (parsed.kind !== kind) {
    throw badInput(`"${parsed.id}" is a ${parsed.kind} id, expected a ${kind} (${ID_PREFIX[kind]}…)`, input, location);
  }
  return parsed.id;
}

/** Builds a normalised purl id from its parts (used by SBOM and lockfile ingest). */
export function purlId(type: string, namespace: string | undefined, name: string, version?: string): string {
  const purl = new PackageURL(type, namespace || undefined, name, version || undefined, undefined, undefined).toString();
  return parsePurl(purl).toString();
}

/** The Package id of a PackageVersion id: the same purl without its version. */
export function packageIdOf(versionId: string): string {
  let id = PACKAGE_OF.get(versionId);
  if (id === undefined) {
    const purl = PackageURL.fromString(versionId);
    id = new PackageURL(purl.type, purl.namespace, purl.name, undefined, undefined, undefined).toString();
    PACKAGE_OF.set(versionId, id);
  }
  return id;
}

/** The version part of a PackageVersion id, e.g. `1.82.8`. */
export function versionOf(versionId: string): string | undefined {
  return PackageURL.fromString(versionId).version ?? undefined;
}

/** The purl's ecosystem type, e.g. `pypi`. */
export function purlType(id: string): string {
  return PackageURL.fromString(id).type;
}

function parsePurl(text: string, input?: string, location?: string): PackageURL {
  try {
    const p = PackageURL.fromString(text);
    // PEP 503: PyPI names compare with runs of -, _ and . folded to one -, case-insensitively.
    const name = p.type === 'pypi' ? p.name.toLowerCase().replace(/[-_.]+/g, '-') : p.name;
    return new PackageURL(p.type, p.namespace, name, p.version, undefined, undefined);
  } catch (err) {
    throw badInput(`"${printable(text)}" is not a valid purl: ${(err as Error).message}`, input, location);
  }
}

/**
 * A short, printable rendering of untrusted text for error messages. A text that holds a secret is
 * not shown at all (an error must never echo one).
 */
export function printable(text: string, max = 80): string {
  if (secretInValue(text) !== null) return '<a value that looks like a secret>';
  const clean = escapeInvisible(text.replace(/[\u0000-\u001f\u007f]/g, '?'));
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
