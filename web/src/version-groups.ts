/**
 * Package versions, shown four ways. A big radius is often mostly versions (a popular library's
 * releases), so they can be gathered under their package, collapsed into one node per package, or
 * hidden with the walk bridged across them.
 */
import { compareTime } from './blast-elements.js';
import { CONFIDENCE_RANK, versionSplit, type Confidence } from './types.js';
import { edgeId, type ViewEdge, type ViewGraph, type ViewNode } from './view-graph.js';

/**
 * - `show`: every version is its own node (the default).
 * - `group`: versions (and their Package node) sit inside a compound parent per package.
 * - `collapse`: one node per package stands for its versions; edges are re-attached to it.
 * - `hide`: versions are left out; an edge u -> version -> w becomes a bridge u -> w.
 */
export type VersionMode = 'show' | 'group' | 'collapse' | 'hide';
export const VERSION_MODES: readonly VersionMode[] = ['show', 'group', 'collapse', 'hide'];

export interface VersionGroupOptions {
  /**
   * Fewest nodes (versions plus the package itself) for a package to be grouped or collapsed; a lone
   * version stays as it is.
   * @default 2
   */
  minMembers?: number;
}

export const groupIdOf = (packageId: string): string => `group:${packageId}`;

/** The package a node belongs to (a version's purl without version, a Package its own id), else null. */
export function packageOf(node: Pick<ViewNode, 'id' | 'kind'>): string | null {
  if (node.kind === 'PackageVersion') return versionSplit(node.id)?.[0] ?? null;
  if (node.kind === 'Package') return node.id;
  return null;
}

