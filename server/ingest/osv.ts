/**
 * OSV records, JSON or YAML: OpenSSF malicious-packages (`MAL-`), GitHub (`GHSA-`), PyPA (`PYSEC-`).
 *
 * One Advisory node `osv:<id>` (props: summary, details, aliases, published, modifiedAt, withdrawn,
 * severity, references, cwes, origins, malicious, affectedRanges) that AFFECTS every version the record
 * lists. Those versions get `advisories: [osv:<id>]`, and `compromised: true` when the record is about
 * malicious code (a `MAL-` id, OpenSSF `malicious-packages-origins`, CWE-506, or a summary that says
 * malware / malicious code / compromised, as PYSEC-2026-2's does): a vulnerable version
 * is not a compromised one, and marking every version named by a CVE would make each of them a seed of
 * `blast radius`. `compromisedAt` is never set: the engine starts a marked version at its publishedAt.
 *
 * The record is a standing rule (advisory-rules.ts): the Advisory keeps `affectedVersions` and
 * `affectedRanges` (always both, empty when withdrawn) and every Package it names gets `advisories:
 * [osv:<id>]`, so the rule applies to versions ingested later, and ranges are evaluated at ingest
 * against every version the store knows. Each revision's rule is also kept under
 * `revision:<modified>`, so what an earlier revision matched is recorded in every order of files.
 *
 * A record with an empty id (OpenSSF per-source files such as MAL-0000-ghsa-malware-….json) is named
 * the way OpenSSF names its file, `MAL-0000-<origin source>-<first 16 hex of the origin sha256>`,
 * else after the input's file name, with a warning; never after an alias, because the alias is another
 * record (PYSEC-2026-2) whose own node this one would overwrite.
 *
 * Re-ingesting a later revision (same id, later `modified`) updates the same node.
 */
import { basename } from 'node:path';
import { parseIdOfKind, printable } from '../model/ids.js';
import { normalizeTime } from '../model/time.js';
import type { GraphBatch, Json, Props } from '../model/types.js';
import type { IngestContext, InputFormat } from './format.js';
import { comparatorFor, type OsvEvent, type OsvRange } from './osv-ranges.js';
import { GraphBuilder, isObject, refuseSecrets } from './package-graph.js';
import type { ParsedInput } from './parsed-input.js';

export const osvFormat: InputFormat = {
  name: 'osv',
  detect: (input) => {
    const d = input.data;
    return (
      isObject(d) &&
      typeof d.id === 'string' &&
      typeof d.modified === 'string' &&
      (Array.isArray(d.affected) || Array.isArray(d.aliases) || 'summary' in d || 'details' in d || 'schema_version' in d)
    );
  },
  parse: parseOsv,
};

/** OSV ecosystem -> purl type and how the OSV package name splits into purl namespace and name. */
const ECOSYSTEMS: Record<string, { type: string; split: (name: string) => [string | undefined, string] }> = {
  PyPI: { type: 'pypi', split: (n) => [undefined, n] },
  npm: { type: 'npm', split: (n) => (n.startsWith('@') && n.includes('/') ? [n.slice(0, n.indexOf('/')), n.slice(n.indexOf('/') + 1)] : [undefined, n]) },
  Go: { type: 'golang', split: (n) => (n.includes('/') ? [n.slice(0, n.lastIndexOf('/')), n.slice(n.lastIndexOf('/') + 1)] : [undefined, n]) },
  // GitHub is case-insensitive about owners and repositories: owner/repo[/path] -> owner, repo.
  'GitHub Actions': { type: 'githubactions', split: (n) => { const [o, r] = n.toLowerCase().split('/'); return r ? [o, r] : [undefined, o!]; } },
  Maven: { type: 'maven', split: (n) => (n.includes(':') ? [n.slice(0, n.indexOf(':')), n.slice(n.indexOf(':') + 1)] : [undefined, n]) },
  'crates.io': { type: 'cargo', split: (n) => [undefined, n] },
  RubyGems: { type: 'gem', split: (n) => [undefined, n] },
  Packagist: { type: 'composer', split: (n) => (n.includes('/') ? [n.slice(0, n.indexOf('/')), n.slice(n.indexOf('/') + 1)] : [undefined, n]) },
  NuGet: { type: 'nuget', split: (n) => [undefined, n] },
  Hex: { type: 'hex', split: (n) => [undefined, n] },
  Pub: { type: 'pub', split: (n) => [undefined, n] },
};

