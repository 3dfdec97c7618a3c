/**
 * Advisories as standing rules. An OSV record's versions and ranges apply to every matching version
 * whenever that version is ingested: before the advisory, after it, in the same command or another.
 *
 * How it is kept without a store of its own (only GraphStore's record-level reads are used):
 * - the Advisory node carries its rule in props: `affectedVersions` (explicit PackageVersion ids),
 *   `affectedRanges` (per package: ecosystem, range type, events) and `malicious`. Every revision
 *   writes all three, so the stored node holds the rule of the newest revision (record.ts keeps a
 *   newer `modifiedAt` over an older one);
 * - every Package an advisory names gets `advisories: [osv:…]` (that prop accumulates): the index
 *   from a package to the advisories that may apply to its versions;
 * - before any batch is written (`applyStandingRules`), the advisories indexed on the batch's packages
 *   are read and evaluated against the batch's versions; an advisory in the batch is evaluated against
 *   every stored version of its packages too. A match gives an AFFECTS edge and the marks
 *   (`advisories`, `compromised` for malicious code) citing the advisory at `/affected`.
 *
 * Re-evaluation. Each revision's rule is also kept on the Advisory (`revision:<modified>`). A version
 * any revision matched gets the AFFECTS edge and the `advisories` entry, citing every revision (edges
 * cannot be deleted through the store contract, and this way the record of what an earlier revision
 * said is the same whichever files came first); only the rule in force marks it compromised. A version
 * the rule in force no longer matches is unmarked (`compromised: false`) unless another advisory in
 * force still marks it or a user marked it (a `mark:` source).
 *
 * Order. Besides the rules, every batch asserts (rather than merely mentions) each node it names
 * without describing it, and the Package of each of its versions, so that their sources are the union of
 * the files that name them whichever came first. With these, the same files in any order (in one
 * command or many) give the same graph, as long as they do not contradict each other (a later
 * assertion of a different name or prop still wins).
 *
 * Unjudgeable versions (a branch `@master`, a commit SHA) of a package whose ranges are in force
 * cannot be ordered against them: each is listed in a warning and recorded on the version as
 * `uncheckedAgainst: [osv:…]`, so a responder can review them (GraphQL `uncheckedUses`).
 */
import { packageIdOf, parseId, versionOf } from '../model/ids.js';
import { unionSources } from '../model/record.js';
import type { StoredNode } from '../model/record.js';
import type { Confidence, NodeKind } from '../model/kinds.js';
import type { EdgeInput, GraphBatch, Json, NodeInput, Props, Source } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';
import { comparatorFor, versionsInRanges, type OsvEvent } from './osv-ranges.js';

export type RuleReader = Pick<GraphStore, 'getNodes' | 'edgesOf'>;

/** One advisory's rule, read from an Advisory node's props. */
export interface AdvisoryRule {
  id: string;
  malicious: boolean;
  modifiedAt?: string;
  /** Explicitly named PackageVersion ids. */
  versions: Set<string>;
  /** Ranges by Package id. */
  ranges: Map<string, { ecosystem: string; type: string; events: OsvEvent[] }[]>;
  /** Every Package the rule is about. */
  packages: Set<string>;
  /** What a derived fact cites: the advisory's sources, at `/affected`. */
  sources: Source[];
}

/** How an advisory's rule judges one version. */
export type Verdict = { match: true; confidence?: Confidence } | { match: false; unjudged: boolean };

/** Reads the rule on an Advisory node (batch input or stored); null when it carries none. */
export function ruleOf(node: { id: string; props?: Props; sources: Source[] }): AdvisoryRule | null {
  const p = node.props ?? {};
  if (!Array.isArray(p.affectedVersions) && !Array.isArray(p.affectedRanges)) return null;
  const rule: AdvisoryRule = {
    id: node.id,
    malicious: p.malicious === true,
    ...(typeof p.modifiedAt === 'string' && { modifiedAt: p.modifiedAt }),
    versions: new Set(),
    ranges: new Map(),
    packages: new Set(),
    sources: node.sources.map((s) => ({ ...s, pointer: '/affected' })),
  };
  for (const v of Array.isArray(p.affectedVersions) ? p.affectedVersions : []) {
    if (typeof v !== 'string') continue;
    const pkg = safePackageIdOf(v);
    if (!pkg) continue;
    rule.versions.add(v);
    rule.packages.add(pkg);
  }
  for (const r of Array.isArray(p.affectedRanges) ? p.affectedRanges : []) {
    if (!isRecord(r) || typeof r.package !== 'string' || typeof r.ecosystem !== 'string' || typeof r.type !== 'string' || !Array.isArray(r.events)) continue;
    const list = rule.ranges.get(r.package) ?? [];
    list.push({ ecosystem: r.ecosystem, type: r.type, events: r.events as unknown as OsvEvent[] });
    rule.ranges.set(r.package, list);
    rule.packages.add(r.package);
  }
  return rule;
}

