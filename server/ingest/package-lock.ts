/**
 * package-lock.json, lockfileVersion 2 and 3 (npm 7+), read from its `packages` map. Each entry
 * with a version is a PackageVersion `pkg:npm/<name>@<version>`: the name is the entry's `name` (set
 * for aliases and the root) else the last `node_modules/<name>` of its path. The root (`""`) and
 * workspace folders are versions too when they have a name and version.
 *
 * `dependencies`, `optionalDependencies` and `peerDependencies` of an entry resolve the way Node
 * resolves `require()`: `<path>/node_modules/<dep>`, then the same in each enclosing package folder,
 * up to the top `node_modules/<dep>`; links (`link: true`) are followed to their target. Edges are
 * confirmed, except optional and peer ones (`likely`: not installed on every platform / by every npm)
 * and the root's `devDependencies` (`likely`). An optional dependency that is not in the tree is
 * normal (another platform's binary) and skipped quietly; any other unresolved one is warned about.
 * With `--service`, packages flagged `dev`, `optional` or `devOptional` are attached as `likely`.
 *
 * lockfileVersion 1 (npm 5 and 6, no `packages` map) is refused with a clear error.
 */
import { escapePointer } from '../model/secrets.js';
import type { Confidence } from '../model/kinds.js';
import type { GraphBatch } from '../model/types.js';
import type { IngestContext, InputFormat } from './format.js';
import { GraphBuilder, isObject, refuseSecrets } from './package-graph.js';
import type { ParsedInput } from './parsed-input.js';

export const packageLockFormat: InputFormat = {
  name: 'package-lock.json',
  detect: (input) =>
    isObject(input.data) && typeof input.data.lockfileVersion === 'number' && (isObject(input.data.packages) || isObject(input.data.dependencies)),
  parse: parsePackageLock,
};

const DEP_FIELDS: Array<[field: string, confidence: Confidence | undefined]> = [
  ['dependencies', undefined],
  ['optionalDependencies', 'likely'],
  ['peerDependencies', 'likely'],
];

export function parsePackageLock(input: ParsedInput, ctx: IngestContext): GraphBatch {
  const b: GraphBuilder = new GraphBuilder(ctx, input.locate);
  const doc = input.data;
  if (!isObject(doc)) return b.fail('a package-lock.json must be a JSON object', '');
  const version = doc.lockfileVersion;
  if (version === 1 || !isObject(doc.packages)) b.fail('lockfileVersion 1 not supported (run `npm install --lockfile-version 3` with npm 7 or later)', '/lockfileVersion');
  if (version !== 2 && version !== 3) b.fail(`lockfileVersion ${String(version).slice(0, 10)} not supported (expected 2 or 3)`, '/lockfileVersion');
  refuseSecrets(doc, ctx, input.locate, { keys: false });
  const packages = doc.packages as Record<string, unknown>;

  const ids = new Map<string, string | null>(); // path -> PackageVersion id (null: no version)
  const service = new Map<string, Confidence>();
  for (const [path, entry] of Object.entries(packages)) {
    const at = `/packages/${escapePointer(path)}`;
    if (!isObject(entry)) b.fail('a packages entry must be an object', at);
    for (const key of ['name', 'version', 'resolved'] as const) {
      if (entry[key] !== undefined && typeof entry[key] !== 'string') b.fail(`${key} must be a string`, `${at}/${key}`);
    }
    if (entry.link === true) {
      ids.set(path, null);
      continue;
    }
    const name = typeof entry.name === 'string' && entry.name !== '' ? entry.name : nameFromPath(path);
    const v = entry.version;
    if (!name || typeof v !== 'string' || v === '') {
      if (path !== '') b.tally('no-version', 'entries without a name and version skipped', at);
      ids.set(path, null);
      continue;
    }
    const [namespace, bare] = name.startsWith('@') && name.includes('/') ? [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)] : [undefined, name];
    const id = b.packageVersion(b.purl('npm', namespace, bare, v, at), at);
    ids.set(path, id);
    if (entry.dev === true || entry.optional === true || entry.devOptional === true) {
      if (!service.has(id)) service.set(id, 'likely');
    } else {
      service.set(id, 'confirmed');
    }
  }

  /** Node's lookup: <from>/node_modules/<dep>, then each enclosing folder's node_modules, then the top. */
  const resolve = (from: string, dep: string): string | undefined => {
    let base = from;
    for (let guard = 0; guard < 1000; guard++) {
      const candidate = base === '' ? `node_modules/${dep}` : `${base}/node_modules/${dep}`;
      if (Object.hasOwn(packages, candidate)) return follow(candidate);
      if (base === '') return undefined;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut >= 0 ? base.slice(0, cut) : ''; // a top-level package or a workspace folder: the top is next
    }
    return undefined;
  };
  const follow = (path: string): string => {
    let p = path;
    for (let hops = 0; hops < 10; hops++) {
      const e = packages[p];
      if (!isObject(e) || e.link !== true || typeof e.resolved !== 'string') return p;
      p = e.resolved;
    }
    return p;
  };

  for (const [path, entry] of Object.entries(packages) as Array<[string, Record<string, unknown>]>) {
    if (entry.link === true) continue;
    const from = ids.get(path);
    const at = `/packages/${escapePointer(path)}`;
    const fields = path === '' || !path.includes('node_modules/') ? [...DEP_FIELDS, ['devDependencies', 'likely'] as [string, Confidence]] : DEP_FIELDS;
    for (const [field, confidence] of fields) {
      const deps = entry[field];
      if (deps === undefined) continue;
      if (!isObject(deps)) b.fail(`${field} must be an object`, `${at}/${field}`);
      for (const dep of Object.keys(deps)) {
        const dp = `${at}/${field}/${escapePointer(dep)}`;
        if (!from) {
          b.tally('skipped-edge', 'dependencies of entries without a version dropped', dp);
          continue;
        }
        const target = resolve(path, dep);
        const to = target === undefined ? undefined : ids.get(target);
        if (!to) {
          if (field === 'dependencies' || field === 'devDependencies') b.tally('unresolved', 'dependencies not found in the tree skipped', dp);
          continue;
        }
        b.edge(from, 'DEPENDS_ON', to, dp, { confidence });
      }
    }
  }

  b.attachService((id) => (service.get(id) === 'likely' ? 'likely' : undefined));
  return b.build();
}

/** `node_modules/@a/b/node_modules/c` -> `c`; `node_modules/@a/b` -> `@a/b`; a workspace folder -> undefined. */
function nameFromPath(path: string): string | undefined {
  const cut = path.lastIndexOf('node_modules/');
  if (cut < 0) return undefined;
  const rest = path.slice(cut + 'node_modules/'.length);
  return rest === '' ? undefined : rest;
}
