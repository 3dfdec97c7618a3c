/**
 * An input's text, parsed once as JSON, YAML or TOML as its content allows, with a way to turn a JSON
 * pointer into `line N` for error messages (YAML and TOML keep positions; JSON errors use the pointer).
 *
 * Checks every structured document gets before any format sees it, each a BAD_INPUT (or
 * SECRET_REFUSED) naming the input and the line: a key given twice in one JSON object (JSON.parse
 * would keep the last; YAML refuses them too), nesting deeper than MAX_NESTING levels, a YAML alias
 * bomb (aliases expanding past a bound), and a key shaped like a credential (a token used as a key).
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { BlastError, badInput } from '../model/errors.js';
import { printable } from '../model/ids.js';
import { escapePointer, secretShape } from '../model/secrets.js';

/** Deepest nesting of arrays and objects accepted in a JSON or YAML input. @default 256 */
export const MAX_NESTING = 256;
/** Most alias expansions (YAML `*name`) a document may make. @default 100 */
const MAX_ALIAS_COUNT = 100;

export type Syntax = 'json' | 'yaml' | 'text';

export interface ParsedInput {
  /** The input name, for errors. */
  input: string;
  text: string;
  syntax: Syntax;
  /** The parsed value (undefined for plain text, e.g. requirements.txt, or a TOML file). */
  data: unknown;
  /** `line N` for a JSON pointer where the syntax keeps positions, else the pointer itself. */
  locate(pointer: string): string;
}

/** Parses `text` as JSON when it looks like JSON, else as YAML when it parses as a mapping, else keeps text. */
export function parseInput(input: string, text: string): ParsedInput {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  const tomlLike = /^\s*\[\[?[\w.-]+\]\]?\s*$/m.test(trimmed);
  if (trimmed.startsWith('{') || (trimmed.startsWith('[') && !tomlLike)) {
    checkJsonStructure(trimmed, input);
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw badInput(`invalid JSON: ${(err as Error).message}`, input, jsonErrorLine(trimmed, err as Error));
    }
    return { input, text, syntax: 'json', data, locate: (pointer) => pointer || '/' };
  }
  // YAML only when it looks like a mapping: TOML lockfiles and requirements.txt stay plain text.
  const yamlLike = /^(---|%YAML|[A-Za-z_"'][\w"' .-]*:(\s|$))/m.test(trimmed) && !tomlLike;
  if (yamlLike) {
    const lines = new LineCounter();
    let doc: Document;
    try {
      doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    } catch (err) {
      if (err instanceof RangeError) throw badInput(`invalid YAML: nested deeper than ${MAX_NESTING} levels`, input);
      throw err;
    }
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      throw badInput(`invalid YAML: ${e.message.split('\n')[0]}`, input, `line ${e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line}`);
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      // yaml throws a ReferenceError for an alias bomb ("Excessive alias count …").
      if (err instanceof ReferenceError || err instanceof RangeError) {
        throw badInput(`invalid YAML: aliases expand past ${MAX_ALIAS_COUNT} copies or nest too deeply (a resource exhaustion attack)`, input);
      }
      throw err;
    }
    if (data && typeof data === 'object') {
      const locate = (pointer: string) => yamlLine(doc, lines, pointer);
      checkYamlStructure(data, input, locate);
      return { input, text, syntax: 'yaml', data, locate };
    }
  }
  return { input, text, syntax: 'text', data: undefined, locate: (pointer) => pointer || '/' };
}

/**
 * One pass over valid-or-not JSON text (JSON.parse reports syntax errors after it): refuses a key
 * repeated in one object, nesting deeper than MAX_NESTING and a key shaped like a credential, naming
 * the line. Stops quietly where the text is not JSON.
 */
function checkJsonStructure(text: string, input: string): void {
  // Per open container: the keys seen so far (an object) or null (an array).
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  const lineAt = (pos: number) => `line ${text.slice(0, pos).split('\n').length}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let end = i + 1;
      for (;;) {
        end = text.indexOf('"', end);
        if (end < 0) return;
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 92) backslashes++;
        if (backslashes % 2 === 0) break;
        end++;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        let key: string;
        try {
          key = text.slice(i, end).includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        } catch {
          return;
        }
        if (top.has(key)) throw badInput(`duplicate key "${printable(key)}" in one object (JSON keeps only the last; give each key once)`, input, lineAt(i));
        if (key.length >= 16 && secretShape(key)) {
          throw new BlastError('SECRET_REFUSED', `refused: a key looks like a ${secretShape(key)}; store credential metadata only`, { input, location: lineAt(i) });
        }
        top.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      stack.push(c === 123 ? new Set() : null);
      expectKey = c === 123;
      if (stack.length > MAX_NESTING) throw badInput(`nested deeper than ${MAX_NESTING} levels`, input, lineAt(i));
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (stack.length === 0) return;
      stack.pop();
      expectKey = false;
    } else if (c === 44 /* , */) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
}

/** Nesting and credential-shaped keys in a parsed YAML document (duplicate keys are the parser's). */
function checkYamlStructure(data: unknown, input: string, locate: (pointer: string) => string): void {
  const stack: Array<{ value: unknown; pointer: string; depth: number }> = [{ value: data, pointer: '', depth: 1 }];
  while (stack.length > 0) {
    const { value, pointer, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_NESTING) throw badInput(`nested deeper than ${MAX_NESTING} levels`, input, locate(pointer));
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (const [key, child] of entries) {
      if (!Array.isArray(value) && key.length >= 16) {
        const shape = secretShape(key);
        // The mapping's line: the key itself is the secret and is not repeated in the location.
        if (shape) throw new BlastError('SECRET_REFUSED', `refused: a key looks like a ${shape}; store credential metadata only`, { input, location: locate(pointer) });
      }
      if (child !== null && typeof child === 'object') stack.push({ value: child, pointer: `${pointer}/${escapePointer(key)}`, depth: depth + 1 });
    }
  }
}

function yamlLine(doc: Document, lines: LineCounter, pointer: string): string {
  const path = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  // Walk up until a node with a position is found (a missing key is reported at its parent).
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return `line ${lines.linePos(node.range[0]).line}`;
  }
  return pointer || '/';
}

function jsonErrorLine(text: string, err: Error): string | undefined {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return undefined;
  const pos = Number(m[1]);
  return `line ${text.slice(0, pos).split('\n').length}`;
}
