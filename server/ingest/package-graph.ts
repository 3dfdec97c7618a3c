/**
 * Shared by the SBOM, lockfile, OSV and workflow formats: collects the nodes and edges one input
 * asserts, with provenance, aggregated warnings and the `--service` attachment, and turns every
 * problem into a BlastError naming the input and a line or JSON pointer.
 */
import { BlastError, badInput } from '../model/errors.js';
import { parseId, parseIdOfKind, printable, purlId, type ParsedId } from '../model/ids.js';
import { CONFIDENCE_RANK, type Confidence, type EdgeKind, type NodeKind } from '../model/kinds.js';
import { escapePointer, secretKey, secretShape } from '../model/secrets.js';
import { normalizeTime } from '../model/time.js';
import type { EdgeInput, GraphBatch, NodeInput, Props, Source } from '../model/types.js';
import { PackageURL } from 'packageurl-js';
import { parse as parseTomlText, TomlError } from 'smol-toml';
import type { IngestContext } from './format.js';

/** Longest display name accepted (the store's own limit). */
const MAX_NAME = 1024;
/** Deepest nesting the walkers follow; deeper input is refused rather than overflowing the stack. */
export const MAX_DEPTH = 64;

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
/** `scheme://user:password@host`: a password written into a URL (placeholders like `${TOKEN}` are fine). */
// Bounded and anchored at the start of a scheme, so that hostile input cannot make it backtrack for long.
const URL_PASSWORD = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/[^/\s:@]{1,256}:([^/\s@]{1,256})@/i;

export class GraphBuilder {
  private readonly nodes = new Map<string, NodeInput>();
  private readonly edges = new Map<string, EdgeInput>();
  private readonly warnings: string[] = [];
  private readonly tallies = new Map<string, { message: string; count: number; first: string }>();
  private readonly parsed = new Map<string, ParsedId>();

  constructor(
    readonly ctx: IngestContext,
    /** Turns a JSON pointer into `line N` where the syntax keeps positions. */
    readonly locate: (pointer: string) => string,
  ) {}

  /** Provenance of one fact: this input, its digest, and where in it. */
  source(pointer: string): Source[] {
    return [{ source: this.ctx.input, sha256: this.ctx.sha256, ingestedAt: this.ctx.ingestedAt, pointer: pointer || '/' }];
  }

  /** Throws BAD_INPUT naming the input and where. */
  fail(message: string, pointer: string): never {
    throw badInput(message, this.ctx.input, this.locate(pointer));
  }

  warn(message: string, pointer?: string): void {
    this.warnings.push(pointer === undefined ? `${this.ctx.input}: ${message}` : `${this.ctx.input} ${this.locate(pointer)}: ${message}`);
  }

  /** A warning that may repeat many times (components without purl): reported once with a count. */
  tally(key: string, message: string, pointer: string): void {
    const t = this.tallies.get(key);
    if (t) t.count++;
    else this.tallies.set(key, { message, count: 1, first: pointer });
  }

  /** How many times a tallied warning occurred (tests and summaries). */
  tallied(key: string): number {
    return this.tallies.get(key)?.count ?? 0;
  }

  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Adds a node; a second assertion of the same id merges props (later wins) and sources. */
  node(node: NodeInput): void {
    const prev = this.nodes.get(node.id);
    if (!prev) {
      this.nodes.set(node.id, node);
      return;
    }
    this.nodes.set(node.id, {
      ...prev,
      name: prev.name ?? node.name,
      props: { ...prev.props, ...node.props },
      sources: mergeSources(prev.sources, node.sources),
    });
  }

