/**
 * What syft, `npm sbom` and current CycloneDX writers actually emit (issue 14, items 3–6, 8, 9), with
 * data written for these tests in the shapes those tools produce.
 */
import { describe, expect, it } from 'vitest';
import type { GraphBatch } from '../../server/model/types.js';
import { edges, ids, prepare } from './helpers.js';

function cdx(specVersion: string, components: object[], dependencies?: object[]) {
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion, version: 1, metadata: { component: { 'bom-ref': 'root', type: 'application', name: 'app' } }, components, ...(dependencies && { dependencies }) });
}

function spdx(packages: object[], relationships: object[]) {
  return JSON.stringify({ spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', SPDXID: 'SPDXRef-DOCUMENT', name: 'app', documentNamespace: 'http://spdx.org/spdxdocs/app-1', packages, relationships });
}

function npmPkg(name: string, version: string, path: string) {
  return {
    name,
    SPDXID: `SPDXRef-Package-${name}-${version}`,
    versionInfo: version,
    packageFileName: path,
    downloadLocation: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:npm/${name}@${version}` }],
  };
}

const dependsOn = (batch: GraphBatch) => edges(batch, 'DEPENDS_ON').map((e) => `${e.from} -> ${e.to} ${e.confidence ?? 'confirmed'}`).sort();

describe('real-world SBOM shapes', () => {
  it('syft writes workflow actions as pkg:github/OWNER/REPO@REF: read as the pkg:githubactions id workflows and advisories use', () => {
    const bom = cdx('1.6', [
      { 'bom-ref': 'a', type: 'library', name: 'actions/checkout', version: 'v4', purl: 'pkg:github/actions/checkout@v4' },
      { 'bom-ref': 'b', type: 'library', name: 'Aquasecurity/Trivy-Action', version: '0.33.1', purl: 'pkg:github/Aquasecurity/Trivy-Action@0.33.1' },
      { 'bom-ref': 'c', type: 'library', name: 'actions/cache/save', version: 'v4', purl: 'pkg:github/actions/cache@v4#save' },
    ]);
    const { batch } = prepare('syft.cdx.json', bom);
    expect(ids(batch, 'PackageVersion')).toEqual([
      'pkg:githubactions/actions/checkout@v4',
      'pkg:githubactions/aquasecurity/trivy-action@0.33.1',
      'pkg:githubactions/actions/cache@v4',
    ]);
    expect(batch.warnings!.join('\n')).toMatch(/pkg:github\/OWNER\/REPO purls .* read as pkg:githubactions\/owner\/repo \(3 times/);
    // The workflow parser gives the same ids for the same uses.
    const wf = prepare('wf.yml', 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: Aquasecurity/Trivy-Action@0.33.1\n', { repo: 'acme/app' });
    expect(ids(wf.batch, 'PackageVersion')).toEqual(ids(batch, 'PackageVersion').slice(0, 2));
    // SPDX from syft, too.
    const s = spdx([{ name: 'actions/checkout', SPDXID: 'SPDXRef-a', versionInfo: 'v4', externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:github/actions/checkout@v4' }] }], []);
    expect(ids(prepare('syft.spdx.json', s).batch, 'PackageVersion')).toEqual(['pkg:githubactions/actions/checkout@v4']);
  });

  it('CycloneDX 1.7 (current syft) is read like 1.6', () => {
    const comps = [
      { 'bom-ref': 'x', type: 'library', name: 'requests', version: '2.32.3', purl: 'pkg:pypi/requests@2.32.3' },
      { 'bom-ref': 'y', type: 'library', name: 'urllib3', version: '2.2.2', purl: 'pkg:pypi/urllib3@2.2.2' },
    ];
    const deps = [{ ref: 'x', dependsOn: ['y'] }];
    const v17 = prepare('syft-1.46.cdx.json', cdx('1.7', comps, deps)).batch;
    const v16 = prepare('syft-1.46.cdx.json', cdx('1.6', comps, deps)).batch;
    expect(dependsOn(v17)).toEqual(['pkg:pypi/requests@2.32.3 -> pkg:pypi/urllib3@2.2.2 confirmed']);
    expect(v17.nodes.map((n) => [n.id, n.name, n.props])).toEqual(v16.nodes.map((n) => [n.id, n.name, n.props]));
    expect(v17.warnings).toEqual(v16.warnings);
    expect(v17.warnings!.join('\n')).not.toMatch(/specVersion/);
  });

  it('npm sbom: one package at several paths under one SPDXID is one version; peers (PREREQUISITE_FOR) taint as the package-lock says', () => {
    const doc = spdx(
      [
        { ...npmPkg('app', '1.0.0', ''), SPDXID: 'SPDXRef-Package-app-1.0.0' },
        npmPkg('react', '18.3.1', 'node_modules/react'),
        npmPkg('react-dom', '18.3.1', 'node_modules/react-dom'),
        npmPkg('loose-envify', '1.4.0', 'node_modules/loose-envify'),
        npmPkg('loose-envify', '1.4.0', 'node_modules/react-dom/node_modules/loose-envify'),
      ],
      [
        { spdxElementId: 'SPDXRef-DOCUMENT', relatedSpdxElement: 'SPDXRef-Package-app-1.0.0', relationshipType: 'DESCRIBES' },
        { spdxElementId: 'SPDXRef-Package-app-1.0.0', relatedSpdxElement: 'SPDXRef-Package-react-18.3.1', relationshipType: 'DEPENDS_ON' },
        { spdxElementId: 'SPDXRef-Package-app-1.0.0', relatedSpdxElement: 'SPDXRef-Package-react-dom-18.3.1', relationshipType: 'DEPENDS_ON' },
        { spdxElementId: 'SPDXRef-Package-react-18.3.1', relatedSpdxElement: 'SPDXRef-Package-loose-envify-1.4.0', relationshipType: 'DEPENDS_ON' },
        { spdxElementId: 'SPDXRef-Package-react-dom-18.3.1', relatedSpdxElement: 'SPDXRef-Package-loose-envify-1.4.0', relationshipType: 'DEPENDS_ON' },
        { spdxElementId: 'SPDXRef-Package-react-18.3.1', relatedSpdxElement: 'SPDXRef-Package-react-dom-18.3.1', relationshipType: 'PREREQUISITE_FOR' },
      ],
    );
    const fromSbom = prepare('npm-sbom.spdx.json', doc).batch;
    expect(ids(fromSbom, 'PackageVersion').sort()).toEqual(['pkg:npm/app@1.0.0', 'pkg:npm/loose-envify@1.4.0', 'pkg:npm/react-dom@18.3.1', 'pkg:npm/react@18.3.1']);
    expect(fromSbom.warnings!.join('\n')).toMatch(/repeated under one SPDXID .* read as one \(at \/packages\/4\)/);

    const lock = JSON.stringify({
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', version: '1.0.0', dependencies: { react: '^18.3.1', 'react-dom': '^18.3.1' } },
        'node_modules/react': { version: '18.3.1', dependencies: { 'loose-envify': '^1.1.0' } },
        'node_modules/react-dom': { version: '18.3.1', dependencies: { 'loose-envify': '^1.1.0' }, peerDependencies: { react: '^18.3.1' } },
        'node_modules/loose-envify': { version: '1.4.0' },
        'node_modules/react-dom/node_modules/loose-envify': { version: '1.4.0' },
      },
    });
    const fromLock = prepare('package-lock.json', lock).batch;
    expect(dependsOn(fromSbom)).toEqual(dependsOn(fromLock));
    expect(dependsOn(fromSbom)).toContain('pkg:npm/react-dom@18.3.1 -> pkg:npm/react@18.3.1 likely');
  });

  it('two different packages under one SPDXID are still refused', () => {
    const doc = spdx([npmPkg('a', '1.0.0', 'node_modules/a'), { ...npmPkg('b', '1.0.0', 'node_modules/b'), SPDXID: 'SPDXRef-Package-a-1.0.0' }], []);
    expect(() => prepare('x.spdx.json', doc)).toThrow(/names another package/);
  });

  it('SPDX packages without a version (versionInfo UNKNOWN, versionless or @UNKNOWN purl) are skipped with a warning, as CycloneDX does', () => {
    const doc = spdx(
      [
        { name: 'left-pad', SPDXID: 'SPDXRef-1', versionInfo: 'UNKNOWN', externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:npm/left-pad' }] },
        { name: 'right-pad', SPDXID: 'SPDXRef-2', versionInfo: 'unknown', externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:npm/right-pad@UNKNOWN' }] },
        { name: 'up-pad', SPDXID: 'SPDXRef-3', versionInfo: '1.0.0', externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:npm/up-pad' }] },
      ],
      [{ spdxElementId: 'SPDXRef-3', relatedSpdxElement: 'SPDXRef-1', relationshipType: 'DEPENDS_ON' }],
    );
    const { batch } = prepare('syft.spdx.json', doc);
    expect(ids(batch, 'PackageVersion')).toEqual(['pkg:npm/up-pad@1.0.0']);
    expect(batch.nodes.some((n) => /unknown/i.test(n.id))).toBe(false);
    const warnings = batch.warnings!.join('\n');
    expect(warnings).toMatch(/packages with neither a purl version nor a versionInfo skipped \(2 times/);
    expect(warnings).toMatch(/dependency relationships touching a skipped package dropped \(at \/relationships\/0\)/);
    const bom = prepare('x.cdx.json', cdx('1.6', [{ 'bom-ref': 'u', type: 'library', name: 'right-pad', purl: 'pkg:npm/right-pad@UNKNOWN' }])).batch;
    expect(ids(bom, 'PackageVersion')).toEqual([]);
    expect(bom.warnings!.join('\n')).toMatch(/components whose purl has no version skipped/);
  });

  it('--service: each DEPENDS_ON edge cites the entries that pin the version, not the whole file', () => {
    const lock = 'requests==2.32.3\nurllib3==2.2.2\n';
    const { batch } = prepare('requirements.txt', lock, { service: { id: 'svc:acme/api' } });
    const attach = edges(batch, 'DEPENDS_ON').filter((e) => e.from === 'svc:acme/api');
    expect(attach.map((e) => [e.to, e.sources.map((s) => s.pointer)])).toEqual([
      ['pkg:pypi/requests@2.32.3', [batch.nodes.find((n) => n.id === 'pkg:pypi/requests@2.32.3')!.sources[0]!.pointer]],
      ['pkg:pypi/urllib3@2.2.2', [batch.nodes.find((n) => n.id === 'pkg:pypi/urllib3@2.2.2')!.sources[0]!.pointer]],
    ]);
    for (const e of attach) expect(e.sources[0]!.pointer).not.toBe('/');
    const bom = prepare('x.cdx.json', cdx('1.6', [{ 'bom-ref': 'x', type: 'library', name: 'requests', purl: 'pkg:pypi/requests@2.32.3' }]), { service: { id: 'svc:acme/api' } }).batch;
    expect(edges(bom, 'DEPENDS_ON')[0]!.sources.map((s) => s.pointer)).toEqual(['/components/0/purl']);
  });

  it('warnings say what happened: no "dropped edges" for entries without edges; self-loops are reported', () => {
    // syft lists every component in `dependencies`, most without dependsOn; some have no purl.
    const comps = Array.from({ length: 5 }, (_, i) => ({ 'bom-ref': `f${i}`, type: 'file', name: `/usr/lib/f${i}` }));
    const bom = cdx('1.6', [...comps, { 'bom-ref': 'p', type: 'library', name: 'p', purl: 'pkg:pypi/p@1.0' }], [...comps.map((c) => ({ ref: c['bom-ref'] })), { ref: 'p', dependsOn: ['p'] }]);
    const { batch } = prepare('syft.cdx.json', bom);
    const warnings = batch.warnings!.join('\n');
    expect(warnings).not.toMatch(/dependency edges to or from a skipped component dropped/);
    expect(warnings).toMatch(/components without a purl skipped \(5 times/);
    expect(warnings).toMatch(/DEPENDS_ON edges from a node to itself dropped \(at \/dependencies\/5\/dependsOn\/0\)/);
    // An entry that does name a skipped component is still counted, once per edge.
    const real = prepare('syft.cdx.json', cdx('1.6', [...comps.slice(0, 1), { 'bom-ref': 'p', type: 'library', name: 'p', purl: 'pkg:pypi/p@1.0' }], [{ ref: 'p', dependsOn: ['f0'] }])).batch;
    expect(real.warnings!.join('\n')).toMatch(/dependency edges to or from a skipped component dropped \(at \/dependencies\/0\/dependsOn\/0\)/);
  });
});
