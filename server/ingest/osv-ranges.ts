/**
 * OSV `ranges`: which versions they hold. osv.ts keeps each affected package's ranges on the Advisory
 * node (`props.affectedRanges`); advisory-rules.ts evaluates them against every version of the package,
 * whether it was ingested before the advisory or after.
 *
 * Evaluation follows the OSV schema: events sorted by version, `introduced` opens, `fixed` closes
 * (exclusive), `last_affected` closes (inclusive), `limit` caps the range. Version order per ecosystem:
 * PEP 440 for PyPI; semver for npm, Go and every `SEMVER` range (a leading `v` is ignored); for GitHub
 * Actions, tags compared as dotted numbers after a leading `v` (so `0.33.1 < 0.35.0` and `v4 < 4.1`);
 * other ecosystems use the same dotted comparison as a best effort, and their matches are `likely`.
 * `GIT` ranges name commits, not versions, and are not evaluated.
 */
import { compare as pep440Compare, valid as pep440Valid } from '@renovatebot/pep440';
import semver from 'semver';

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
