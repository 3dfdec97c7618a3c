/**
 * vex.cdx.json: a CycloneDX 1.6 VEX document built with @cyclonedx/cyclonedx-library. Components are
 * the compromised package versions (seeds and affected PackageVersions) with their purls; services
 * are the affected Services; each vulnerability has analysis state `exploitable` and affects the
 * versions it covers and the services the compromise reached through them.
 *
 * One vulnerability per advisory (Advisory nodes that AFFECT a compromised version, and ids in a
 * version's `advisories` prop), with the advisory's references; versions no advisory covers (say,
 * litellm 1.82.8 derived by the publish rule) share one incident vulnerability `BLAST-…`.
 *
 * Deterministic: the serialNumber is a UUID (RFC 9562 version 8, name-based on SHA-256) of the
 * snapshotId and every parameter, the timestamp is generatedAt, and lists are built in code-unit
 * order and serialised with `sortLists: false` (the library sorts with localeCompare, which depends
 * on the machine's locale).
 */
import { createHash } from 'node:crypto';
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import type { AffectedNode } from '../engine/blast-radius.js';
import { compareText } from '../engine/blast-options.js';
import { canonicalJson, type StoredNode } from '../model/record.js';
import { normalizeTime } from '../model/time.js';
import type { Json } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';
import type { ExportModel } from './export-model.js';

const PROP = 'blast-radius';

interface AdvisoryInfo {
  /** The advisory id without the `osv:` prefix, e.g. `MAL-2026-2144`. */
  id: string;
  node?: StoredNode;
  aliases: Set<string>;
  versions: Set<string>;
}

