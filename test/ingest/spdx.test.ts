import { describe, expect, it } from 'vitest';
import { edgePairs, edges, expectBlastError, fixtureText, ids, jsonWith, prepare, prepareFixture } from './helpers.js';

const K8S = 'sbom/spdx/protobom-conformance/kubernetes_kubernetes_d61cbac69aae97db1839bd2e0e86d68f26b353a7.json';
const MAVEN = 'sbom/spdx/spdx-examples-example8/examplemaven-0.0.1.spdx.json';

function purlOf(p: any): string | undefined {
  return (p.externalRefs ?? []).find((r: any) => r.referenceType === 'purl')?.referenceLocator;
}

describe('SPDX', () => {
  it('kubernetes (GitHub dependency graph export): 424 versioned go packages; the version-less root drops its edges', () => {
    const doc = JSON.parse(fixtureText(K8S));
    const versioned = doc.packages.filter((p: any) => /@/.test(purlOf(p) ?? '') || (purlOf(p) && p.versionInfo));
    const { format, batch } = prepareFixture(K8S);
    expect(format).toBe('spdx');
    expect(versioned).toHaveLength(424);
    expect(new Set(ids(batch, 'PackageVersion').map(decodeURIComponent))).toEqual(new Set(versioned.map((p: any) => decodeURIComponent(purlOf(p)!))));
    // Every DEPENDS_ON of the file starts at the root, whose purl pkg:github/kubernetes/kubernetes has no version.
    expect(doc.relationships.filter((r: any) => r.relationshipType === 'DEPENDS_ON')).toHaveLength(424);
    expect(edges(batch, 'DEPENDS_ON')).toHaveLength(0);
    expect(batch.warnings!.join('\n')).toMatch(/describes has no version.*--service/);
    const withService = prepareFixture(K8S, { service: { id: 'svc:kubernetes/kubernetes' } }).batch;
    expect(edges(withService, 'DEPENDS_ON', 'svc:')).toHaveLength(424);
  });

  it('spdx-maven-plugin example: no package has a purl, so nothing but warnings', () => {
    const doc = JSON.parse(fixtureText(MAVEN));
    const { format, batch } = prepareFixture(MAVEN);
    expect(format).toBe('spdx');
    expect(doc.packages.filter((p: any) => purlOf(p))).toHaveLength(0);
    expect(batch.nodes).toHaveLength(0);
    const warnings = batch.warnings!.join('\n');
    expect(warnings).toMatch(new RegExp(`packages without a purl skipped \\(${doc.packages.length} times`));
    expect(warnings).toMatch(/GENERATES are not dependencies/);
  });

  it('maps dependency relationships in their documented direction and confidence', () => {
    const pkg = (id: string, purl: string, versionInfo?: string) => ({
      SPDXID: id,
      name: id,
      ...(versionInfo && { versionInfo }),
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }],
    });
    const doc = {
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      packages: [
        pkg('SPDXRef-app', 'pkg:pypi/app@1.0'),
        pkg('SPDXRef-lib', 'pkg:pypi/lib@2.0'),
        pkg('SPDXRef-dev', 'pkg:pypi/pytest@8.0'),
        pkg('SPDXRef-so', 'pkg:generic/libssl@3.0'),
        pkg('SPDXRef-nover', 'pkg:pypi/extra', '0.5'),
        { SPDXID: 'SPDXRef-bare', name: 'no purl' },
      ],
      relationships: [
        { spdxElementId: 'SPDXRef-lib', relationshipType: 'DEPENDENCY_OF', relatedSpdxElement: 'SPDXRef-app' },
        { spdxElementId: 'SPDXRef-dev', relationshipType: 'DEV_DEPENDENCY_OF', relatedSpdxElement: 'SPDXRef-app' },
        { spdxElementId: 'SPDXRef-app', relationshipType: 'DYNAMIC_LINK', relatedSpdxElement: 'SPDXRef-so' },
        { spdxElementId: 'SPDXRef-app', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-nover' },
        { spdxElementId: 'SPDXRef-app', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-bare' },
        { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-app' },
      ],
    };
    const { batch } = prepare('doc.spdx.json', JSON.stringify(doc));
    expect(ids(batch, 'PackageVersion')).toEqual(['pkg:pypi/app@1.0', 'pkg:pypi/lib@2.0', 'pkg:pypi/pytest@8.0', 'pkg:generic/libssl@3.0', 'pkg:pypi/extra@0.5']);
    const got = Object.fromEntries(edges(batch, 'DEPENDS_ON').map((e) => [`${e.from} -> ${e.to}`, e.confidence ?? 'confirmed']));
    expect(got).toEqual({
      'pkg:pypi/app@1.0 -> pkg:pypi/lib@2.0': 'confirmed',
      'pkg:pypi/app@1.0 -> pkg:pypi/pytest@8.0': 'possible',
      'pkg:pypi/app@1.0 -> pkg:generic/libssl@3.0': 'confirmed',
      'pkg:pypi/app@1.0 -> pkg:pypi/extra@0.5': 'confirmed',
    });
    expect(edgePairs(batch, 'DEPENDS_ON').size).toBe(4);
  });

  describe('bad input', () => {
    const name = 'k8s.spdx.json';
    it('truncated JSON, packages not an array, a relationship without ids', () => {
      expectBlastError(() => prepare(name, fixtureText(K8S).slice(0, 1234)), 'BAD_INPUT', { input: name, location: /^line \d+$/ });
      expectBlastError(() => prepare(name, jsonWith(K8S, (d) => (d.packages = 'all'))), 'BAD_INPUT', { location: '/packages' });
      expectBlastError(() => prepare(name, jsonWith(K8S, (d) => delete d.relationships[7].relatedSpdxElement)), 'BAD_INPUT', { location: '/relationships/7/relatedSpdxElement' });
      expectBlastError(() => prepare(name, jsonWith(K8S, (d) => (d.spdxVersion = 'SPDX-3.0'))), 'BAD_INPUT', { location: '/spdxVersion' });
    });

    it('duplicate SPDXID naming two different packages: BAD_INPUT naming both', () => {
      const text = jsonWith(K8S, (d) => (d.packages[9].SPDXID = d.packages[3].SPDXID));
      expectBlastError(() => prepare(name, text), 'BAD_INPUT', { location: '/packages/9/SPDXID', message: /first at \/packages\/3/ });
    });

    it('hostile purls and names, and secrets', () => {
      // Control characters inside a purl are percent-encoded into the id; inside a name they are refused.
      const encoded = prepare(name, jsonWith(K8S, (d) => (d.packages[2].externalRefs[0].referenceLocator = 'pkg:golang/x\u0000y@1\u001b')));
      expect(ids(encoded.batch, 'PackageVersion')).toContain('pkg:golang/x%00y@1');
      expectBlastError(() => prepare(name, jsonWith(K8S, (d) => (d.packages[2].name = 'a\u0007b'))), 'BAD_INPUT', { message: /control characters/ });
      expectBlastError(() => prepare(name, jsonWith(K8S, (d) => (d.packages[2].name = 'x'.repeat(5000)))), 'BAD_INPUT', { location: '/packages/2/externalRefs/0/referenceLocator', message: /longer than 1024/ });
      expectBlastError(() => prepare(name, jsonWith(K8S, (d) => (d.creationInfo.comment = 'AKIAABCDEFGHIJKLMNOP'))), 'SECRET_REFUSED', { location: '/creationInfo/comment' });
    });
  });
});
