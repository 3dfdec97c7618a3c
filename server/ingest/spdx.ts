/**
 * SPDX 2.3 JSON (2.2 reads the same). Packages with a `purl` external reference become
 * PackageVersions; a purl without a version takes `versionInfo` when that is a real version. Packages
 * without a purl are skipped with one aggregated warning, and so are relationships that touch them.
 *
 * Relationships mapped to DEPENDS_ON ("A rel B"; the stored edge points from the dependent package to
 * the package it depends on, the way a compromise flows backwards along it):
 *
 *   A DEPENDS_ON B, A DYNAMIC_LINK B, A STATIC_LINK B, A CONTAINS B     A -> B   confirmed
 *   A DEPENDENCY_OF B, A RUNTIME_DEPENDENCY_OF B, A CONTAINED_BY B      B -> A   confirmed
 *   A BUILD_DEPENDENCY_OF B, A PROVIDED_DEPENDENCY_OF B                  B -> A   likely   (runs at build
 *                                                                                 time / supplied by the runtime; can still inject code)
 *   A PREREQUISITE_FOR B (npm sbom: peer dependencies)                  B -> A   likely
 *   A HAS_PREREQUISITE B                                                 A -> B   likely
 *   A DEV_DEPENDENCY_OF B, A TEST_DEPENDENCY_OF B, A OPTIONAL_DEPENDENCY_OF B,
 *   A DEV_TOOL_OF B, A BUILD_TOOL_OF B                                   B -> A   possible (not shipped, or not always installed)
 *
 * Everything else (DESCRIBES, GENERATES, TEST_CASE_OF, VARIANT_OF, PATCH_FOR, …) is not a dependency
 * and is counted in one warning.
 */
import { printable } from '../model/ids.js';
import type { Confidence } from '../model/kinds.js';
import type { GraphBatch } from '../model/types.js';
import type { IngestContext, InputFormat } from './format.js';
import { GraphBuilder, isObject, refuseSecrets } from './package-graph.js';
import type { ParsedInput } from './parsed-input.js';

export const spdxFormat: InputFormat = {
  name: 'spdx',
  detect: (input) => isObject(input.data) && typeof input.data.spdxVersion === 'string' && input.data.spdxVersion.startsWith('SPDX-'),
  parse: parseSpdx,
};

/** relationshipType -> direction (forward: A depends on B) and confidence. */
export const SPDX_DEPENDENCY_RELATIONSHIPS: Record<string, { reverse: boolean; confidence: Confidence }> = {
  DEPENDS_ON: { reverse: false, confidence: 'confirmed' },
  DYNAMIC_LINK: { reverse: false, confidence: 'confirmed' },
  STATIC_LINK: { reverse: false, confidence: 'confirmed' },
  CONTAINS: { reverse: false, confidence: 'confirmed' },
  DEPENDENCY_OF: { reverse: true, confidence: 'confirmed' },
  RUNTIME_DEPENDENCY_OF: { reverse: true, confidence: 'confirmed' },
  CONTAINED_BY: { reverse: true, confidence: 'confirmed' },
  BUILD_DEPENDENCY_OF: { reverse: true, confidence: 'likely' },
  PROVIDED_DEPENDENCY_OF: { reverse: true, confidence: 'likely' },
  DEV_DEPENDENCY_OF: { reverse: true, confidence: 'possible' },
  TEST_DEPENDENCY_OF: { reverse: true, confidence: 'possible' },
  OPTIONAL_DEPENDENCY_OF: { reverse: true, confidence: 'possible' },
  DEV_TOOL_OF: { reverse: true, confidence: 'possible' },
  BUILD_TOOL_OF: { reverse: true, confidence: 'possible' },
  // npm sbom writes peer dependencies as "peer PREREQUISITE_FOR dependent"; package-lock.ts reads the
  // same peers as likely DEPENDS_ON edges, so one project taints the same whichever file is read.
  PREREQUISITE_FOR: { reverse: true, confidence: 'likely' },
  HAS_PREREQUISITE: { reverse: false, confidence: 'likely' },
};

/** versionInfo values that say "no version" (npm and syft write UNKNOWN). Compared upper-cased. */
const NO_VERSION = new Set(['', 'NOASSERTION', 'NONE', 'UNKNOWN', 'UNSPECIFIED', 'N/A']);
const noVersion = (v: string): boolean => NO_VERSION.has(v.toUpperCase());