/** A deterministic urn:uuid from a digest: RFC 9562 version 8 (custom), variant 10. */
export function uuidFromDigest(hex: string): string {
  const b = Buffer.from(hex.slice(0, 32), 'hex');
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The digest of every parameter of an export, with the graph's snapshotId. */
export function parametersDigest(model: ExportModel): string {
  const params = {
    snapshotId: model.result.snapshotId,
    seeds: model.result.seeds,
    options: model.result.options,
    generatedAt: model.meta.generatedAt,
    title: model.meta.title,
  };
  return createHash('sha256').update(canonicalJson(params)).digest('hex');
}

function strings(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function advisoryId(raw: string): string {
  return raw.startsWith('osv:') ? raw.slice(4) : raw;
}

function osvUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Reference URLs of an Advisory node: `references` as OSV gives them ({type, url}) or plain strings, and `url`. */
function referenceUrls(node: StoredNode | undefined): string[] {
  if (!node) return [];
  const out = new Set<string>();
  const refs = node.props.references;
  if (Array.isArray(refs)) {
    for (const r of refs) {
      const url = typeof r === 'string' ? r : r && typeof r === 'object' && !Array.isArray(r) && typeof r.url === 'string' ? r.url : undefined;
      if (url && isHttpUrl(url)) out.add(url);
    }
  }
  for (const u of strings(node.props.url)) if (isHttpUrl(u)) out.add(u);
  return [...out].sort(compareText);
}

async function collectAdvisories(store: GraphStore, versions: readonly StoredNode[]): Promise<Map<string, AdvisoryInfo>> {
  const byId = new Map<string, AdvisoryInfo>();
  const alias = new Map<string, string>(); // any alias -> primary id
  const get = (id: string, node?: StoredNode) => {
    let a = byId.get(id);
    if (!a) byId.set(id, (a = { id, aliases: new Set(), versions: new Set() }));
    if (node) a.node = node;
    return a;
  };
  const ids = versions.map((v) => v.id);
  const edges = ids.length === 0 ? [] : await store.edgesOf(ids, { direction: 'in', kinds: ['AFFECTS'] });
  const advisoryNodeIds = [...new Set(edges.map((e) => e.from))].sort(compareText);
  const advisoryNodes = advisoryNodeIds.length === 0 ? [] : await store.getNodes(advisoryNodeIds);
  const nodeById = new Map(advisoryNodes.filter((n): n is StoredNode => n !== null).map((n) => [n.id, n]));
  for (const e of edges) {
    const a = get(advisoryId(e.from), nodeById.get(e.from));
    a.versions.add(e.to);
  }
  for (const a of byId.values()) {
    for (const al of strings(a.node?.props.aliases)) {
      if (al !== a.id) a.aliases.add(al);
      alias.set(al, a.id);
    }
    alias.set(a.id, a.id);
  }
  for (const v of versions) {
    for (const raw of strings(v.props.advisories)) {
      const id = advisoryId(raw.trim());
      if (id === '') continue;
      get(alias.get(id) ?? id).versions.add(v.id);
    }
  }
  return new Map([...byId].sort(([a], [b]) => compareText(a, b)));
}

function properties(pairs: Array<[string, string | number | null | undefined]>): Models.PropertyRepository {
  const repo = new Models.PropertyRepository();
  for (const [k, v] of pairs) if (v !== null && v !== undefined) repo.add(new Models.Property(`${PROP}:${k}`, String(v)));
  return repo;
}

export async function vexJson(store: GraphStore, model: ExportModel): Promise<string> {
  const { result, meta } = model;
  const digest = parametersDigest(model);
  const seedIds = new Set(result.seeds.filter((s) => s.found).map((s) => s.id));
  const exposure = new Map<string, { at: string | null; hops: number; confidence: string; seed: boolean }>();
  for (const s of result.seeds) if (s.found) exposure.set(s.id, { at: s.at, hops: 0, confidence: 'confirmed', seed: true });
  for (const a of result.affected) exposure.set(a.id, { at: a.firstExposedAt, hops: a.hops, confidence: a.confidence, seed: false });

  const versions = [...exposure.keys()]
    .map((id) => model.nodes.get(id))
    .filter((n): n is StoredNode => n !== undefined && n.kind === 'PackageVersion')
    .sort((a, b) => compareText(a.id, b.id));
  const services = result.affected.filter((a) => a.kind === 'Service').sort((a, b) => compareText(a.id, b.id));

  const bom = new Models.Bom({ serialNumber: uuidFromDigest(digest) });
  bom.metadata.timestamp = new Date(meta.generatedAt);
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, meta.tool.name, { version: meta.tool.version }));
  bom.metadata.properties = properties([
    ['title', meta.title],
    ['snapshotId', result.snapshotId],
    ['options', JSON.stringify(result.options)],
  ]);
  for (const s of result.seeds) bom.metadata.properties.add(new Models.Property(`${PROP}:seed`, `${s.id}${s.at ? ` at ${s.at}` : ''}`));

  const componentRefs = new Map<string, Models.BomRef>();
  for (const v of versions) {
    const e = exposure.get(v.id)!;
    let purl: PackageURL | undefined;
    try {
      purl = PackageURL.fromString(v.id);
    } catch {
      purl = undefined;
    }
    const c = new Models.Component(Enums.ComponentType.Library, purl?.name ?? v.name, {
      bomRef: v.id,
      group: purl?.namespace ?? undefined,
      version: purl?.version ?? undefined,
      purl: v.id,
      description: v.name,
      properties: properties([
        ['firstExposedAt', e.at],
        ['hops', e.hops],
        ['confidence', e.confidence],
        ['seed', e.seed ? 'true' : 'false'],
        ['publishedAt', normalizeTime(v.props.publishedAt)],
        ['containedAt', normalizeTime(v.props.containedAt)],
      ]),
    });
    bom.components.add(c);
    componentRefs.set(v.id, c.bomRef);
  }

  const serviceRefs = new Map<string, Models.BomRef>();
  for (const s of services) {
    const node = model.nodes.get(s.id);
    const svc = new Models.Service(s.name, {
      bomRef: s.id,
      properties: properties([
        ['id', s.id],
        ['firstExposedAt', s.firstExposedAt],
        ['hops', s.hops],
        ['confidence', s.confidence],
        ['environment', typeof node?.props.environment === 'string' ? node.props.environment : null],
        ['containedAt', normalizeTime(node?.props.containedAt)],
      ]),
    });
    bom.services.add(svc);
    serviceRefs.set(s.id, svc.bomRef);
  }

  /** Services whose evidence path runs through one of these versions. */
  const servicesThrough = (covered: ReadonlySet<string>): AffectedNode[] =>
    services.filter((s) => s.path.some((h) => covered.has(h.from) || covered.has(h.to)));

  const addVulnerability = (v: Models.Vulnerability.Vulnerability, covered: ReadonlySet<string>) => {
    for (const id of [...covered].sort(compareText)) {
      const ref = componentRefs.get(id);
      if (ref) v.affects.add(new Models.Vulnerability.Affect(ref, { versions: affectedVersion(id) }));
    }
    for (const s of servicesThrough(covered)) v.affects.add(new Models.Vulnerability.Affect(serviceRefs.get(s.id)!));
    bom.vulnerabilities.add(v);
  };

  const seedsText = result.seeds.map((s) => `${s.id} from ${s.at ?? 'an unknown time'}`).join('; ');
  const advisories = await collectAdvisories(store, versions);
  const advised = new Set<string>();
  for (const a of advisories.values()) {
    const covered = new Set([...a.versions].filter((id) => componentRefs.has(id)));
    if (covered.size === 0) continue;
    covered.forEach((id) => advised.add(id));
    const source = new Models.Vulnerability.Source({ name: 'OSV', url: osvUrl(a.id) });
    const vuln = new Models.Vulnerability.Vulnerability({
      bomRef: `vulnerability:${a.id}`,
      id: a.id,
      source,
      description: typeof a.node?.props.summary === 'string' ? a.node.props.summary : undefined,
      detail: typeof a.node?.props.details === 'string' ? a.node.props.details : undefined,
      published: dateOf(a.node?.props.published),
      updated: dateOf(a.node?.props.modifiedAt ?? a.node?.props.modified),
      analysis: analysis(`Reached by the blast radius from ${seedsText}; graph snapshot ${result.snapshotId}.`),
    });
    for (const cwe of strings(a.node?.props.cwes)) {
      const n = /^CWE-(\d{1,9})$/i.exec(cwe.trim());
      if (n) vuln.cwes.add(Number(n[1]));
    }
    for (const al of [...a.aliases].sort(compareText)) {
      vuln.references.add(new Models.Vulnerability.Reference(al, new Models.Vulnerability.Source({ name: 'OSV', url: osvUrl(al) })));
    }
    vuln.advisories.add(new Models.Vulnerability.Advisory(osvUrl(a.id), { title: `OSV ${a.id}` }));
    for (const url of referenceUrls(a.node)) vuln.advisories.add(new Models.Vulnerability.Advisory(url));
    addVulnerability(vuln, covered);
  }

  const unadvised = new Set(versions.map((v) => v.id).filter((id) => !advised.has(id)));
  if (unadvised.size > 0) {
    const id = `BLAST-${digest.slice(0, 12).toUpperCase()}`;
    addVulnerability(
      new Models.Vulnerability.Vulnerability({
        bomRef: `vulnerability:${id}`,
        id,
        source: new Models.Vulnerability.Source({ name: meta.tool.name }),
        description: `Supply-chain compromise (${meta.title}): package versions compromised by the incident, derived by the blast radius, with no advisory recorded in the graph.`,
        detail: `Seeds: ${seedsText}. Graph snapshot ${result.snapshotId}. See report.md for the evidence path of each version.`,
        analysis: analysis(`Compromised: reached by the blast radius from ${seedsText}.`),
      }),
      unadvised,
    );
  }

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: false, space: 2 })}\n`;
}

function affectedVersion(purlId: string): Models.Vulnerability.AffectedVersionRepository {
  const repo = new Models.Vulnerability.AffectedVersionRepository();
  let version: string | undefined;
  try {
    version = PackageURL.fromString(purlId).version ?? undefined;
  } catch {
    version = undefined;
  }
  if (version) repo.add(new Models.Vulnerability.AffectedSingleVersion(version, { status: Enums.Vulnerability.AffectStatus.Affected }));
  return repo;
}

function analysis(detail: string): Models.Vulnerability.Analysis {
  return new Models.Vulnerability.Analysis({ state: Enums.Vulnerability.AnalysisState.Exploitable, detail });
}

function dateOf(value: Json | undefined): Date | undefined {
  const t = normalizeTime(value);
  return t === null ? undefined : new Date(t);
}
