/**
 * Loads the named Cypher statements in cypher/*.cypher. A file holds statements, each after a
 * `// name: someName` header line; values are always `$params`. Labels and relationship types cannot
 * be parameters, so a statement may use placeholders, substituted here from the closed lists in
 * model/kinds.ts and never from input:
 *
 * - `{{NodeKind}}`, `{{EdgeKind}}`: one kind, chosen per call (`statement('createNodes', { NodeKind: 'Service' })`);
 * - `{{Hops}}`: a path length bound from 1 to 10;
 * - `{{ForwardEdgeKinds}}`, `{{ReverseEdgeKinds}}`, `{{PropagatingEdgeKinds}}`: the fixed `A|B|C`
 *   alternations of PROPAGATION.
 *
 * The folder is found from the package root (the nearest ancestor holding package.json and cypher/),
 * so it works from server/ under vitest and from dist/server/ in the compiled CLI.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlastError } from '../../model/errors.js';
import { EDGE_KINDS, FORWARD_EDGE_KINDS, NODE_KINDS, REVERSE_EDGE_KINDS, type EdgeKind, type NodeKind } from '../../model/kinds.js';

/** A ready-to-run statement: placeholders substituted. */
export interface Statement {
  /** `name` or, when expanded, `name[Service]`: what logs and errors show. */
  readonly name: string;
  readonly file: string;
  readonly text: string;
}

/** The per-call placeholders and the closed list each one takes its value from. */
export interface Vars {
  NodeKind?: NodeKind;
  EdgeKind?: EdgeKind;
  /** A variable-length bound (`[*1..{{Hops}}]`), which Cypher does not take as a parameter. */
  Hops?: Hops;
}
export const HOPS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export type Hops = (typeof HOPS)[number];
type VarName = keyof Vars;
const VAR_VALUES: { [K in VarName]-?: readonly NonNullable<Vars[K]>[] } = { NodeKind: NODE_KINDS, EdgeKind: EDGE_KINDS, Hops: HOPS };
const FIXED: Record<string, string> = {
  ForwardEdgeKinds: FORWARD_EDGE_KINDS.join('|'),
  PropagatingEdgeKinds: [...FORWARD_EDGE_KINDS, ...REVERSE_EDGE_KINDS].join('|'),
  ReverseEdgeKinds: REVERSE_EDGE_KINDS.join('|'),
};

/** A statement as written, before substitution. */
export interface Template {
  readonly name: string;
  readonly file: string;
  /** 1-based line of its `// name:` header, for messages. */
  readonly line: number;
  readonly text: string;
  /** The per-call placeholders it uses, in a fixed order. */
  readonly vars: readonly VarName[];
}