/** Props key of one revision's rule on the Advisory node: `revision:<modified>`. */
export const REVISION_KEY = 'revision:';

/** An advisory as the rules see it: the rule in force and every revision's. */
interface Entry {
  id: string;
  inForce: AdvisoryRule;
  revisions: AdvisoryRule[];
  packages: Set<string>;
  /** Every revision's sources, at `/affected`: what a derived fact cites. */
  sources: Source[];
  /** True for an advisory in the batch being written (evaluated against every known version). */
  fromBatch: boolean;
}

function entryOf(node: { id: string; props?: Props; sources: Source[] }, fromBatch: boolean): Entry | null {
  const inForce = ruleOf(node);
  if (!inForce) return null;
  const sources = node.sources.map((s) => ({ ...s, pointer: '/affected' }));
  inForce.sources = sources;
  const revisions: AdvisoryRule[] = [];
  for (const [key, value] of Object.entries(node.props ?? {})) {
    if (!key.startsWith(REVISION_KEY) || !isRecord(value)) continue;
    const rule = ruleOf({ id: node.id, props: value as Props, sources });
    if (rule) revisions.push(rule);
  }
  if (revisions.length === 0) revisions.push(inForce); // recorded before revisions were kept
  const packages = new Set([inForce, ...revisions].flatMap((r) => [...r.packages]));
  return { id: node.id, inForce, revisions, packages, sources, fromBatch };
}

/** Judges one PackageVersion id against a rule. */
export function judge(rule: AdvisoryRule, versionId: string): Verdict {
  if (rule.versions.has(versionId)) return { match: true };
  const pkg = safePackageIdOf(versionId);
  const ranges = pkg ? rule.ranges.get(pkg) : undefined;
  const version = safeVersionOf(versionId);
  if (!ranges || ranges.length === 0 || version === undefined) return { match: false, unjudged: false };
  let judgeable = false;
  for (const r of ranges) {
    const c = comparatorFor(r.ecosystem, r.type);
    if (!c || c.compare(version, version) === null) continue;
    judgeable = true;
    if (versionsInRanges(r.ecosystem, [{ type: r.type, events: r.events }], [version]).length > 0) {
      return c.exact ? { match: true } : { match: true, confidence: 'likely' };
    }
  }
  return { match: false, unjudged: !judgeable && [...ranges].some((r) => comparatorFor(r.ecosystem, r.type) !== null) };
}

/**
 * True when `incoming` is an older revision than `stored` (the same test record.ts uses to keep the
 * newer props).
 */
function olderThan(incoming: Props | undefined, stored: Props | undefined): boolean {
  const a = incoming?.modifiedAt;
  const b = stored?.modifiedAt;
  return typeof a === 'string' && typeof b === 'string' && a < b;
}

interface Marks {
  advisories: Set<string>;
  /** true: mark; false: unmark; undefined: leave. */
  compromised?: boolean;
  unchecked: Set<string>;
  sources: Source[];
}

/** What applying the rules found, for summaries and tests. */
export interface RuleReport {
  /** `osv:…` -> PackageVersion ids it matched in this write. */
  matched: Map<string, Set<string>>;
  /** `osv:…` -> PackageVersion ids that could not be judged against its ranges. */
  unchecked: Map<string, Set<string>>;
}

/**
 * Adds to `batch` what the standing advisory rules imply for it (see the top of this file). Pure
 * apart from the reads; returns a new batch and leaves `batch` as it was.
 */
