/**
 * Everything an export renders, gathered once: the blast-radius result, the stored records of every
 * node it names (seeds, affected, path endpoints), the stored edges its paths cross, and per-customer
 * views (deadline, what of theirs was exposed, what has been contained). Every list is sorted here,
 * so every writer is a pure function of this model and the files are byte-identical when repeated.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AffectedNode, BlastRadius, PathHop } from '../engine/blast-radius.js';
import { compareText } from '../engine/blast-options.js';
import { EDGE_KINDS, PROPAGATION, type NodeKind } from '../model/kinds.js';
import type { StoredEdge, StoredNode } from '../model/record.js';
import { formatTime, normalizeTime } from '../model/time.js';
import type { Json } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';

/** Ids per store round trip when loading records. */
const CHUNK = 2_000;

export interface ExportMeta {
  /** The report's title. */
  title: string;
  /** Canonical ISO-8601 UTC; the one instant written into every file. */
  generatedAt: string;
  tool: { name: string; version: string };
}

/** One source document (an ingested file or record), as the appendix lists it. */
export interface SourceDocument {
  source: string;
  sha256: string;
  /** The earliest ingestion of this document among the records cited. */
  firstIngestedAt: string;
}

export interface ContainedNode {
  id: string;
  kind: NodeKind;
  name: string;
  /** The earlier of the node's recorded containedAt and the export's `contained` option for it. */
  containedAt: string;
  /** `recorded`: the node's own containedAt; `assumed`: given as an option of this export. */
  basis: 'recorded' | 'assumed';
}

export interface CustomerExposure {
  /** The reached Dataset holding the customer's data, or the reached Service the customer uses. */
  id: string;
  kind: NodeKind;
  name: string;
  relation: 'BELONGS_TO' | 'USES';
  /** When the compromise could first have reached that asset. */
  firstExposedAt: string | null;
  /** When it could first have reached the customer through it (the last hop's arrival). */
  customerExposedAt: string | null;
  confidence: string;
  /** The evidence path, from a seed to the customer through this asset. */
  path: PathHop[];
}

export interface CustomerView {
  id: string;
  name: string;
  firstExposedAt: string | null;
  notifyWithinHours: number | null;
  /** firstExposedAt + notifyWithinHours; null when either is unknown. */
  deadline: string | null;
  jurisdiction: string | null;
  contact: string | null;
  exposures: CustomerExposure[];
  /** Nodes on the customer's evidence paths that carry `containedAt`, by time then id. */
  contained: ContainedNode[];
}

export interface ExportModel {
  meta: ExportMeta;
  result: BlastRadius;
  /** Stored records by id: seeds, affected nodes and every path endpoint (absent if not stored). */
  nodes: ReadonlyMap<string, StoredNode>;
  affectedById: ReadonlyMap<string, AffectedNode>;
  /** The stored edges the evidence paths cross, by key. */
  edges: StoredEdge[];
  customers: CustomerView[];
  documents: SourceDocument[];
}

export async function buildExportModel(store: GraphStore, result: BlastRadius, meta: ExportMeta): Promise<ExportModel> {
  const ids = new Set<string>();
  for (const s of result.seeds) ids.add(s.id);
  for (const a of result.affected) {
    ids.add(a.id);
    for (const h of a.path) ids.add(h.from).add(h.to);
  }
  for (const c of result.customers) for (const r of c.reasons) for (const h of r.path) ids.add(h.from).add(h.to);
  const nodes = await loadNodes(store, [...ids].sort(compareText));
  const edges = await loadPathEdges(store, result, [...nodes.keys()]);
  const affectedById = new Map(result.affected.map((a) => [a.id, a]));
  const seedStarts = new Map(result.seeds.map((s) => [s.id, s.at]));
  const assumed = new Map(result.options.contained.map((c) => [c.id, c.at]));
  const customers = result.customers.map((c) => customerView(c, nodes, affectedById, seedStarts, assumed));
  return { meta, result, nodes, affectedById, edges, customers, documents: sourceDocuments(result, nodes) };
}

async function loadNodes(store: GraphStore, ids: string[]): Promise<Map<string, StoredNode>> {
  const out = new Map<string, StoredNode>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const found = await store.getNodes(chunk);
    found.forEach((n) => n && out.set(n.id, n));
  }
  return out;
}

/** A hop's edge in stored direction: `reverse` kinds are stored from the hop's `to` to its `from`. */
export function storedEnds(hop: Pick<PathHop, 'from' | 'edge' | 'to'>): { from: string; to: string } {
  return PROPAGATION[hop.edge] === 'reverse' ? { from: hop.to, to: hop.from } : { from: hop.from, to: hop.to };
}

/**
 * The stored edges behind every hop. A hop does not name a grant's access level, so parallel grants
 * between the same two nodes are all kept (each is a fact the path may rest on).
 */
