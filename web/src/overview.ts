/**
 * Overview first, details on demand. A radius of tens of thousands of nodes drawn node by node helps
 * nobody, so above a threshold the walk is drawn as groups: package versions by package, services,
 * credentials and datasets by owner, packages by ecosystem, advisories and incidents by kind. Seeds
 * and customers are always drawn as themselves, and so is every node the caller pins (the selected
 * node's evidence path). A group can be expanded in place: its members are then drawn instead.
 *
 * The owner is the namespace in the node's id (`svc:acme/labeling-api` -> `acme`), the convention
 * every ingester follows: the walk's answer carries ids, kinds, names and times, not props, and
 * asking for each node's props would double a 50,000-node answer.
 *
 * Pure: a ViewGraph in, a ViewGraph out (with `alias` mapping each grouped member to its group, so
 * evidence paths and highlights land on the group), unit-tested headless.
 */
import { compareTime } from './blast-elements.js';
import { CONFIDENCE_RANK, type Confidence, type NodeKind } from './types.js';
import { packageDisplayName, packageOf } from './version-groups.js';
import { edgeId, type ViewEdge, type ViewGraph, type ViewNode } from './view-graph.js';

export interface OverviewOptions {
  /**
   * Group ids drawn expanded (their members drawn as nodes).
   * @default none
   */
  expanded?: ReadonlySet<string>;
  /**
   * Node ids always drawn as themselves (the selected node's evidence path).
   * @default none
   */
  pinned?: ReadonlySet<string>;
  /**
   * Fewest members (not pinned) for a group to be drawn as one node; a smaller group's members are
   * drawn as themselves.
   * @default 2
   */
  minMembers?: number;
  /**
   * Most groups (and lone nodes) of one kind drawn side by side. Past it the kind is first drawn as
   * one node (`grp:<kind>`, e.g. every version of 2,500 packages); expanding that shows its groups.
   * @default 40
   */
  maxGroupsPerKind?: number;
}

/** One group of the overview, drawn collapsed or expanded. */
export interface OverviewGroup {
  id: string;
  kind: NodeKind;
  /** The owner, package or ecosystem the members share (untrusted text: it comes from ids). */
  owner: string;
  /** Display name, e.g. `services of acme`. */
  name: string;
  /** Every member, earliest first (pinned ones too). */
  members: string[];
  /** The earliest member's firstExposedAt, and as epoch ms. */
  firstExposedAt: string | null;
  t: number | null;
  expanded: boolean;
  /** The kind's group holding this one when the kind has too many groups (`grp:<kind>`). */
  parent?: string;
}

export interface Overview extends ViewGraph {
  /** Every group with at least `minMembers` members, by id. */
  groups: Map<string, OverviewGroup>;
  /** Each grouped node's group id, drawn or not (for "collapse the group this node is in"). */
  groupOf: Map<string, string>;
}

const GROUP_PREFIX = 'grp:';

export const isOverviewGroup = (id: string): boolean => id.startsWith(GROUP_PREFIX);

/** The namespace of an id: `svc:acme/labeling-api` -> `acme`; '' when the id has none. */
export function ownerOf(id: string): string {
  const colon = id.indexOf(':');
  const rest = colon >= 0 ? id.slice(colon + 1) : id;
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : '';
}

/**
 * Which group a node belongs to: kind and owner (package for versions, ecosystem for packages);
 * null for nodes always drawn as themselves (seeds, customers).
 */
export function groupKeyOf(node: Pick<ViewNode, 'id' | 'kind' | 'seed'>): { kind: NodeKind; owner: string } | null {
  if (node.seed || node.kind === 'Customer' || node.kind === 'Group') return null;
  switch (node.kind) {
    case 'PackageVersion':
      return { kind: node.kind, owner: packageOf(node) ?? ownerOf(node.id) };
    case 'Package':
      return { kind: node.kind, owner: ownerOf(node.id) };
    case 'Advisory':
    case 'Incident':
      return { kind: node.kind, owner: '' };
    default:
      return { kind: node.kind, owner: ownerOf(node.id) };
  }
}

export const groupIdFor = (kind: NodeKind, owner: string): string => `${GROUP_PREFIX}${kind}:${owner}`;

/** The group of a whole kind, drawn when it has more than `maxGroupsPerKind` groups. */
export const kindGroupIdFor = (kind: NodeKind): string => `${GROUP_PREFIX}${kind}`;

/** `versions of 2,500 packages`, `services of 40 owners`. */
export function kindGroupName(kind: NodeKind, units: number): string {
  const n = units.toLocaleString('en');
  if (kind === 'PackageVersion') return `versions of ${n} packages`;
  if (kind === 'Package') return `packages of ${n} ecosystems`;
  return `${PLURAL[kind]} of ${n} owners`;
}

const PLURAL: Record<NodeKind, string> = {
  Package: 'packages',
  PackageVersion: 'versions',
  Service: 'services',
  Credential: 'credentials',
  Dataset: 'datasets',
  Customer: 'customers',
  Advisory: 'advisories',
  Incident: 'incidents',
};

/** `litellm versions`, `pypi packages`, `services of acme`, `advisories`. */
export function groupName(kind: NodeKind, owner: string): string {
  if (kind === 'PackageVersion') return `${packageDisplayName(owner)} versions`;
  if (kind === 'Package') return owner ? `${owner} packages` : 'packages';
  if (!owner) return PLURAL[kind];
  return `${PLURAL[kind]} of ${owner}`;
}