export async function applyStandingRules(batch: GraphBatch, store: RuleReader): Promise<GraphBatch & { rules: RuleReport }> {
  const nodes: NodeInput[] = [...batch.nodes];
  const edges: EdgeInput[] = [...batch.edges];
  const warnings = [...(batch.warnings ?? [])];
  const report: RuleReport = { matched: new Map(), unchecked: new Map() };

  // Versions this batch names (as nodes or as edge ends), and their packages.
  const batchVersions = new Map<string, Source[]>();
  for (const n of batch.nodes) if (n.kind === 'PackageVersion') batchVersions.set(n.id, unionSources(batchVersions.get(n.id) ?? [], n.sources));
  for (const e of batch.edges) {
    for (const id of [e.from, e.to]) {
      if (!batchVersions.has(id) && id.startsWith('pkg:') && safeKind(id) === 'PackageVersion') batchVersions.set(id, e.sources);
    }
  }
  // Each Package is asserted by every file naming one of its versions (not only mentioned by the
  // first): a mention would keep the first file's sources, and the graph would depend on file order.
  // Sources are gathered first and united once per node: uniting as they come is quadratic in a
  // package's versions (an OSV record naming 20,000 versions took minutes).
  const packageSourceLists = new Map<string, Source[]>();
  for (const [id, sources] of batchVersions) {
    const pkg = safePackageIdOf(id);
    if (!pkg) continue;
    const list = packageSourceLists.get(pkg);
    if (list) list.push(...sources);
    else packageSourceLists.set(pkg, [...sources]);
  }
  const packageSources = new Map<string, Source[]>();
  for (const [pkg, list] of packageSourceLists) packageSources.set(pkg, unionSources([], list));
  // Likewise every node the batch only mentions (an edge end it does not describe): a mention would
  // leave a stored node exactly as stored, so which file came first would decide its sources.
  const described = new Set(batch.nodes.map((n) => n.id));
  const mentioned = new Map<string, { kind: NodeKind; sources: Source[] }>();
  const mention = (id: string, kind: NodeKind, sources: Source[]) => {
    if (described.has(id)) return;
    const prev = mentioned.get(id);
    if (prev) prev.sources.push(...sources);
    else mentioned.set(id, { kind, sources: [...sources] });
  };
  for (const [pkg, sources] of packageSources) mention(pkg, 'Package', sources);
  for (const e of batch.edges) {
    for (const id of [e.from, e.to]) {
      const kind = safeKind(id);
      if (kind && kind !== 'Advisory' && kind !== 'Incident') mention(id, kind, e.sources);
    }
  }
  for (const [id, { kind, sources }] of mentioned) nodes.push({ id, kind, sources: unionSources([], sources) });

  // The advisories in this batch, with what is stored of them: the rule in force (the newest
  // revision's), every revision's rule, and their sources (all revisions') at /affected.
  const entries = new Map<string, Entry>();
  const batchAdvisories = batch.nodes.filter((n) => n.kind === 'Advisory' && ruleOf(n) !== null);
  const storedBatchAdvisories = await getMap(store, batchAdvisories.map((n) => n.id));
  for (const n of batchAdvisories) {
    const stored = storedBatchAdvisories.get(n.id);
    const props = stored ? (olderThan(n.props, stored.props) ? { ...n.props, ...stored.props } : { ...stored.props, ...n.props }) : (n.props ?? {});
    const entry = entryOf({ id: n.id, props, sources: unionSources(stored?.sources ?? [], n.sources) }, true);
    if (entry) entries.set(n.id, entry);
  }

  // Stored advisories indexed on the batch's packages.
  const storedPackages = await getMap(store, [...packageSources.keys()]);
  const indexed = new Set<string>();
  for (const pkg of packageSources.keys()) {
    const adv = storedPackages.get(pkg)?.props.advisories;
    if (Array.isArray(adv)) for (const a of adv) if (typeof a === 'string' && !entries.has(a)) indexed.add(a);
  }
  for (const [id, node] of await getMap(store, [...indexed])) {
    const entry = entryOf(node, false);
    if (entry) entries.set(id, entry);
  }

  // Candidate versions: the batch's, and every stored version of the packages of the batch's advisories.
  const candidates = new Map<string, Set<string>>(); // package -> version ids
  const addCandidate = (id: string) => {
    const pkg = safePackageIdOf(id);
    if (!pkg) return;
    const set = candidates.get(pkg) ?? new Set<string>();
    set.add(id);
    candidates.set(pkg, set);
  };
  for (const id of batchVersions.keys()) addCandidate(id);
  const batchAdvisoryPackages = [...new Set([...entries.values()].filter((e) => e.fromBatch).flatMap((e) => [...e.packages]))];
  if (batchAdvisoryPackages.length > 0) {
    for (const e of await store.edgesOf(batchAdvisoryPackages, { direction: 'in', kinds: ['VERSION_OF'] })) addCandidate(e.from);
  }

  const marks = new Map<string, Marks>();
  const markOf = (id: string): Marks => {
    let m = marks.get(id);
    if (!m) marks.set(id, (m = { advisories: new Set(), unchecked: new Set(), sources: [] }));
    return m;
  };
  const note = (map: Map<string, Set<string>>, a: string, v: string) => {
    const set = map.get(a) ?? new Set<string>();
    set.add(v);
    map.set(a, set);
  };

  /** (entry, version) pairs its ranges cannot order: reviewed below. */
  const unjudged: Array<[Entry, string]> = [];
  /** Versions an earlier revision matched that the rule in force does not: unmarked below unless something else marks them. */
  const unmarkCandidates = new Map<string, { rule: AdvisoryRule; malicious: boolean }>();

  for (const entry of entries.values()) {
    const { inForce } = entry;
    for (const pkg of entry.packages) {
      for (const v of candidates.get(pkg) ?? []) {
        // A stored advisory is applied to this batch's versions only; one in the batch to every known version.
        if (!entry.fromBatch && !batchVersions.has(v)) continue;
        const now = judge(inForce, v);
        const before = now.match ? now : entry.revisions.map((r) => judge(r, v)).find((x) => x.match);
        if (before?.match) {
          // Any revision's match is recorded (AFFECTS, `advisories`), citing every revision, so the edge
          // is the same whichever revisions and versions came first; only the rule in force marks.
          edges.push({ from: entry.id, kind: 'AFFECTS', to: v, ...(before.confidence && { confidence: before.confidence }), sources: entry.sources });
          const m = markOf(v);
          m.advisories.add(entry.id);
          m.sources = unionSources(m.sources, entry.sources);
          if (now.match) {
            if (inForce.malicious) m.compromised = true;
            note(report.matched, entry.id, v);
          } else {
            unmarkCandidates.set(v, { rule: inForce, malicious: inForce.malicious || entry.revisions.some((r) => r.malicious) });
          }
        } else if (now.match === false && (now.unjudged || entry.revisions.some((r) => (judge(r, v) as { unjudged?: boolean }).unjudged))) {
          unjudged.push([entry, v]);
        }
      }
    }
  }

  // A commit pinned with its tag in a comment was judged as that tag (github-workflow.ts): not listed.
  if (unjudged.length > 0) {
    const batchProps = new Map(batch.nodes.filter((n) => n.kind === 'PackageVersion').map((n) => [n.id, n.props ?? {}]));
    const stored = await getMap(store, unjudged.map(([, v]) => v).filter((v) => !batchProps.has(v)));
    for (const [entry, v] of unjudged) {
      const props = batchProps.get(v) ?? stored.get(v)?.props ?? {};
      if (typeof props.commentTag === 'string') continue;
      const m = markOf(v);
      m.unchecked.add(entry.id);
      m.sources = unionSources(m.sources, entry.sources);
      note(report.unchecked, entry.id, v);
    }
  }

  const inForce = new Map([...entries].map(([id, e]) => [id, e.inForce]));
  if (unmarkCandidates.size > 0) await unmark(unmarkCandidates, store, inForce, marks, markOf);

  // The batch's own nodes for those versions take the computed marks (one node per id).
  const storedVersions = await getMap(store, [...marks.keys()].filter((id) => [...(marks.get(id)!.unchecked)].length > 0));
  const out: NodeInput[] = [];
  for (const n of nodes) {
    const m = n.kind === 'PackageVersion' ? marks.get(n.id) : undefined;
    if (!m) {
      out.push(n);
      continue;
    }
    out.push({ ...n, props: withMarks(n.props ?? {}, m, storedVersions.get(n.id)), sources: unionSources(n.sources, m.sources) });
    marks.delete(n.id);
  }
  for (const [id, m] of marks) {
    if (m.sources.length === 0) continue; // history of a version only this batch's own nodes carry
    out.push({ id, kind: 'PackageVersion', props: withMarks({}, m, storedVersions.get(id)), sources: m.sources });
  }

  for (const [a, vs] of report.unchecked) {
    const list = [...vs].sort();
    warnings.push(
      `${batch.input}: ${list.length} use(s) could not be checked against ${a} (a branch or commit, not a version it can order): ` +
        `${list.slice(0, 10).join(', ')}${list.length > 10 ? `, … (${list.length - 10} more)` : ''}; recorded as uncheckedAgainst for review`,
    );
  }
  for (const entry of entries.values()) {
    if (!entry.fromBatch || entry.inForce.ranges.size === 0) continue;
    const hits = [...(report.matched.get(entry.id) ?? [])].filter((v) => !entry.inForce.versions.has(v));
    if (hits.length === 0) {
      warnings.push(`${batch.input}: ${entry.id}: no known version of ${[...entry.inForce.ranges.keys()].join(', ')} falls in its ranges yet; the advisory stays in force and marks matching versions ingested later`);
    }
  }
  for (const [a, vs] of report.matched) {
    if (entries.get(a)?.fromBatch) continue;
    const list = [...vs].sort();
    warnings.push(`${batch.input}: ${a} (already stored) applies to ${list.slice(0, 10).join(', ')}${list.length > 10 ? `, … (${list.length - 10} more)` : ''}`);
  }
  return { input: batch.input, nodes: out, edges, warnings, rules: report };
}