/** Summaries of malicious-code records without a MAL- id or CWE-506 (PYSEC-2026-2: "…containing credential harvesting malware"). */
const MALICIOUS_SUMMARY = /\bmalware\b|\bmalicious (code|packages?|versions?|releases?)\b|\bcompromised\b/i;
const MAX_PROSE = 60_000;
const MAX_IDENT = 4096;

export function parseOsv(input: ParsedInput, ctx: IngestContext): GraphBatch {
  const b: GraphBuilder = new GraphBuilder(ctx, input.locate);
  const doc = input.data;
  if (!isObject(doc)) return b.fail('an OSV record must be a mapping', '');
  refuseSecrets(doc, ctx, input.locate, { keys: false });

  const advisoryId = `osv:${recordId(doc, b, ctx)}`;
  parseIdOfKind(advisoryId, 'Advisory', ctx.input, input.locate('/id'));

  const str = (key: string, max: number, prose: boolean): string | undefined => {
    const v = doc[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') return b.fail(`${key} must be a string`, `/${key}`);
    if (v.length <= max) return v;
    if (!prose) return b.fail(`${key} is longer than ${max} characters`, `/${key}`);
    return `${v.slice(0, max)}…`;
  };
  const time = (key: string): string | undefined => {
    const v = doc[key];
    if (v === undefined || v === null || v === '') return undefined;
    const t = normalizeTime(v);
    if (t === null) b.fail(`${key} "${printable(String(v))}" is not an RFC 3339 time`, `/${key}`);
    return t!;
  };
  const strings = (value: unknown, pointer: string, pick?: (item: Record<string, unknown>) => unknown): string[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return b.fail('must be a list', pointer);
    return value.map((item, i) => {
      const v = pick ? (isObject(item) ? pick(item) : undefined) : item;
      if (typeof v !== 'string' || v.length > MAX_IDENT) return b.fail(`expected a string of at most ${MAX_IDENT} characters`, `${pointer}/${i}`);
      return v;
    });
  };

  const modifiedAt = time('modified');
  if (modifiedAt === undefined) b.warn('the record has no `modified` time; a later revision cannot be told from an earlier one', '/modified');
  const withdrawn = time('withdrawn');
  const published = time('published');
  const dbs = doc.database_specific;
  if (dbs !== undefined && dbs !== null && !isObject(dbs)) b.fail('database_specific must be a mapping', '/database_specific');
  const db = isObject(dbs) ? dbs : {};

  const origins = db['malicious-packages-origins'];
  const originSources = Array.isArray(origins) ? origins.filter(isObject).map((o) => o.source).filter((s): s is string => typeof s === 'string') : [];
  const cwes = new Set(Array.isArray(db.cwe_ids) ? db.cwe_ids.filter((c): c is string => typeof c === 'string') : []);
  const affected = doc.affected ?? [];
  if (!Array.isArray(affected)) b.fail('affected must be a list', '/affected');
  for (const a of affected as unknown[]) {
    const cw = isObject(a) && isObject(a.database_specific) ? a.database_specific.cwes : undefined;
    if (Array.isArray(cw)) for (const c of cw) if (isObject(c) && typeof c.cweId === 'string') cwes.add(c.cweId);
  }
  const malicious =
    advisoryId.startsWith('osv:MAL-') || origins !== undefined || cwes.has('CWE-506') || (typeof doc.summary === 'string' && MALICIOUS_SUMMARY.test(doc.summary));

  const severity = typeof db.severity === 'string' ? db.severity : undefined;
  const scores = Array.isArray(doc.severity)
    ? doc.severity.map((s, i) => {
        if (!isObject(s) || typeof s.type !== 'string' || typeof s.score !== 'string') return b.fail('a severity needs a type and a score', `/severity/${i}`);
        return `${s.type}:${s.score}`.slice(0, MAX_IDENT);
      })
    : doc.severity === undefined || doc.severity === null
      ? []
      : b.fail('severity must be a list', '/severity');

  const summary = str('summary', MAX_PROSE, true);
  const details = str('details', MAX_PROSE, true);
  const props: Props = {
    malicious,
    ...(summary !== undefined && { summary }),
    ...(details !== undefined && { details }),
    aliases: strings(doc.aliases, '/aliases'),
    ...(Array.isArray(doc.related) && { related: strings(doc.related, '/related') }),
    ...(published && { published }),
    ...(modifiedAt && { modifiedAt }),
    ...(withdrawn && { withdrawn }),
    ...((severity ?? scores[0]) !== undefined && { severity: (severity ?? scores[0])! }),
    ...(scores.length > 0 && { severityScores: scores }),
    references: strings(doc.references, '/references', (r) => r.url),
    ...(cwes.size > 0 && { cwes: [...cwes].sort() }),
    ...(originSources.length > 0 && { origins: originSources }),
  };

  const affectedRanges: Json[] = [];
  const versionIds = new Set<string>();
  (affected as unknown[]).forEach((a, i) => {
    const at = `/affected/${i}`;
    if (!isObject(a)) b.fail('an affected entry must be a mapping', at);
    const entry = a as Record<string, unknown>;
    const packageId = affectedPackage(entry.package, `${at}/package`, b);
    if (packageId === null) return;
    const { id: pkgId, ecosystem } = packageId;
    // The package index: which advisories to read when a version of this package is ingested later.
    const packageNodeId = b.purl(pkgId.type, pkgId.namespace, pkgId.name, undefined, `${at}/package`);
    b.node({ id: packageNodeId, kind: 'Package', props: { advisories: [advisoryId] }, sources: b.source(`${at}/package`) });
    const versions = strings(entry.versions, `${at}/versions`);
    versions.forEach((v, j) => {
      const vp = `${at}/versions/${j}`;
      if (v.trim() === '') b.fail('a version must not be empty', vp);
      if (!/[0-9A-Za-z]/.test(v) || /[\s\u0000-\u001f\u007f]/.test(v)) b.fail(`"${printable(v, 40)}" is not a version (no letter or digit, or spaces)`, vp);
      const id = b.purl(pkgId.type, pkgId.namespace, pkgId.name, v, vp);
      if (withdrawn) return;
      versionIds.add(id);
      b.packageVersion(id, vp, { props: { ...(malicious && { compromised: true }), advisories: [advisoryId] } });
      b.edge(advisoryId, 'AFFECTS', id, vp);
    });
    const ranges = entry.ranges ?? [];
    if (!Array.isArray(ranges)) b.fail('ranges must be a list', `${at}/ranges`);
    (ranges as unknown[]).forEach((r, j) => {
      const rp = `${at}/ranges/${j}`;
      const range = readRange(r, rp, b);
      if (range.type === 'GIT') {
        b.tally('git-range', 'GIT ranges (commits, not versions) not evaluated', rp);
        return;
      }
      checkRange(range, ecosystem, rp, b);
      affectedRanges.push({ package: b.purl(pkgId.type, pkgId.namespace, pkgId.name, undefined, `${at}/package`), ecosystem, type: range.type, events: range.events as unknown as Json });
    });
  });
  if (withdrawn) b.warn(`withdrawn on ${withdrawn}: no version is marked`, '/withdrawn');
  // The rule, always written whole (even empty): the newest revision's rule is the one in force.
  props.affectedRanges = withdrawn ? [] : affectedRanges;
  props.affectedVersions = withdrawn ? [] : [...versionIds].sort();
  // This revision's rule under its own key, kept beside the others' (record.ts keeps keys an older
  // revision adds): a version any revision matched keeps its AFFECTS edge whatever the order of files.
  props[`revision:${modifiedAt ?? 'unknown'}`] = { malicious, affectedVersions: props.affectedVersions, affectedRanges: props.affectedRanges };

  b.node({ id: advisoryId, kind: 'Advisory', props, sources: b.source('') });
  return b.build();
}

/** The record's id, or the fallback described at the top of this file. */
function recordId(doc: Record<string, unknown>, b: GraphBuilder, ctx: IngestContext): string {
  const id = doc.id;
  if (typeof id !== 'string') return b.fail('id must be a string', '/id');
  if (id.trim() !== '') return id.trim();
  const origins = isObject(doc.database_specific) ? doc.database_specific['malicious-packages-origins'] : undefined;
  if (Array.isArray(origins) && origins.length === 1 && isObject(origins[0])) {
    const { source, sha256 } = origins[0];
    if (typeof source === 'string' && /^[a-z0-9][a-z0-9-]{0,80}$/.test(source) && typeof sha256 === 'string' && /^[0-9a-f]{16,}$/.test(sha256)) {
      const named = `MAL-0000-${source}-${sha256.slice(0, 16)}`;
      b.warn(`the record's id is empty; named ${named} after its origin, as OpenSSF names the file`, '/id');
      return named;
    }
  }
  const stem = basename(ctx.input).replace(/\.(json|ya?ml)$/i, '');
  if (/^[A-Za-z][A-Za-z0-9._-]{0,200}$/.test(stem)) {
    b.warn(`the record's id is empty; named ${stem} after the file`, '/id');
    return stem;
  }
  return b.fail('the record has an empty id and no origin or file name to name it by', '/id');
}

function affectedPackage(
  pkg: unknown,
  pointer: string,
  b: GraphBuilder,
): { id: { type: string; namespace: string | undefined; name: string }; ecosystem: string } | null {
  if (!isObject(pkg)) return b.fail('affected package must be a mapping with ecosystem and name', pointer);
  const { ecosystem, name, purl } = pkg;
  if (typeof ecosystem !== 'string' || ecosystem === '') return b.fail('package ecosystem must be a non-empty string', `${pointer}/ecosystem`);
  if (typeof name !== 'string' || name === '') return b.fail('package name must be a non-empty string', `${pointer}/name`);
  if (purl !== undefined && typeof purl !== 'string') return b.fail('package purl must be a string', `${pointer}/purl`);
  const map = ECOSYSTEMS[ecosystem.split(':')[0]!];
  if (map) {
    const [namespace, n] = map.split(name);
    if (!n) return b.fail(`"${printable(name)}" is not a ${ecosystem} package name`, `${pointer}/name`);
    return { id: { type: map.type, namespace, name: n }, ecosystem };
  }
  if (typeof purl === 'string') {
    b.purlKind(purl, `${pointer}/purl`); // validates
    const m = /^pkg:([a-zA-Z][\w.+-]*)\/(?:(.*)\/)?([^/@?#]+)/.exec(purl.trim());
    if (m) return { id: { type: m[1]!.toLowerCase(), namespace: m[2] ? decodeURIComponent(m[2]) : undefined, name: decodeURIComponent(m[3]!) }, ecosystem };
  }
  b.tally(`ecosystem:${ecosystem}`, `packages of ecosystem ${printable(ecosystem, 40)} (no purl type known) skipped`, pointer);
  return null;
}

function readRange(r: unknown, pointer: string, b: GraphBuilder): OsvRange {
  if (!isObject(r)) return b.fail('a range must be a mapping with type and events', pointer);
  if (r.type !== 'ECOSYSTEM' && r.type !== 'SEMVER' && r.type !== 'GIT') return b.fail('range type must be ECOSYSTEM, SEMVER or GIT', `${pointer}/type`);
  if (!Array.isArray(r.events) || r.events.length === 0) return b.fail('range events must be a non-empty list', `${pointer}/events`);
  const events = r.events.map((e, k) => {
    const ep = `${pointer}/events/${k}`;
    if (!isObject(e)) return b.fail('an event must be a mapping', ep);
    const keys = Object.keys(e).filter((key) => ['introduced', 'fixed', 'last_affected', 'limit'].includes(key));
    if (keys.length !== 1) return b.fail('an event has exactly one of introduced, fixed, last_affected, limit', ep);
    const v = e[keys[0]!];
    if (typeof v !== 'string' || v === '' || v.length > 256) return b.fail(`${keys[0]} must be a version string`, `${ep}/${keys[0]}`);
    return { [keys[0]!]: v } as OsvEvent;
  });
  return { type: r.type, events };
}

/**
 * Refuses range events whose version is not a version at all (`!!!`), and warns, naming the range,
 * about events the ecosystem's scheme cannot order (the range is then not evaluated) and about ranges
 * that can never match (`fixed` or `last_affected` at or before the `introduced` that opens them).
 */
function checkRange(range: OsvRange, ecosystem: string, pointer: string, b: GraphBuilder): void {
  const cmp = comparatorFor(ecosystem, range.type)?.compare;
  range.events.forEach((e, k) => {
    const [kind, v] = Object.entries(e)[0] as [string, string];
    if (!/[0-9A-Za-z]/.test(v) || /[\s\u0000-\u001f\u007f]/.test(v)) b.fail(`${kind} "${printable(v, 40)}" is not a version`, `${pointer}/events/${k}/${kind}`);
    if (cmp && !(kind === 'introduced' && v === '0') && cmp(v, v) === null) {
      b.warn(`${kind} "${printable(v, 40)}" is not a ${ecosystem} ${range.type} version; this range is not evaluated`, `${pointer}/events/${k}/${kind}`);
    }
  });
  if (!cmp) return;
  // In list order, as OSV writes them: each introduced, then what closes it.
  let open: string | undefined;
  range.events.forEach((e, k) => {
    if (e.introduced !== undefined) open = e.introduced;
    const close = e.fixed ?? e.last_affected;
    if (close === undefined || open === undefined || open === '0') return;
    const d = cmp(close, open);
    if (d !== null && (d < 0 || (d === 0 && e.fixed !== undefined))) {
      b.warn(`${e.fixed !== undefined ? 'fixed' : 'last_affected'} ${close} is before introduced ${open}: this range matches no version`, `${pointer}/events/${k}`);
    }
  });
}