/** Builds the overview of a walk's graph. */
export function overviewGraph(graph: ViewGraph, options: OverviewOptions = {}): Overview {
  const expanded = options.expanded ?? new Set<string>();
  const pinned = options.pinned ?? new Set<string>();
  const minMembers = options.minMembers ?? 2;

  const groups = new Map<string, OverviewGroup>();
  const groupOf = new Map<string, string>();
  const byId = new Map<string, ViewNode>();
  for (const n of graph.nodes) {
    byId.set(n.id, n);
    const key = groupKeyOf(n);
    if (!key) continue;
    const id = groupIdFor(key.kind, key.owner);
    let g = groups.get(id);
    if (!g) {
      g = { id, kind: key.kind, owner: key.owner, name: groupName(key.kind, key.owner), members: [], firstExposedAt: null, t: null, expanded: expanded.has(id) };
      groups.set(id, g);
    }
    g.members.push(n.id);
    groupOf.set(n.id, id);
  }

  const byTime = (a: ViewNode, b: ViewNode) => compareTime(a.t, b.t) || a.hops - b.hops || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const [id, g] of groups) {
    if (g.members.length < minMembers) {
      groups.delete(id);
      for (const m of g.members) groupOf.delete(m);
      continue;
    }
    const list = g.members.map((m) => byId.get(m)!).sort(byTime);
    g.members = list.map((n) => n.id);
    g.firstExposedAt = list[0]!.firstExposedAt;
    g.t = list[0]!.t;
  }

  // Kinds with too many groups (and lone nodes) to draw side by side get one group above them.
  const maxGroups = options.maxGroupsPerKind ?? 40;
  const units = new Map<NodeKind, number>();
  const keyed = new Map<NodeKind, ViewNode[]>();
  for (const n of graph.nodes) {
    const key = groupKeyOf(n);
    if (!key) continue;
    (keyed.get(key.kind) ?? keyed.set(key.kind, []).get(key.kind)!).push(n);
    if (!groupOf.has(n.id)) units.set(key.kind, (units.get(key.kind) ?? 0) + 1);
  }
  for (const g of groups.values()) units.set(g.kind, (units.get(g.kind) ?? 0) + 1);
  const folding = new Set<string>();
  for (const [kind, count] of units) {
    if (count <= maxGroups) continue;
    const id = kindGroupIdFor(kind);
    const list = keyed.get(kind)!.sort(byTime);
    const top: OverviewGroup = { id, kind, owner: '', name: kindGroupName(kind, count), members: list.map((n) => n.id), firstExposedAt: list[0]!.firstExposedAt, t: list[0]!.t, expanded: expanded.has(id) };
    for (const g of groups.values()) if (g.kind === kind) g.parent = id;
    for (const n of list) if (!groupOf.has(n.id)) groupOf.set(n.id, id);
    groups.set(id, top);
    if (!top.expanded) folding.add(id);
  }

  const alias = new Map<string, string | null>();
  const nodes: ViewNode[] = [];
  for (const [id, g] of groups) {
    // Drawn as one node: a folded kind group, or a group whose kind group is open (or absent).
    const drawnAsOne = g.parent !== undefined ? !folding.has(g.parent) && !g.expanded : !g.expanded;
    if (!drawnAsOne) continue;
    const list = g.members.filter((m) => !pinned.has(m)).map((m) => byId.get(m)!);
    if (list.length < minMembers) continue;
    for (const n of list) alias.set(n.id, id);
    const first = list[0]!;
    const strongest = list.reduce<Confidence>((c, n) => (CONFIDENCE_RANK[n.confidence] > CONFIDENCE_RANK[c] ? n.confidence : c), 'possible');
    nodes.push({
      id,
      kind: g.kind,
      name: g.name,
      seed: false,
      reached: true,
      t: first.t,
      firstExposedAt: first.firstExposedAt,
      hops: first.hops,
      confidence: strongest,
      members: list.map((n) => n.id),
    });
  }
  for (const n of graph.nodes) if (!alias.has(n.id)) nodes.push(n);

  const rep = (id: string) => alias.get(id) ?? id;
  const edges = new Map<string, ViewEdge>();
  for (const e of graph.edges) {
    const from = rep(e.from);
    const to = rep(e.to);
    if (from === to) continue;
    if (from === e.from && to === e.to) {
      const kept = edges.get(e.id);
      if (!kept || earlier(e, kept)) edges.set(e.id, e);
      continue;
    }
    const id = edgeId(from, e.kind, to);
    const kept = edges.get(id);
    // Many edges between two groups are drawn as one, crossed when the first of them was.
    if (!kept || earlier(e, kept)) edges.set(id, { ...e, id, from, to, confidenceExact: false });
  }
  return { nodes, edges: [...edges.values()], alias, groups, groupOf };
}

function earlier(a: ViewEdge, b: ViewEdge): boolean {
  const c = compareTime(a.t, b.t);
  return c < 0 || (c === 0 && a.h < b.h);
}

/**
 * Whether the walk is drawn as groups.
 * @param mode `auto`: from `threshold` nodes up; `on`: always; `off`: never
 */
export function overviewWanted(nodeCount: number, mode: 'auto' | 'on' | 'off', threshold: number): boolean {
  return mode === 'on' || (mode === 'auto' && nodeCount > threshold);
}