/**
 * Unmarks versions that no rule in force marks any more: `compromised: false`, unless another
 * malicious-code advisory in force still matches, or a user marked the version (a `mark:` source).
 */
async function unmark(
  candidates: Map<string, { rule: AdvisoryRule; malicious: boolean }>,
  store: RuleReader,
  inForce: Map<string, AdvisoryRule>,
  marks: Map<string, Marks>,
  markOf: (id: string) => Marks,
): Promise<void> {
  const stored = await getMap(store, [...candidates.keys()]);
  const others = new Set<string>();
  for (const node of stored.values()) {
    const adv = node.props.advisories;
    if (Array.isArray(adv)) for (const a of adv) if (typeof a === 'string' && !inForce.has(a)) others.add(a);
  }
  for (const [id, node] of await getMap(store, [...others])) {
    const rule = ruleOf(node);
    if (rule) inForce.set(id, rule);
  }
  for (const [v, { rule, malicious }] of candidates) {
    const node = stored.get(v);
    if (!malicious && node?.props.compromised !== true) continue; // a vulnerability never marked it
    if (marks.get(v)?.compromised === true) continue; // another rule in this batch marks it
    if (node?.sources.some((s) => s.source.startsWith('mark:'))) continue;
    const listed = new Set([...(Array.isArray(node?.props.advisories) ? node!.props.advisories : []), ...(marks.get(v)?.advisories ?? [])].map(String));
    const still = [...listed].some((a) => {
      const r = inForce.get(a);
      return r !== undefined && r.id !== rule.id && r.malicious && judge(r, v).match;
    });
    if (still) continue;
    const m = markOf(v);
    m.compromised = false;
    // The loop above gave it the advisory's sources; a version only stored edges name cites what it
    // already cites of the advisory (new sources here would depend on the order of files).
    const shas = new Set(rule.sources.map((s) => s.sha256));
    const cited = (node?.sources ?? []).filter((s) => shas.has(s.sha256));
    if (m.sources.length === 0) m.sources = cited.length > 0 ? cited : (node?.sources.slice(0, 1) ?? []);
  }
}