  /**
   * A PackageVersion from a purl string or from purl parts; normalised by the purl library (so
   * `LiteLLM` and `litellm` are one node). Returns the id, or throws BAD_INPUT at `pointer`.
   */
  packageVersion(id: string, pointer: string, opts: { name?: string; props?: Props } = {}): string {
    const parsed = this.parsePurl(id, pointer);
    if (parsed.kind !== 'PackageVersion') this.fail(`"${printable(parsed.id)}" has no version`, pointer);
    if (opts.name !== undefined) this.checkName(opts.name, pointer);
    this.node({
      id: parsed.id,
      kind: 'PackageVersion',
      ...(opts.name !== undefined && { name: opts.name }),
      ...(opts.props && { props: opts.props }),
      sources: this.source(pointer),
    });
    return parsed.id;
  }

  /** True for a purl with a version, false for one without; throws BAD_INPUT at `pointer` for a non-purl. */
  purlKind(purl: string, pointer: string): boolean {
    if (!purl.trim().startsWith('pkg:')) this.fail(`"${printable(purl)}" is not a purl (pkg:type/name@version)`, pointer);
    return this.parsePurl(purl, pointer).kind === 'PackageVersion';
  }

  /** parseId, remembered: purl parsing is the slow part of a large SBOM, and purls repeat. */
  private parsePurl(raw: string, pointer: string): ParsedId {
    let parsed = this.parsed.get(raw);
    if (!parsed) {
      parsed = parseId(raw, this.ctx.input, this.locate(pointer));
      this.parsed.set(raw, parsed);
    }
    return parsed;
  }