/** `pkg:pypi/litellm` -> `litellm`; `pkg:githubactions/aquasecurity/trivy-action` -> `aquasecurity/trivy-action`. */
export function packageDisplayName(packageId: string): string {
  const slash = packageId.indexOf('/');
  const rest = slash >= 0 ? packageId.slice(slash + 1) : packageId;
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

export function applyVersionMode(graph: ViewGraph, mode: VersionMode, options: VersionGroupOptions = {}): ViewGraph {
  if (mode === 'show') return graph;
  if (mode === 'hide') return hideVersions(graph);
  const minMembers = options.minMembers ?? 2;
  const members = new Map<string, ViewNode[]>();
  for (const n of graph.nodes) {
    const pkg = packageOf(n);
    if (pkg === null) continue;
    const list = members.get(pkg) ?? [];
    list.push(n);
    members.set(pkg, list);
  }
  for (const [pkg, list] of members) if (list.length < minMembers) members.delete(pkg);
  return mode === 'group' ? groupVersions(graph, members) : collapseVersions(graph, members);
}

function summary(pkg: string, list: readonly ViewNode[]): ViewNode {
  const earliest = [...list].sort((a, b) => compareTime(a.t, b.t) || a.hops - b.hops)[0]!;
  const strongest = list.reduce<Confidence>((c, n) => (CONFIDENCE_RANK[n.confidence] > CONFIDENCE_RANK[c] ? n.confidence : c), 'possible');
  return {
    id: groupIdOf(pkg),
    kind: 'Group',
    name: packageDisplayName(pkg),
    seed: list.some((n) => n.seed),
    reached: list.some((n) => n.reached),
    t: earliest.seed ? null : earliest.t,
    firstExposedAt: earliest.firstExposedAt,
    hops: earliest.seed ? 0 : earliest.hops,
    confidence: strongest,
  };
}

function groupVersions(graph: ViewGraph, members: Map<string, ViewNode[]>): ViewGraph {
  const parentOf = new Map<string, string>();
  const parents: ViewNode[] = [];
  for (const [pkg, list] of members) {
    parents.push(summary(pkg, list));
    for (const n of list) parentOf.set(n.id, groupIdOf(pkg));
  }
  const nodes = graph.nodes.map((n) => (parentOf.has(n.id) ? { ...n, parent: parentOf.get(n.id)! } : n));
  return { nodes: [...parents, ...nodes], edges: graph.edges };
}

function collapseVersions(graph: ViewGraph, members: Map<string, ViewNode[]>): ViewGraph {
  const into = new Map<string, string>();
  const groups: ViewNode[] = [];
  for (const [pkg, list] of members) {
    groups.push({ ...summary(pkg, list), members: list.map((n) => n.id).sort() });
    for (const n of list) into.set(n.id, groupIdOf(pkg));
  }
  const nodes = [...groups, ...graph.nodes.filter((n) => !into.has(n.id))];
  return { nodes, edges: remapEdges(graph.edges, (id) => into.get(id) ?? id), alias: into };
}

/** Re-attaches edges, drops the ones that fall inside one node, and merges duplicates (earliest wins). */
function remapEdges(edges: readonly ViewEdge[], map: (id: string) => string): ViewEdge[] {
  const out = new Map<string, ViewEdge>();
  for (const e of edges) {
    const from = map(e.from);
    const to = map(e.to);
    if (from === to) continue;
    const id = edgeId(from, e.kind, to);
    const prev = out.get(id);
    if (prev && (compareTime(prev.t, e.t) < 0 || (prev.t === e.t && prev.h <= e.h))) continue;
    out.set(id, { ...e, id, from, to });
  }
  return [...out.values()];
}

/**
 * Leaves versions out (seeds stay) and bridges the walk across them: for u -> v1 -> v2 -> w with the
 * v's hidden, a bridge u -> w of w's incoming edge kind, its time, and the weakest confidence on
 * the chain.
 */
function hideVersions(graph: ViewGraph): ViewGraph {
  const hidden = new Set(graph.nodes.filter((n) => n.kind === 'PackageVersion' && !n.seed).map((n) => n.id));
  if (hidden.size === 0) return graph;
  const incoming = new Map<string, ViewEdge[]>();
  for (const e of graph.edges) {
    const list = incoming.get(e.to) ?? [];
    list.push(e);
    incoming.set(e.to, list);
  }
  // Visible origins of a hidden node, each with the weakest confidence on the way.
  const originsMemo = new Map<string, Array<{ id: string; confidence: Confidence }>>();
  const origins = (id: string, seen: Set<string>): Array<{ id: string; confidence: Confidence }> => {
    const memo = originsMemo.get(id);
    if (memo) return memo;
    if (seen.has(id)) return [];
    seen.add(id);
    const found = new Map<string, Confidence>();
    for (const e of incoming.get(id) ?? []) {
      const list = hidden.has(e.from) ? origins(e.from, seen) : [{ id: e.from, confidence: 'confirmed' as Confidence }];
      for (const o of list) {
        const c = weaker(o.confidence, e.confidence);
        const prev = found.get(o.id);
        found.set(o.id, prev ? stronger(prev, c) : c);
      }
    }
    const result = [...found].map(([oid, confidence]) => ({ id: oid, confidence }));
    originsMemo.set(id, result);
    return result;
  };
  const bridged: ViewEdge[] = [];
  for (const e of graph.edges) {
    if (hidden.has(e.to)) continue;
    if (!hidden.has(e.from)) {
      bridged.push(e);
      continue;
    }
    for (const o of origins(e.from, new Set())) {
      bridged.push({ ...e, id: edgeId(o.id, e.kind, e.to), from: o.id, confidence: weaker(o.confidence, e.confidence), confidenceExact: false });
    }
  }
  const alias = new Map<string, string | null>([...hidden].map((id) => [id, null]));
  return { nodes: graph.nodes.filter((n) => !hidden.has(n.id)), edges: remapEdges(bridged, (id) => id), alias };
}

function weaker(a: Confidence, b: Confidence): Confidence {
  return CONFIDENCE_RANK[a] <= CONFIDENCE_RANK[b] ? a : b;
}

function stronger(a: Confidence, b: Confidence): Confidence {
  return CONFIDENCE_RANK[a] >= CONFIDENCE_RANK[b] ? a : b;
}