function withMarks(props: Props, m: Marks, stored: StoredNode | undefined): Props {
  const out: Props = { ...props };
  if (m.advisories.size > 0) {
    const prev = Array.isArray(props.advisories) ? props.advisories.map(String) : [];
    out.advisories = [...new Set([...prev, ...m.advisories])].sort();
  }
  if (m.compromised !== undefined) out.compromised = m.compromised;
  if (m.unchecked.size > 0) {
    const prev = Array.isArray(stored?.props.uncheckedAgainst) ? (stored!.props.uncheckedAgainst as Json[]).map(String) : [];
    out.uncheckedAgainst = [...new Set([...prev, ...m.unchecked])].sort();
  }
  return out;
}

async function getMap(store: RuleReader, ids: readonly string[]): Promise<Map<string, StoredNode>> {
  const unique = [...new Set(ids)];
  const map = new Map<string, StoredNode>();
  if (unique.length === 0) return map;
  const found = await store.getNodes(unique);
  found.forEach((n, i) => {
    if (n) map.set(unique[i]!, n);
  });
  return map;
}

function safePackageIdOf(id: string): string | null {
  try {
    return packageIdOf(id);
  } catch {
    return null;
  }
}

function safeVersionOf(id: string): string | undefined {
  try {
    return versionOf(id);
  } catch {
    return undefined;
  }
}

function safeKind(id: string): NodeKind | null {
  try {
    return parseId(id).kind;
  } catch {
    return null;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