  /**
   * The purl an SBOM gives, with one identity per package across formats: syft writes the GitHub
   * Actions it finds in workflows as `pkg:github/OWNER/REPO@REF` (a path action as a subpath), where
   * workflows and advisories say `pkg:githubactions/owner/repo@REF`. Those are rewritten (owner and
   * repo lower-cased, subpath and qualifiers dropped, as github-workflow.ts names them) and counted in
   * one warning. A placeholder version (`@UNKNOWN`) is dropped. Every other purl is returned as given.
   */
  sbomPurl(purl: string, pointer: string): string {
    // `@UNKNOWN` (and the like) is no version: read as a purl without one, which the readers skip.
    const placeholder = /@(?:unknown|noassertion|none|unspecified)(?=$|[?#])/i;
    if (placeholder.test(purl)) {
      this.tally('placeholder-version', 'purls whose version is a placeholder (UNKNOWN, NOASSERTION) read as having none', pointer);
      purl = purl.replace(placeholder, '');
    }
    if (!/^pkg:github\//i.test(purl.trim())) return purl;
    let p: PackageURL;
    try {
      p = PackageURL.fromString(purl.trim());
    } catch {
      return purl; // parseId reports it
    }
    if (!p.namespace || !p.name) return purl;
    this.tally('pkg:github', 'pkg:github/OWNER/REPO purls (GitHub Actions, as syft writes them) read as pkg:githubactions/owner/repo', pointer);
    return new PackageURL('githubactions', p.namespace.toLowerCase(), p.name.toLowerCase(), p.version ?? undefined, undefined, undefined).toString();
  }

  /** Builds a normalised purl id from parts, turning purl-library errors into BAD_INPUT at `pointer`. */
  purl(type: string, namespace: string | undefined, name: string, version: string | undefined, pointer: string): string {
    let id: string;
    try {
      id = purlId(type, namespace, name, version);
    } catch (err) {
      this.fail(`cannot build a purl for "${printable(String(name))}": ${printable((err as Error).message, 200)}`, pointer);
    }
    return this.parsePurl(id, pointer).id;
  }

  /** Refuses display names the store or a terminal would choke on. */
  checkName(name: string, pointer: string): void {
    if (name.length > MAX_NAME) this.fail(`name is longer than ${MAX_NAME} characters`, pointer);
    if (CONTROL.test(name)) this.fail(`name "${printable(name)}" contains control characters`, pointer);
  }

  /** Adds an edge; repeated edges keep the strongest confidence and every source. */
  edge(from: string, kind: EdgeKind, to: string, pointer: string, extra: { confidence?: Confidence; since?: string; until?: string } = {}, sources?: Source[]): void {
    if (from === to) {
      // A package listed as its own dependency (SBOM generators write these): no edge, but said.
      this.tally(`self-loop:${kind}`, `${kind} edges from a node to itself dropped`, pointer);
      return;
    }
    const key = `${from}|${kind}|${to}`;
    const next: EdgeInput = {
      from,
      kind,
      to,
      ...(extra.since !== undefined && { since: extra.since }),
      ...(extra.until !== undefined && { until: extra.until }),
      ...(extra.confidence !== undefined && extra.confidence !== 'confirmed' && { confidence: extra.confidence }),
      sources: sources ?? this.source(pointer),
    };
    const prev = this.edges.get(key);
    if (!prev) {
      this.edges.set(key, next);
      return;
    }
    const stronger = rank(next.confidence) > rank(prev.confidence) ? next.confidence : prev.confidence;
    const merged: EdgeInput = { ...prev, sources: mergeSources(prev.sources, next.sources) };
    if (stronger === undefined) delete merged.confidence;
    else merged.confidence = stronger;
    this.edges.set(key, merged);
  }

  /** Ids of the PackageVersions asserted so far, in insertion order. */
  packageVersionIds(): string[] {
    return [...this.nodes.values()].filter((n) => n.kind === 'PackageVersion').map((n) => n.id);
  }

  /**
   * `--service`: Service -DEPENDS_ON-> every PackageVersion the input names, with the option's
   * since/until on each edge. `confidenceOf` weakens the edge for versions only some installs get
   * (platform markers, optional or dev-only packages).
   */
  attachService(confidenceOf: (versionId: string) => Confidence | undefined = () => undefined): void {
    const svc = this.serviceOption();
    if (!svc) return;
    this.node({ id: svc.id, kind: 'Service', sources: this.source('') });
    for (const id of this.packageVersionIds()) {
      // Cite the entries that pin the version (its own sources), not the whole file.
      this.edge(svc.id, 'DEPENDS_ON', id, '', { since: svc.since, until: svc.until, confidence: confidenceOf(id) }, this.nodes.get(id)!.sources);
    }
  }

  /** The validated `--service` option, or undefined. */
  serviceOption(): { id: string; since?: string; until?: string } | undefined {
    const opt = this.ctx.options.service;
    if (opt === undefined) return undefined;
    const where = 'option --service';
    if (typeof opt !== 'object' || opt === null) throw badInput('the service option needs an id', this.ctx.input, where);
    const id = parseIdOfKind(opt.id, 'Service', this.ctx.input, where);
    const time = (v: unknown, key: string): string | undefined => {
      if (v === undefined || v === null || v === '') return undefined;
      const t = normalizeTime(v);
      if (t === null) throw badInput(`service ${key} "${printable(String(v))}" is not an ISO-8601 time with a zone`, this.ctx.input, where);
      return t;
    };
    const since = time(opt.since, 'since');
    const until = time(opt.until, 'until');
    if (since && until && since > until) throw badInput(`service since (${since}) is after until (${until})`, this.ctx.input, where);
    return { id, since, until };
  }

  build(): GraphBatch {
    const warnings = [...this.warnings];
    for (const t of this.tallies.values()) {
      warnings.push(`${this.ctx.input}: ${t.message}${t.count > 1 ? ` (${t.count} times, first at ${this.locate(t.first)})` : ` (at ${this.locate(t.first)})`}`);
    }
    return { input: this.ctx.input, nodes: [...this.nodes.values()], edges: [...this.edges.values()], warnings };
  }
}

function rank(c: Confidence | undefined): number {
  return CONFIDENCE_RANK[c ?? 'confirmed'];
}

function mergeSources(a: Source[], b: Source[]): Source[] {
  const seen = new Set(a.map((s) => `${s.sha256}#${s.pointer ?? ''}`));
  return [...a, ...b.filter((s) => !seen.has(`${s.sha256}#${s.pointer ?? ''}`))];
}

/**
 * Finds a secret value anywhere in parsed data, without recursion (hostile nesting cannot overflow the
 * stack). Always checks string shapes (well-known token formats, passwords inside URLs); with
 * `keys: true` also refuses a non-empty value under a key that names a secret (`password:`, `token:`).
 * SBOMs and lockfiles use `keys: false`: CycloneDX `properties` carry `{name, value}` pairs that are
 * metadata, not secrets.
 */
export function scanForSecret(data: unknown, opts: SecretScanOptions): { pointer: string; reason: string } | null {
  type Item = { value: unknown; pointer: string; depth: number; hit?: string };
  const stack: Item[] = [{ value: data, pointer: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, pointer, depth, hit } = stack.pop()!;
    if (hit) return { pointer, reason: hit };
    if (typeof value === 'string') {
      const reason = secretInText(value);
      if (reason) return { pointer: pointer || '/', reason };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) continue; // the format parsers refuse such nesting with a pointer of their own
    const isArray = Array.isArray(value);
    const entries: Array<[string, unknown]> = isArray ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    // Pushed in reverse so that items pop in document order and the first secret is the one reported.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const childPointer = `${pointer}/${escapePointer(key)}`;
      const byKey = opts.keys && !isArray ? secretKey(key) : null;
      const reference = typeof child === 'string' && opts.isReference?.(child) === true;
      if (byKey && !reference && child !== null && child !== '' && typeof child !== 'boolean' && typeof child !== 'object') {
        stack.push({ value: child, pointer: childPointer, depth: depth + 1, hit: byKey });
      } else {
        stack.push({ value: child, pointer: childPointer, depth: depth + 1 });
      }
    }
  }
  return null;
}

export interface SecretScanOptions {
  /** Also refuse values under keys that name a secret (`password:`, `token:`). */
  keys: boolean;
  /** A value that only refers to a secret kept elsewhere (`${{ secrets.X }}`), allowed under such keys. */
  isReference?: (value: string) => boolean;
}

/** Why a piece of text is a secret value, or null. */
export function secretInText(text: string): string | null {
  const shape = secretShape(text);
  if (shape) return `looks like a ${shape}`;
  const m = URL_PASSWORD.exec(text);
  if (m && !/^\$\{?[A-Za-z_]/.test(m[1]!)) return 'a URL with a password in it';
  return null;
}

/** Throws SECRET_REFUSED for the first secret value found in `data`. */
export function refuseSecrets(data: unknown, ctx: IngestContext, locate: (pointer: string) => string, opts: SecretScanOptions): void {
  const hit = scanForSecret(data, opts);
  if (hit) {
    throw new BlastError('SECRET_REFUSED', `refused: ${hit.reason}; ingest credential metadata only, never secret values`, {
      input: ctx.input,
      location: locate(hit.pointer),
    });
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** PEP 503 name normalisation, for matching names inside Python lockfiles. */
export function pep503(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/**
 * Parses a TOML lockfile (parsed-input.ts leaves TOML as text). Syntax errors name the line. The
 * returned `locate` maps `/package/<i>/…` to the line of the i-th `[[package]]` header.
 */
export function parseToml(text: string, ctx: IngestContext): { data: Record<string, unknown>; locate: (pointer: string) => string } {
  let data: unknown;
  try {
    data = parseTomlText(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    if (err instanceof TomlError) {
      const first = String(err.message).split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw badInput(`invalid TOML: ${printable(first, 200)}`, ctx.input, `line ${err.line}`);
    }
    throw badInput(`invalid TOML: ${printable((err as Error)?.message ?? String(err), 200)}`, ctx.input);
  }
  const headers: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (/^\s*\[\[\s*package\s*\]\]/.test(lines[i]!)) headers.push(i + 1);
  const locate = (pointer: string): string => {
    const m = /^\/package\/(\d+)(\/|$)/.exec(pointer);
    const line = m ? headers[Number(m[1])] : undefined;
    return line !== undefined ? `line ${line}` : pointer || '/';
  };
  return { data: data as Record<string, unknown>, locate };
}

export type { NodeKind };