async function loadPathEdges(store: GraphStore, result: BlastRadius, nodeIds: string[]): Promise<StoredEdge[]> {
  const wanted = new Set<string>();
  const hops = (path: PathHop[]) => {
    for (const h of path) {
      const { from, to } = storedEnds(h);
      wanted.add(`${from}|${h.edge}|${to}`);
    }
  };
  result.affected.forEach((a) => hops(a.path));
  result.customers.forEach((c) => c.reasons.forEach((r) => hops(r.path)));
  const byKey = new Map<string, StoredEdge>();
  const kinds = EDGE_KINDS.filter((k) => PROPAGATION[k] !== null);
  for (let i = 0; i < nodeIds.length; i += CHUNK) {
    const edges = await store.edgesOf(nodeIds.slice(i, i + CHUNK), { direction: 'out', kinds });
    for (const e of edges) if (wanted.has(`${e.from}|${e.kind}|${e.to}`)) byKey.set(e.key, e);
  }
  return [...byKey.values()].sort((a, b) => compareText(a.key, b.key));
}

function customerView(
  c: BlastRadius['customers'][number],
  nodes: ReadonlyMap<string, StoredNode>,
  affected: ReadonlyMap<string, AffectedNode>,
  seedStarts: ReadonlyMap<string, string | null>,
  assumed: ReadonlyMap<string, string>,
): CustomerView {
  const node = nodes.get(c.id);
  const hours = node?.props.notifyWithinHours;
  const notifyWithinHours = typeof hours === 'number' && Number.isFinite(hours) && hours >= 0 ? hours : null;
  const exposures: CustomerExposure[] = c.reasons.map((r) => {
    const via = nodes.get(r.via);
    const a = affected.get(r.via);
    const kind = via?.kind ?? a?.kind ?? 'Dataset';
    return {
      id: r.via,
      kind,
      name: via?.name ?? a?.name ?? r.via,
      relation: kind === 'Service' ? 'USES' : 'BELONGS_TO',
      // The via node is affected, or else a seed (exposed from its own start).
      firstExposedAt: a ? a.firstExposedAt : (seedStarts.get(r.via) ?? null),
      customerExposedAt: r.path.at(-1)?.arrival ?? null,
      confidence: a?.confidence ?? 'confirmed',
      path: r.path,
    };
  });
  const onPaths = new Set<string>();
  for (const r of c.reasons) for (const h of r.path) onPaths.add(h.from).add(h.to);
  const contained: ContainedNode[] = [];
  for (const id of onPaths) {
    const n = nodes.get(id);
    if (!n) continue;
    const recorded = normalizeTime(n.props.containedAt);
    const given = assumed.get(id) ?? null;
    if (given !== null && (recorded === null || Date.parse(given) < Date.parse(recorded))) {
      contained.push({ id, kind: n.kind, name: n.name, containedAt: given, basis: 'assumed' });
    } else if (recorded !== null) {
      contained.push({ id, kind: n.kind, name: n.name, containedAt: recorded, basis: 'recorded' });
    }
  }
  contained.sort((a, b) => compareText(a.containedAt, b.containedAt) || compareText(a.id, b.id));
  return {
    id: c.id,
    name: c.name,
    firstExposedAt: c.firstExposedAt,
    notifyWithinHours,
    deadline: deadline(c.firstExposedAt, notifyWithinHours),
    jurisdiction: text(node?.props.jurisdiction),
    contact: text(node?.props.contact),
    exposures,
    contained,
  };
}

/** The notification deadline: first exposure plus the customer's notice period. */
export function deadline(firstExposedAt: string | null, hours: number | null): string | null {
  if (firstExposedAt === null || hours === null) return null;
  return formatTime(Date.parse(firstExposedAt) + Math.round(hours * 3_600_000));
}

/** Every document cited: the sources of every hop and of every named node, deduplicated. */
function sourceDocuments(result: BlastRadius, nodes: ReadonlyMap<string, StoredNode>): SourceDocument[] {
  const docs = new Map<string, SourceDocument>();
  const add = (s: { source: string; sha256: string; ingestedAt: string }) => {
    const key = `${s.sha256}\n${s.source}`;
    const prev = docs.get(key);
    if (!prev || s.ingestedAt < prev.firstIngestedAt) docs.set(key, { source: s.source, sha256: s.sha256, firstIngestedAt: s.ingestedAt });
  };
  for (const a of result.affected) for (const h of a.path) h.sources.forEach(add);
  for (const c of result.customers) for (const r of c.reasons) for (const h of r.path) h.sources.forEach(add);
  for (const n of nodes.values()) n.sources.forEach(add);
  return [...docs.values()].sort((a, b) => compareText(a.source, b.source) || compareText(a.sha256, b.sha256));
}

/** A prop as one line of text (strings as they are, anything else as JSON), or null when absent. */
export function text(value: Json | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The contained-at time of a stored node, or null. */
export function containedAt(node: StoredNode | undefined): string | null {
  return normalizeTime(node?.props.containedAt);
}

let toolVersion: string | undefined;

/** This tool's version, from the package.json above this module (server/ or dist/server/). */
export function exportToolVersion(): string {
  if (toolVersion !== undefined) return toolVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
      toolVersion = pkg.version ?? '0.0.0';
      return toolVersion;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return (toolVersion = '0.0.0');
      dir = parent;
    }
  }
}

