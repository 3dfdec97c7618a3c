import { describe, expect, it } from 'vitest';
import { edgePairs, edges, expectBlastError, fixtureText, ids, jsonWith, prepare, prepareFixture } from './helpers.js';

const FIXTURES = [
  'sbom/cyclonedx/bom-examples-juice-shop-via_npm-flat/bom.1.4.json',
  'sbom/cyclonedx/bom-examples-laravel-7.12.0/bom.1.4.json',
  'sbom/cyclonedx/youtube-to-docs/sbom.cdx.json',
  'sbom/cyclonedx/cyclonedx-python-snapshot/plain_regression-issue702_lock21_1.6.json',
];

/** Figures computed straight from the JSON, without the parser: purls minus qualifiers and subpath. */
function expected(rel: string) {
  const doc = JSON.parse(fixtureText(rel));
  const byRef = new Map<string, string>();
  const purls = new Set<string>();
  let withoutPurl = 0;
  const walk = (c: any) => {
    const purl = typeof c.purl === 'string' ? c.purl.split(/[?#]/)[0] : undefined;
    if (purl && /@/.test(purl)) {
      purls.add(purl);
      byRef.set(c['bom-ref'], purl);
    } else withoutPurl++;
    for (const n of c.components ?? []) walk(n);
  };
  if (doc.metadata?.component) walk(doc.metadata.component);
  for (const c of doc.components ?? []) walk(c);
  const pairs = new Set<string>();
  for (const d of doc.dependencies ?? []) {
    for (const t of d.dependsOn ?? []) {
      const a = byRef.get(d.ref);
      const b = byRef.get(t);
      if (a && b && a !== b) pairs.add(`${a} -> ${b}`);
    }
  }
  return { purls, pairs, withoutPurl, components: (doc.components ?? []).length };
}

describe('CycloneDX', () => {
  it.each(FIXTURES)('%s: one PackageVersion per distinct purl, one DEPENDS_ON per dependency pair', (rel) => {
    const { format, batch } = prepareFixture(rel);
    const want = expected(rel);
    expect(format).toBe('cyclonedx');
    expect(new Set(ids(batch, 'PackageVersion'))).toEqual(want.purls);
    expect(edgePairs(batch, 'DEPENDS_ON')).toEqual(want.pairs);
    expect(batch.edges.every((e) => e.kind === 'DEPENDS_ON' && e.sources[0]!.pointer!.startsWith('/dependencies/'))).toBe(true);
  });

  it('reads the published figures of the juice-shop BOM (1115 components; 979 distinct purls once subpaths are dropped)', () => {
    const rel = FIXTURES[0]!;
    expect(expected(rel).components).toBe(1115);
    const { batch } = prepareFixture(rel);
    expect(ids(batch, 'PackageVersion')).toHaveLength(979);
    expect(batch.nodes.find((n) => n.id === 'pkg:npm/%40babel/helper-string-parser@7.19.4')?.name).toBe('@babel/helper-string-parser@7.19.4');
    // metadata.component is the root, its qualifiers dropped from the id.
    expect(ids(batch, 'PackageVersion')).toContain('pkg:npm/juice-shop@14.1.1');
  });

  it('names components with their group, and warns once about a root without purl', () => {
    const laravel = prepareFixture(FIXTURES[1]!).batch;
    expect(laravel.nodes.find((n) => n.id === 'pkg:composer/asm89/stack-cors@1.3.0')?.name).toBe('asm89/stack-cors@1.3.0');
    const python = prepareFixture(FIXTURES[3]!).batch;
    expect(python.warnings!.join('\n')).toMatch(/own component has no purl/);
  });

  it('attaches every PackageVersion to the --service with its window', () => {
    const rel = FIXTURES[2]!;
    const service = { id: 'svc:acme/docs-bot', since: '2026-03-01T00:00:00Z', until: '2026-03-30T12:00:00+00:00' };
    const { batch } = prepareFixture(rel, { service });
    const attached = edges(batch, 'DEPENDS_ON', 'svc:');
    expect(attached).toHaveLength(expected(rel).purls.size);
    expect(attached.every((e) => e.from === 'svc:acme/docs-bot' && e.since === '2026-03-01T00:00:00Z' && e.until === '2026-03-30T12:00:00Z')).toBe(true);
    expect(batch.nodes.find((n) => n.id === 'svc:acme/docs-bot')?.kind).toBe('Service');
  });

  it('reads nested components and skips components without purl with one warning', () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        { 'bom-ref': 'a', name: 'a', version: '1.0.0', purl: 'pkg:npm/a@1.0.0', components: [{ 'bom-ref': 'b', name: 'b', version: '2.0.0', purl: 'pkg:npm/b@2.0.0', components: [{ 'bom-ref': 'c', name: 'c', version: '3' }] }] },
        { 'bom-ref': 'd', name: 'd' },
      ],
      dependencies: [{ ref: 'a', dependsOn: ['b', 'c'] }, { ref: 'zzz', dependsOn: ['a'] }],
    };
    const { batch } = prepare('nested.cdx.json', JSON.stringify(bom));
    expect(ids(batch, 'PackageVersion')).toEqual(['pkg:npm/a@1.0.0', 'pkg:npm/b@2.0.0']);
    expect([...edgePairs(batch, 'DEPENDS_ON')]).toEqual(['pkg:npm/a@1.0.0 -> pkg:npm/b@2.0.0']);
    expect(batch.warnings!.join('\n')).toMatch(/components without a purl skipped \(2 times, first at \/components\/0\/components\/0\/components\/0\)/);
    expect(batch.warnings!.join('\n')).toMatch(/name no component/);
  });

  it('keeps hostile text as data: <script> stays a name, and is percent-encoded in the id', () => {
    const bom = { bomFormat: 'CycloneDX', specVersion: '1.5', components: [{ 'bom-ref': 'x', name: '<script>alert(1)</script>', version: '1', purl: 'pkg:npm/%3Cscript%3E@1' }] };
    const { batch } = prepare('hostile.json', JSON.stringify(bom));
    expect(batch.nodes[0]!.id).toBe('pkg:npm/%3Cscript%3E@1');
    expect(batch.nodes[0]!.name).toBe('<script>alert(1)</script>@1');
  });

  describe('bad input', () => {
    const rel = FIXTURES[1]!;
    const name = 'bom.json';

    it('truncated JSON: BAD_INPUT with the line', () => {
      const text = fixtureText(rel);
      expectBlastError(() => prepare(name, text.slice(0, 5000)), 'BAD_INPUT', { input: name, location: /^line \d+$/, message: /invalid JSON/ });
    });

    it('components not an array: BAD_INPUT at /components', () => {
      const text = jsonWith(rel, (d) => (d.components = { a: 1 }));
      expectBlastError(() => prepare(name, text), 'BAD_INPUT', { input: name, location: '/components' });
    });

    it('a component that is not an object, a non-string purl, dependsOn not an array', () => {
      expectBlastError(() => prepare(name, jsonWith(rel, (d) => (d.components[3] = 'x'))), 'BAD_INPUT', { location: '/components/3' });
      expectBlastError(() => prepare(name, jsonWith(rel, (d) => (d.components[2].purl = 42))), 'BAD_INPUT', { location: '/components/2/purl' });
      expectBlastError(() => prepare(name, jsonWith(rel, (d) => (d.dependencies[0].dependsOn = 'a'))), 'BAD_INPUT', { location: '/dependencies/0/dependsOn' });
    });

    it('duplicate bom-ref: BAD_INPUT naming the second one and the first', () => {
      const text = jsonWith(rel, (d) => (d.components[5]['bom-ref'] = d.components[1]['bom-ref']));
      expectBlastError(() => prepare(name, text), 'BAD_INPUT', { location: '/components/5/bom-ref', message: /duplicate bom-ref .*first at \/components\/1/ });
    });

    it('an invalid or very long purl, a name with control characters', () => {
      expectBlastError(() => prepare(name, jsonWith(rel, (d) => (d.components[0].purl = 'pkg:/@@'))), 'BAD_INPUT', { location: '/components/0/purl' });
      expectBlastError(() => prepare(name, jsonWith(rel, (d) => (d.components[0].purl = 'not a purl'))), 'BAD_INPUT', { location: '/components/0/purl' });
      expectBlastError(() => prepare(name, jsonWith(rel, (d) => (d.components[0].purl = `pkg:npm/${'a'.repeat(100_000)}@1`))), 'BAD_INPUT', { location: '/components/0/purl' });
      expectBlastError(() => prepare(name, jsonWith(rel, (d) => (d.components[0].name = 'evil\u001b[2Jname'))), 'BAD_INPUT', { location: '/components/0/purl', message: /control characters/ });
    });

    it('an unsupported specVersion, nesting deeper than 64', () => {
      expectBlastError(() => prepare(name, jsonWith(rel, (d) => (d.specVersion = '2.0'))), 'BAD_INPUT', { location: '/specVersion' });
      let c: any = { name: 'leaf' };
      for (let i = 0; i < 100; i++) c = { name: `n${i}`, components: [c] };
      expectBlastError(() => prepare(name, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [c] })), 'BAD_INPUT', { message: /nested more than 64/ });
    });

    it('a secret value anywhere: SECRET_REFUSED with its pointer', () => {
      const text = jsonWith(rel, (d) => (d.components[4].description = 'token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'));
      expectBlastError(() => prepare(name, text), 'SECRET_REFUSED', { input: name, location: '/components/4/description' });
      const url = jsonWith(rel, (d) => (d.components[1].externalReferences = [{ type: 'distribution', url: 'https://bot:hunter2@registry.example.com/x.tgz' }]));
      expectBlastError(() => prepare(name, url), 'SECRET_REFUSED', { location: '/components/1/externalReferences/0/url' });
    });

    it('a bad --service option: BAD_INPUT', () => {
      const text = fixtureText(rel);
      expectBlastError(() => prepare(name, text, { service: { id: 'cred:acme/x' } }), 'BAD_INPUT', { input: name, message: /Service/ });
      expectBlastError(() => prepare(name, text, { service: { id: 'svc:acme/x', since: 'yesterday' } }), 'BAD_INPUT', { message: /since/ });
    });
  });
});