export function parseSpdx(input: ParsedInput, ctx: IngestContext): GraphBatch {
  const b: GraphBuilder = new GraphBuilder(ctx, input.locate);
  const doc = input.data;
  if (!isObject(doc)) return b.fail('an SPDX document must be a JSON object', '');
  refuseSecrets(doc, ctx, input.locate, { keys: false });

  const version = doc.spdxVersion;
  if (typeof version !== 'string' || !/^SPDX-2\.[0-3]$/.test(version)) b.fail(`unsupported spdxVersion ${printable(String(version), 20)} (expected SPDX-2.3 JSON)`, '/spdxVersion');

  /** SPDXID -> PackageVersion id, or null for a package that was skipped. */
  const byId = new Map<string, string | null>();
  const idAt = new Map<string, string>();
  const packages = doc.packages ?? [];
  if (!Array.isArray(packages)) b.fail('packages must be an array', '/packages');
  (packages as unknown[]).forEach((p, i) => {
    const at = `/packages/${i}`;
    if (!isObject(p)) b.fail('a package must be an object', at);
    const pkg = p as Record<string, unknown>;
    const spdxId = pkg.SPDXID;
    if (typeof spdxId !== 'string' || spdxId === '') b.fail('a package needs an SPDXID string', `${at}/SPDXID`);
    const sid = spdxId as string;
    const first = idAt.get(sid);
    idAt.set(sid, first ?? at);
    for (const key of ['name', 'versionInfo'] as const) {
      if (pkg[key] !== undefined && typeof pkg[key] !== 'string') b.fail(`${key} must be a string`, `${at}/${key}`);
    }
    const refs = pkg.externalRefs ?? [];
    if (!Array.isArray(refs)) b.fail('externalRefs must be an array', `${at}/externalRefs`);
    let purl: string | undefined;
    let purlAt = '';
    (refs as unknown[]).forEach((r, j) => {
      if (!isObject(r)) b.fail('an external reference must be an object', `${at}/externalRefs/${j}`);
      if (r.referenceType !== 'purl' || purl !== undefined) return;
      if (typeof r.referenceLocator !== 'string') b.fail('referenceLocator must be a string', `${at}/externalRefs/${j}/referenceLocator`);
      purl = b.sbomPurl(r.referenceLocator as string, `${at}/externalRefs/${j}/referenceLocator`);
      purlAt = `${at}/externalRefs/${j}/referenceLocator`;
    });
    let id: string | null = null;
    if (purl === undefined) {
      b.tally('no-purl', 'packages without a purl skipped', at);
    } else {
      const versionInfo = typeof pkg.versionInfo === 'string' ? pkg.versionInfo.trim() : '';
      let versioned = purl;
      if (!b.purlKind(purl, purlAt) && !noVersion(versionInfo)) versioned = withVersion(purl, versionInfo);
      if (b.purlKind(versioned, purlAt)) {
        const name = typeof pkg.name === 'string' && pkg.name !== '' ? pkg.name : undefined;
        const shown = name && !noVersion(versionInfo) ? `${name}@${versionInfo}` : name;
        id = b.packageVersion(versioned, purlAt, { name: shown });
      } else if (Array.isArray(doc.documentDescribes) && doc.documentDescribes.includes(sid)) {
        b.warn('the package this document describes has no version, so its dependency relationships are dropped; ingest with --service to record what it runs', at);
      } else {
        b.tally('no-version', 'packages with neither a purl version nor a versionInfo skipped', at);
      }
    }
    if (first !== undefined) {
      // npm sbom lists a package installed at several paths once per path under one SPDXID (they differ
      // in packageFileName): the same package, read as one. Different packages under one id are refused.
      const prev = byId.get(sid);
      if (prev !== id) b.fail(`duplicate SPDXID "${sid.slice(0, 80)}" names another package than the one first at ${input.locate(first)}`, `${at}/SPDXID`);
      b.tally('same-spdxid', 'packages repeated under one SPDXID (one package installed at several paths) read as one', at);
      return;
    }
    byId.set(sid, id);
  });

  const relationships = doc.relationships ?? [];
  if (!Array.isArray(relationships)) b.fail('relationships must be an array', '/relationships');
  (relationships as unknown[]).forEach((r, i) => {
    const at = `/relationships/${i}`;
    if (!isObject(r)) b.fail('a relationship must be an object', at);
    const rel = r as Record<string, unknown>;
    const type = rel.relationshipType;
    if (typeof type !== 'string') b.fail('relationshipType must be a string', `${at}/relationshipType`);
    for (const key of ['spdxElementId', 'relatedSpdxElement'] as const) {
      if (typeof rel[key] !== 'string') b.fail(`${key} must be a string`, `${at}/${key}`);
    }
    const mapping = SPDX_DEPENDENCY_RELATIONSHIPS[type as string];
    if (!mapping) {
      b.tally(`unmapped:${type as string}`, `relationships of type ${(type as string).slice(0, 40)} are not dependencies; ignored`, at);
      return;
    }
    const a = byId.get(rel.spdxElementId as string);
    const c = byId.get(rel.relatedSpdxElement as string);
    if (a === undefined || c === undefined) {
      b.tally('not-package', 'dependency relationships naming an element that is not a package (a file, another document) ignored', at);
      return;
    }
    if (a === null || c === null) {
      b.tally('skipped-edge', 'dependency relationships touching a skipped package dropped', at);
      return;
    }
    const [from, to] = mapping.reverse ? [c, a] : [a, c];
    b.edge(from, 'DEPENDS_ON', to, at, { confidence: mapping.confidence });
  });

  b.attachService();
  return b.build();
}

/** Inserts `@version` into a purl that has none, before its qualifiers and subpath. */
function withVersion(purl: string, version: string): string {
  const cut = purl.search(/[?#]/);
  const head = cut < 0 ? purl : purl.slice(0, cut);
  return `${head}@${encodeURIComponent(version)}${cut < 0 ? '' : purl.slice(cut)}`;
}
