/**
 * "Uses we could not check against advisory X": the versions of the packages an advisory ranges over
 * that its ranges cannot order (a branch such as `@master`, a commit without a `# vX` comment), as
 * recorded by advisory-rules.ts in `uncheckedAgainst`, each with what depends on it, for a responder
 * to review by hand. Reads only records (getNodes, edgesOf).
 */
import { BlastError } from '../model/errors.js';
import { parseIdOfKind } from '../model/ids.js';
import type { StoredNode } from '../model/record.js';
import type { GraphStore } from '../store/graph-store.js';
import { ruleOf } from './advisory-rules.js';

export interface UncheckedUse {
  /** The PackageVersion that could not be judged. */
  version: StoredNode;
  /** Ids of what depends on it (Services, PackageVersions), ordered. */
  usedBy: string[];
}

/** Ordered by version id. NOT_FOUND when the advisory is not stored. */
export async function uncheckedUses(store: Pick<GraphStore, 'getNodes' | 'edgesOf'>, advisory: string, input = 'advisory'): Promise<UncheckedUse[]> {
  const id = parseIdOfKind(advisory.startsWith('osv:') ? advisory : `osv:${advisory}`, 'Advisory', input);
  const [node] = await store.getNodes([id]);
  if (!node) throw new BlastError('NOT_FOUND', `no advisory ${id} is stored`, { input });
  const rule = ruleOf(node);
  if (!rule || rule.ranges.size === 0) return [];
  const versionIds = (await store.edgesOf([...rule.ranges.keys()], { direction: 'in', kinds: ['VERSION_OF'] })).map((e) => e.from);
  const versions = (await store.getNodes(versionIds)).filter(
    (v): v is StoredNode => v !== null && Array.isArray(v.props.uncheckedAgainst) && v.props.uncheckedAgainst.includes(id),
  );
  if (versions.length === 0) return [];
  const users = new Map<string, Set<string>>();
  for (const e of await store.edgesOf(versions.map((v) => v.id), { direction: 'in', kinds: ['DEPENDS_ON'] })) {
    const set = users.get(e.to) ?? new Set<string>();
    set.add(e.from);
    users.set(e.to, set);
  }
  return versions
    .map((version) => ({ version, usedBy: [...(users.get(version.id) ?? [])].sort() }))
    .sort((a, b) => (a.version.id < b.version.id ? -1 : a.version.id > b.version.id ? 1 : 0));
}
