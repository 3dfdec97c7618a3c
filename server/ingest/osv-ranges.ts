/**
 * OSV `ranges`, evaluated against versions the graph already knows. A parser sees one file, not the
 * store, so osv.ts keeps each affected package's ranges on the Advisory node (`props.affectedRanges`)
 * and `osvRangeQueries` (osv.ts) lists them; the ingest step asks the store which versions of each
 * package it knows and calls `expandOsvRanges` to add the AFFECTS edges and compromise marks.
 *
 * Evaluation follows the OSV schema: events sorted by version, `introduced` opens, `fixed` closes
 * (exclusive), `last_affected` closes (inclusive), `limit` caps the range. Version order per ecosystem:
 * PEP 440 for PyPI; semver for npm, Go and every `SEMVER` range (a leading `v` is ignored); for GitHub
 * Actions, tags compared as dotted numbers after a leading `v` (so `0.33.1 < 0.35.0` and `v4 < 4.1`);
 * other ecosystems use the same dotted comparison as a best effort, and their matches are `likely`.
 * `GIT` ranges name commits, not versions, and are not evaluated.
 */
import { compare as pep440Compare, valid as pep440Valid } from '@renovatebot/pep440';
import { PackageURL } from 'packageurl-js';
import semver from 'semver';
import { packageIdOf, parseId, versionOf } from '../model/ids.js';
import type { Confidence } from '../model/kinds.js';
import type { EdgeInput, GraphBatch, NodeInput, Props, Source } from '../model/types.js';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  /** `ECOSYSTEM`, `SEMVER` or `GIT`. */
  type: string;
  events: OsvEvent[];
}

/** One affected package whose ranges still need evaluating against known versions. */
export interface OsvRangeQuery {
  /** The Advisory node id, e.g. `osv:GHSA-69fq-xp46-6x23`. */
  advisoryId: string;
  /** The Package id, e.g. `pkg:githubactions/aquasecurity/trivy-action`. */
  packageId: string;
  /** The OSV ecosystem, e.g. `GitHub Actions`. */
  ecosystem: string;
  ranges: OsvRange[];
  /** Mark matching versions compromised (a malicious-code record), or only link them (a vulnerability). */
  compromise: boolean;
  /** Provenance for the edges added: the advisory's own sources. */
  sources: Source[];
}

/** Compares two versions: negative, zero or positive; null when either is not a version of that scheme. */
export type VersionCompare = (a: string, b: string) => number | null;

const DOTTED = /^[vV]?(\d+(?:\.\d+)*)(?:[-+._]?([0-9A-Za-z][0-9A-Za-z.+_-]*))?$/;

/** Dotted-number order for tags and unknown ecosystems: `v0.33.1 < 0.35.0`, `1.0-rc1 < 1.0`, `v4 = 4.0.0`. */
/** A commit SHA (abbreviated from 7 hex digits, or full) is not a version, even when it starts with digits. */
const COMMIT = /^(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,64}$/i;

