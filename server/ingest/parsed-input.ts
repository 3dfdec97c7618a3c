/**
 * An input's text, parsed once as JSON, YAML or TOML as its content allows, with a way to turn a JSON
 * pointer into `line N` for error messages (YAML and TOML keep positions; JSON errors use the pointer).
 */
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { badInput } from '../model/errors.js';

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
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      throw badInput(`invalid YAML: ${e.message.split('\n')[0]}`, input, `line ${e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line}`);
    }
    const data = doc.toJS({ maxAliasCount: 100 });
    if (data && typeof data === 'object') {
      return { input, text, syntax: 'yaml', data, locate: (pointer) => yamlLine(doc, lines, pointer) };
    }
  }
  return { input, text, syntax: 'text', data: undefined, locate: (pointer) => pointer || '/' };
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