const HEADER = /^\s*\/\/\s*name:\s*(\S+)\s*$/;
const PLACEHOLDER = /\{\{(\w+)\}\}/g;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export class CypherCatalog {
  private readonly templates = new Map<string, Template>();
  private readonly cache = new Map<string, Statement>();

  private constructor(templates: readonly Template[]) {
    for (const t of templates) {
      const prev = this.templates.get(t.name);
      if (prev) throw loadError(`statement "${t.name}" is defined twice (${prev.file}:${prev.line} and ${t.file}:${t.line})`);
      this.templates.set(t.name, t);
    }
  }

  /** Reads every `*.cypher` file in `dir` (default: the package's cypher/ folder). */
  static load(dir: string = cypherDir()): CypherCatalog {
    const files = readdirSync(dir).filter((f) => f.endsWith('.cypher')).sort();
    return new CypherCatalog(files.flatMap((f) => parseCypherFile(f, readFileSync(join(dir, f), 'utf8'))));
  }

  /** Every statement name, in file and then source order. */
  names(): string[] {
    return [...this.templates.keys()];
  }

  template(name: string): Template {
    const t = this.templates.get(name);
    if (!t) throw new BlastError('INTERNAL', `no Cypher statement named "${name}" in cypher/`);
    return t;
  }

  /** The templates of one file, in source order. */
  fileTemplates(file: string): Template[] {
    return [...this.templates.values()].filter((t) => t.file === file);
  }

  /** The statement with its placeholders filled; every per-call placeholder needs a value from its list. */
  statement(name: string, vars: Vars = {}): Statement {
    const t = this.template(name);
    const label = t.vars.map((v) => vars[v]).join(',');
    const cacheKey = `${name}[${label}]`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    for (const v of t.vars) {
      const value = vars[v];
      if (value === undefined || !(VAR_VALUES[v] as readonly unknown[]).includes(value)) {
        throw new BlastError('INTERNAL', `statement "${name}" needs {{${v}}} from the closed list, got ${JSON.stringify(value)}`);
      }
    }
    // Full-line comments document the files; the server and the debug log get the Cypher alone.
    const text = t.text
      .split('\n')
      .filter((line) => !/^\s*\/\//.test(line))
      .join('\n')
      .replace(PLACEHOLDER, (_, p: string) => (p in FIXED ? FIXED[p]! : String(vars[p as VarName])));
    const s: Statement = { name: t.vars.length ? `${name}[${label}]` : name, file: t.file, text };
    this.cache.set(cacheKey, s);
    return s;
  }

  /** The statement for every combination of its per-call placeholders' values (one if it has none). */
  expansions(name: string): Statement[] {
    const t = this.template(name);
    let combos: Vars[] = [{}];
    for (const v of t.vars) combos = combos.flatMap((c) => VAR_VALUES[v].map((value) => ({ ...c, [v]: value })));
    return combos.map((c) => this.statement(name, c));
  }
}

/** Splits one file into its named statements; throws INTERNAL naming the file and line on a malformed one. */
export function parseCypherFile(file: string, source: string): Template[] {
  const out: Template[] = [];
  let current: { name: string; line: number; lines: string[] } | null = null;
  const finish = () => {
    if (!current) return;
    const text = current.lines.join('\n').trim().replace(/;\s*$/, '');
    const body = text.split('\n').filter((l) => !/^\s*(\/\/.*)?$/.test(l));
    if (body.length === 0) throw loadError(`${file}:${current.line}: statement "${current.name}" is empty`);
    if (body.some((l) => l.includes(';'))) throw loadError(`${file}:${current.line}: statement "${current.name}" holds more than one statement`);
    const vars = new Set<VarName>();
    for (const [, p] of text.matchAll(PLACEHOLDER)) {
      if (p! in VAR_VALUES) vars.add(p as VarName);
      else if (!(p! in FIXED)) throw loadError(`${file}:${current.line}: statement "${current.name}" uses unknown placeholder {{${p}}}`);
    }
    out.push({ name: current.name, file, line: current.line, text, vars: (Object.keys(VAR_VALUES) as VarName[]).filter((v) => vars.has(v)) });
  };
  source.split(/\r?\n/).forEach((line, i) => {
    const header = HEADER.exec(line);
    if (header) {
      finish();
      if (!NAME.test(header[1]!)) throw loadError(`${file}:${i + 1}: "${header[1]}" is not a statement name`);
      current = { name: header[1]!, line: i + 1, lines: [] };
    } else if (current) {
      current.lines.push(line);
    } else if (!/^\s*(\/\/.*)?$/.test(line)) {
      throw loadError(`${file}:${i + 1}: Cypher before the first "// name:" header`);
    }
  });
  finish();
  return out;
}

/** The package's cypher/ folder: the nearest ancestor of this module holding package.json and cypher/. */
export function cypherDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cypher'))) return join(dir, 'cypher');
    if (dirname(dir) === dir) throw loadError(`no cypher/ folder next to a package.json above ${from}`);
  }
}

function loadError(message: string): BlastError {
  return new BlastError('INTERNAL', `cypher: ${message}`);
}

let shared: CypherCatalog | undefined;

/** The package's catalog, read once per process. */
export function cypherCatalog(): CypherCatalog {
  shared ??= CypherCatalog.load();
  return shared;
}