export const compareDotted: VersionCompare = (a, b) => {
  if (COMMIT.test(a.trim()) || COMMIT.test(b.trim())) return null;
  const x = DOTTED.exec(a.trim());
  const y = DOTTED.exec(b.trim());
  if (!x || !y) return null;
  const xs = x[1]!.split('.').map(Number);
  const ys = y[1]!.split('.').map(Number);
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const d = (xs[i] ?? 0) - (ys[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  const sx = x[2] ?? '';
  const sy = y[2] ?? '';
  if (sx === sy) return 0;
  if (sx === '') return 1; // a release sorts after its pre-releases
  if (sy === '') return -1;
  return Math.sign(sx.localeCompare(sy, 'en', { numeric: true }));
};

export const compareSemver: VersionCompare = (a, b) => {
  const x = semver.parse(a.trim().replace(/^[vV]/, ''), { loose: true });
  const y = semver.parse(b.trim().replace(/^[vV]/, ''), { loose: true });
  return x && y ? semver.compare(x, y) : null;
};

export const comparePep440: VersionCompare = (a, b) => {
  if (!pep440Valid(a) || !pep440Valid(b)) return null;
  try {
    return Math.sign(pep440Compare(a, b));
  } catch {
    return null;
  }
};

/** The comparison used for an ecosystem's range type, and whether it is exact or a best effort. */
export function comparatorFor(ecosystem: string, rangeType: string): { compare: VersionCompare; exact: boolean } | null {
  if (rangeType === 'GIT') return null;
  const base = ecosystem.split(':')[0]!;
  if (rangeType === 'SEMVER') return { compare: compareSemver, exact: true };
  if (base === 'PyPI') return { compare: comparePep440, exact: true };
  if (base === 'npm' || base === 'Go') return { compare: compareSemver, exact: true };
  if (base === 'GitHub Actions') return { compare: compareDotted, exact: true };
  return { compare: compareDotted, exact: false };
}

/**
 * The candidate versions that fall inside any of the ranges (in the candidates' order). A range whose
 * events cannot be ordered with the ecosystem's scheme is skipped; a candidate that is not a version
 * of that scheme (a commit SHA, a branch name) never matches.
 */
export function versionsInRanges(ecosystem: string, ranges: readonly OsvRange[], candidates: readonly string[]): string[] {
  if (!Array.isArray(ranges) || !Array.isArray(candidates)) return [];
  return candidates.filter((v) => ranges.some((r) => inRange(ecosystem, r, v)));
}

function inRange(ecosystem: string, range: OsvRange, version: string): boolean {
  // Ranges may come from stored props: tolerate any shape, and match nothing when it is not a range.
  if (typeof range !== 'object' || range === null || typeof range.type !== 'string' || typeof version !== 'string') return false;
  const cmp = comparatorFor(ecosystem, range.type)?.compare;
  if (!cmp || !Array.isArray(range.events)) return false;
  const events: Array<{ kind: keyof OsvEvent; at: string }> = [];
  for (const e of range.events as unknown[]) {
    if (typeof e !== 'object' || e === null) return false;
    const ev = e as OsvEvent;
    const kinds = (['introduced', 'fixed', 'last_affected', 'limit'] as const).filter((k) => typeof ev[k] === 'string');
    if (kinds.length !== 1) return false;
    events.push({ kind: kinds[0]!, at: ev[kinds[0]!]! });
  }
  // `introduced: "0"` is the lowest version of any scheme; every other event must be comparable.
  const order = (x: { kind: string; at: string }, y: { kind: string; at: string }): number | null => {
    const zx = x.kind === 'introduced' && x.at === '0';
    const zy = y.kind === 'introduced' && y.at === '0';
    if (zx || zy) return zx && zy ? 0 : zx ? -1 : 1;
    return cmp(x.at, y.at);
  };
  for (const e of events) if (!(e.kind === 'introduced' && e.at === '0') && cmp(e.at, e.at) === null) return false;
  if (cmp(version, version) === null) return false;
  const tie: Record<string, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };
  events.sort((x, y) => order(x, y)! || tie[x.kind]! - tie[y.kind]!);

  let included = false;
  for (const e of events) {
    if (e.kind === 'introduced') {
      if (e.at === '0' || cmp(version, e.at)! >= 0) included = true;
    } else if (e.kind === 'fixed') {
      if (cmp(version, e.at)! >= 0) included = false;
    } else if (e.kind === 'last_affected') {
      if (cmp(version, e.at)! > 0) included = false;
    } else if (cmp(version, e.at)! >= 0) {
      return false; // limit
    }
  }
  return included;
}

/** The PackageVersion id of `version` of a Package id, normalised like every other purl. */
export function versionIdOf(packageId: string, version: string): string {
  const p = PackageURL.fromString(packageId);
  return parseId(new PackageURL(p.type, p.namespace, p.name, version, undefined, undefined).toString()).id;
}

/**
 * Adds to `batch` an AFFECTS edge and a mark (`advisories`, and `compromised` for malicious-code
 * records) for every known version inside each query's ranges. `knownVersionsOf` returns what the
 * store knows of a Package: PackageVersion ids (`pkg:pypi/litellm@1.82.8`) or plain versions
 * (`1.82.8`). Versions the batch itself names count as known. Returns a new batch; pure apart from
 * the lookups.
 *
 * @example
 * const known = async (pkg) => (await store.edgesOf([pkg], { direction: 'in', kinds: ['VERSION_OF'] })).map((e) => e.from);
 * const batch = await expandOsvRanges(prepared.batch, osvRangeQueries(prepared.batch), known);
 */
export async function expandOsvRanges(
  batch: GraphBatch,
  queries: readonly OsvRangeQuery[],
  knownVersionsOf: (packageId: string) => Promise<readonly string[]>,
): Promise<GraphBatch> {
  const nodes: NodeInput[] = [...batch.nodes];
  const edges: EdgeInput[] = [...batch.edges];
  const warnings = [...(batch.warnings ?? [])];
  const edgeKeys = new Set(edges.map((e) => `${e.from}|${e.kind}|${e.to}`));
  const inBatch = nodes.filter((n) => n.kind === 'PackageVersion').map((n) => n.id);

  for (const q of queries) {
    const known = new Map<string, string>(); // version id -> version text
    const candidates = [...(await knownVersionsOf(q.packageId)), ...inBatch.filter((id) => safePackageIdOf(id) === q.packageId)];
    for (const c of candidates) {
      if (typeof c !== 'string' || c === '') continue;
      try {
        if (c.startsWith('pkg:')) {
          if (safePackageIdOf(c) !== q.packageId) continue;
          const v = versionOf(c);
          if (v) known.set(parseId(c).id, v);
        } else {
          known.set(versionIdOf(q.packageId, c), c);
        }
      } catch {
        // Not a version of this package: ignore it.
      }
    }
    const usable = q.ranges.filter((r) => comparatorFor(q.ecosystem, r.type));
    if (usable.length < q.ranges.length) warnings.push(`${q.advisoryId}: ${q.ranges.length - usable.length} GIT range(s) of ${q.packageId} not evaluated (they name commits, not versions)`);
    const matched = new Set(versionsInRanges(q.ecosystem, usable, [...known.values()]));
    const exact = usable.every((r) => comparatorFor(q.ecosystem, r.type)!.exact);
    const confidence: Confidence | undefined = exact ? undefined : 'likely';
    for (const [id, v] of known) {
      if (!matched.has(v)) continue;
      const key = `${q.advisoryId}|AFFECTS|${id}`;
      if (edgeKeys.has(key)) continue;
      edgeKeys.add(key);
      const props: Props = { advisories: [q.advisoryId] };
      if (q.compromise) props.compromised = true;
      nodes.push({ id, kind: 'PackageVersion', props, sources: q.sources });
      edges.push({ from: q.advisoryId, kind: 'AFFECTS', to: id, ...(confidence && { confidence }), sources: q.sources });
    }
  }
  return { input: batch.input, nodes, edges, warnings };
}

function safePackageIdOf(id: string): string | null {
  try {
    return packageIdOf(id);
  } catch {
    return null;
  }
}
