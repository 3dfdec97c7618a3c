/**
 * uv.lock (TOML, lock `version = 1`). Every `[[package]]` with a version is a PackageVersion
 * (`pkg:pypi/<name>@<version>`, the project itself included); its dependency lists become DEPENDS_ON.
 *
 * A lock may hold several versions of one name, one per resolution fork (dspy's lock has litellm
 * 1.68.0 and 1.72.6). uv writes `version` on a dependency whenever the name is ambiguous, so a
 * dependency resolves to the version it names, else to the only locked version of that name; should
 * neither apply, it points at every locked version of the name with confidence `possible`.
 *
 * Confidence: `dependencies` are confirmed, `likely` when they carry a platform `marker`;
 * `dev-dependencies` (groups uv installs by default) are `likely`; `optional-dependencies` (extras) are
 * `possible`. With `--service`, a version that only some forks install (it has `resolution-markers`)
 * is attached as `likely`.
 */
import type { Confidence } from '../model/kinds.js';
import type { GraphBatch } from '../model/types.js';
import type { IngestContext, InputFormat } from './format.js';
import { GraphBuilder, isObject, parseToml, pep503, refuseSecrets } from './package-graph.js';
import type { ParsedInput } from './parsed-input.js';

export const uvLockFormat: InputFormat = {
  name: 'uv.lock',
  detect: (input) =>
    input.syntax === 'text' && /^version\s*=\s*\d+\s*$/m.test(input.text) && /^\[\[package\]\]\s*$/m.test(input.text) && /^source\s*=\s*\{/m.test(input.text),
  parse: parseUvLock,
};

interface Locked {
  version: string;
  id: string;
}

export function parseUvLock(input: ParsedInput, ctx: IngestContext): GraphBatch {
  const { data, locate } = parseToml(input.text, ctx);
  const b: GraphBuilder = new GraphBuilder(ctx, locate);
  refuseSecrets(data, ctx, locate, { keys: false });
  if (data.version !== 1) b.fail(`unsupported uv.lock version ${String(data.version).slice(0, 20)} (expected 1)`, '/version');
  const packages = data.package ?? [];
  if (!Array.isArray(packages)) b.fail('package must be an array of tables ([[package]])', '/package');

  const byName = new Map<string, Locked[]>();
  const ids: Array<string | null> = [];
  const forked = new Set<string>();
  (packages as unknown[]).forEach((p, i) => {
    const at = `/package/${i}`;
    if (!isObject(p)) b.fail('a [[package]] entry must be a table', at);
    if (typeof p.name !== 'string' || p.name === '') b.fail('a package needs a name', `${at}/name`);
    if (p.version !== undefined && typeof p.version !== 'string') b.fail('version must be a string', `${at}/version`);
    if (typeof p.version !== 'string' || p.version === '') {
      b.tally('no-version', 'packages without a version (virtual or dynamic projects) skipped', at);
      ids.push(null);
      return;
    }
    const name = p.name as string;
    const id = b.packageVersion(b.purl('pypi', undefined, name, p.version, at), at);
    const list = byName.get(pep503(name)) ?? [];
    if (list.some((l) => l.version === p.version)) b.fail(`${name} ${p.version} is locked twice`, at);
    list.push({ version: p.version, id });
    byName.set(pep503(name), list);
    ids.push(id);
    if (p['resolution-markers'] !== undefined) forked.add(id);
  });

  (packages as Array<Record<string, unknown>>).forEach((p, i) => {
    const at = `/package/${i}`;
    const from = ids[i];
    const deps = (list: unknown, pointer: string, base: Confidence): void => {
      if (list === undefined) return;
      if (!Array.isArray(list)) b.fail('dependencies must be an array', pointer);
      (list as unknown[]).forEach((d, j) => {
        const dp = `${pointer}/${j}`;
        if (!isObject(d) || typeof d.name !== 'string' || d.name === '') return b.fail('a dependency needs a name', dp);
        if (d.version !== undefined && typeof d.version !== 'string') b.fail('a dependency version must be a string', `${dp}/version`);
        if (!from) {
          b.tally('skipped-edge', 'dependencies of packages without a version dropped', dp);
          return;
        }
        const candidates = byName.get(pep503(d.name)) ?? [];
        const named = typeof d.version === 'string' ? candidates.filter((c) => c.version === d.version) : candidates;
        if (named.length === 0) {
          b.tally('unlocked', 'dependencies on a name or version the lock does not hold skipped', dp);
          return;
        }
        const weaker = d.marker !== undefined && base === 'confirmed' ? 'likely' : base;
        for (const c of named) b.edge(from, 'DEPENDS_ON', c.id, dp, { confidence: named.length > 1 ? 'possible' : weaker });
      });
    };
    deps(p.dependencies, `${at}/dependencies`, 'confirmed');
    for (const [field, confidence] of [['dev-dependencies', 'likely'], ['optional-dependencies', 'possible']] as const) {
      const groups = p[field];
      if (groups === undefined) continue;
      if (!isObject(groups)) b.fail(`${field} must be a table of lists`, `${at}/${field}`);
      for (const [group, list] of Object.entries(groups as Record<string, unknown>)) deps(list, `${at}/${field}/${group}`, confidence);
    }
  });

  b.attachService((id) => (forked.has(id) ? 'likely' : undefined));
  return b.build();
}
