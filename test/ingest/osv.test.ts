import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ruleOf } from '../../server/ingest/advisory-rules.js';
import { mergeNode } from '../../server/model/record.js';
import { edges, expectBlastError, fixturePath, fixtureText, ids, prepare, prepareFixture } from './helpers.js';

const FILES = [
  'osv/MAL-2026-2144.json',
  'osv/MAL-0000-google-open-source-security-6a89401cbf53902e.json',
  'osv/MAL-0000-google-open-source-security-9b9b18cdb5dd5488.json',
  'osv/MAL-0000-ossf-package-analysis-c1d5a2e721c5f8b3.json',
  'osv/MAL-0000-ghsa-malware-979ed75d242b491b.json',
  'osv/PYSEC-2026-2.yaml',
  'osv/GHSA-5mg7-485q-xm76.json',
  'osv/GHSA-69fq-xp46-6x23.json',
];

const PURL_TYPE: Record<string, string> = { PyPI: 'pypi', Go: 'golang', 'GitHub Actions': 'githubactions' };

/** Read without the parser: the advisory id the file should get and the versions it lists. */
function expected(rel: string) {
  const doc = rel.endsWith('.yaml') ? parseYaml(fixtureText(rel)) : JSON.parse(fixtureText(rel));
  const stem = rel.replace(/^osv\//, '').replace(/\.(json|yaml)$/, '');
  const versions = new Set<string>();
  for (const a of doc.affected ?? []) {
    const name: string = a.package.name;
    const slash = name.lastIndexOf('/');
    const path = slash < 0 ? name : `${name.slice(0, slash)}/${name.slice(slash + 1)}`;
    for (const v of a.versions ?? []) versions.add(`pkg:${PURL_TYPE[a.package.ecosystem]}/${path}@${v}`);
  }
  return { id: `osv:${doc.id || stem}`, versions, doc };
}

describe('OSV', () => {
  it.each(FILES)('%s: an Advisory that AFFECTS and marks every version it lists', (rel) => {
    const { format, batch } = prepareFixture(rel);
    const want = expected(rel);
    expect(format).toBe('osv');
    expect(ids(batch, 'Advisory')).toEqual([want.id]);
    expect(new Set(ids(batch, 'PackageVersion'))).toEqual(want.versions);
    expect(new Set(edges(batch, 'AFFECTS').map((e) => e.to))).toEqual(want.versions);
    for (const n of batch.nodes.filter((x) => x.kind === 'PackageVersion')) {
      // Every fixture is a malicious-code record (MAL-, OpenSSF origins, CWE-506, or "malware" in the summary).
      expect(n.props).toEqual({ compromised: true, advisories: [want.id] });
      expect(n.props).not.toHaveProperty('compromisedAt');
    }
    const adv = batch.nodes.find((n) => n.kind === 'Advisory')!;
    expect(adv.props!.malicious).toBe(true);
    expect(adv.props!.modifiedAt).toBe(new Date(want.doc.modified).toISOString().replace('.000Z', 'Z'));
    expect(adv.props!.references).toEqual((want.doc.references ?? []).map((r: any) => r.url));
    expect(adv.props!.aliases).toEqual(want.doc.aliases ?? []);
  });

  it('names an id-less OpenSSF record after its origin, the way OpenSSF names the file, with a warning', () => {
    const rel = 'osv/MAL-0000-ghsa-malware-979ed75d242b491b.json';
    expect(expected(rel).doc.id).toBe('');
    // Ingested under another file name, the id still comes from the content.
    const { batch } = prepare('advisory.json', fixtureText(rel));
    expect(ids(batch, 'Advisory')).toEqual(['osv:MAL-0000-ghsa-malware-979ed75d242b491b']);
    expect(batch.warnings!.join('\n')).toMatch(/id is empty; named MAL-0000-ghsa-malware-979ed75d242b491b/);
    const adv = batch.nodes.find((n) => n.kind === 'Advisory')!;
    expect(adv.props).toMatchObject({ aliases: ['GHSA-92x9-889m-jgmw'], origins: ['ghsa-malware'], cwes: ['CWE-506'], published: '2026-07-21T17:19:50Z' });
  });

  it('falls back to the file name, and refuses a record it cannot name', () => {
    const doc = { id: '', modified: '2026-03-24T11:15:14Z', summary: 'x', affected: [{ package: { ecosystem: 'npm', name: 'evil' }, versions: ['1.0.0'] }] };
    expect(ids(prepare('/tmp/MAL-2026-9.json', JSON.stringify(doc)).batch, 'Advisory')).toEqual(['osv:MAL-2026-9']);
    expectBlastError(() => prepare('graphql:ingest', JSON.stringify(doc)), 'BAD_INPUT', { input: 'graphql:ingest', location: '/id', message: /empty id/ });
  });

  it('the trivy advisory: Go version listed, GitHub Actions ranges kept for expansion', () => {
    const { batch } = prepareFixture('osv/GHSA-69fq-xp46-6x23.json');
    expect(ids(batch, 'PackageVersion')).toEqual(['pkg:golang/github.com/aquasecurity/trivy@0.69.4']);
    const adv = batch.nodes.find((n) => n.kind === 'Advisory')!;
    expect(adv.props).toMatchObject({ severity: 'CRITICAL', aliases: ['CVE-2026-33634'], published: '2026-03-24T17:53:12Z' });
    expect(adv.props!.affectedVersions).toEqual(['pkg:golang/github.com/aquasecurity/trivy@0.69.4']);
    expect(adv.props!.affectedRanges).toEqual([
      { package: 'pkg:githubactions/aquasecurity/trivy-action', ecosystem: 'GitHub Actions', type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.35.0' }] },
      { package: 'pkg:githubactions/aquasecurity/setup-trivy', ecosystem: 'GitHub Actions', type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.2.6' }] },
    ]);
    const rule = ruleOf(adv)!;
    expect(rule.malicious).toBe(true);
    expect([...rule.packages].sort()).toEqual(['pkg:githubactions/aquasecurity/setup-trivy', 'pkg:githubactions/aquasecurity/trivy-action', 'pkg:golang/github.com/aquasecurity/trivy']);
    // The packages it names are indexed, so versions ingested later are checked against it.
    expect(batch.nodes.filter((n) => n.kind === 'Package').map((n) => [n.id, n.props])).toEqual([
      ['pkg:golang/github.com/aquasecurity/trivy', { advisories: ['osv:GHSA-69fq-xp46-6x23'] }],
      ['pkg:githubactions/aquasecurity/trivy-action', { advisories: ['osv:GHSA-69fq-xp46-6x23'] }],
      ['pkg:githubactions/aquasecurity/setup-trivy', { advisories: ['osv:GHSA-69fq-xp46-6x23'] }],
    ]);
  });

  it('a later revision of a record updates the same node (same id, later modified)', () => {
    const rel = 'osv/MAL-2026-2144.json';
    const first = prepareFixture(rel).batch.nodes.find((n) => n.kind === 'Advisory')!;
    const doc = JSON.parse(fixtureText(rel));
    doc.modified = '2026-04-02T08:00:00Z';
    doc.summary = 'Malicious code in litellm (PyPI), revised';
    const later = prepare(fixturePath(rel), JSON.stringify(doc)).batch.nodes.find((n) => n.kind === 'Advisory')!;
    expect(later.id).toBe(first.id);
    const stored = mergeNode(mergeNode(undefined, first), later);
    expect(stored.props).toMatchObject({ modifiedAt: '2026-04-02T08:00:00Z', summary: 'Malicious code in litellm (PyPI), revised' });
    expect(stored.sources).toHaveLength(2);
  });

  it('a vulnerability (not malicious code) links versions without marking them compromised; a withdrawn record marks nothing', () => {
    const vuln = {
      id: 'GHSA-aaaa-bbbb-cccc',
      modified: '2026-01-01T00:00:00Z',
      summary: 'XSS',
      affected: [
        { package: { ecosystem: 'npm', name: '@scope/lib' }, versions: ['1.0.0'] },
        { package: { ecosystem: 'Debian:12', name: 'openssl' }, versions: ['3.0.0'] },
        { package: { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core' }, versions: ['2.14.1'] },
        { package: { ecosystem: 'crates.io', name: 'serde' }, ranges: [{ type: 'GIT', repo: 'x', events: [{ introduced: 'abc' }] }] },
      ],
    };
    const { batch } = prepare('vuln.json', JSON.stringify(vuln));
    expect(ids(batch, 'PackageVersion')).toEqual(['pkg:npm/%40scope/lib@1.0.0', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1']);
    expect(batch.nodes.find((n) => n.id === 'pkg:npm/%40scope/lib@1.0.0')!.props).toEqual({ advisories: ['osv:GHSA-aaaa-bbbb-cccc'] });
    expect(batch.warnings!.join('\n')).toMatch(/ecosystem Debian:12 .* skipped/);
    expect(batch.warnings!.join('\n')).toMatch(/GIT ranges/);

    const withdrawn = prepare('w.json', JSON.stringify({ ...vuln, withdrawn: '2026-02-01T00:00:00Z' })).batch;
    expect(ids(withdrawn, 'PackageVersion')).toEqual([]);
    expect(withdrawn.nodes.find((n) => n.kind === 'Advisory')!.props!.withdrawn).toBe('2026-02-01T00:00:00Z');
    expect(withdrawn.nodes.find((n) => n.kind === 'Advisory')!.props!.affectedVersions).toEqual([]);
  });

  describe('bad input', () => {
    const base = () => JSON.parse(fixtureText('osv/MAL-2026-2144.json'));
    const bad = (change: (d: any) => void) => {
      const d = base();
      change(d);
      return JSON.stringify(d, null, 1);
    };
    it('truncated JSON and YAML name the line', () => {
      expectBlastError(() => prepare('a.json', fixtureText('osv/MAL-2026-2144.json').slice(0, 900)), 'BAD_INPUT', { location: /^line \d+$/ });
      expectBlastError(() => prepare('a.yaml', fixtureText('osv/PYSEC-2026-2.yaml').replace('affected:\n', 'affected:\n  - [\n')), 'BAD_INPUT', { location: /^line \d+$/ });
    });
    it('wrong schema: BAD_INPUT with a pointer (or a line, for YAML)', () => {
      expectBlastError(() => prepare('a.json', bad((d) => (d.affected = 'litellm'))), 'BAD_INPUT', { location: '/affected' });
      expectBlastError(() => prepare('a.json', bad((d) => (d.affected[0].versions = [1.82]))), 'BAD_INPUT', { location: '/affected/0/versions/0' });
      expectBlastError(() => prepare('a.json', bad((d) => (d.affected[0].package = { name: 'x' }))), 'BAD_INPUT', { location: '/affected/0/package/ecosystem' });
      expectBlastError(() => prepare('a.json', bad((d) => (d.affected[0].ranges = [{ type: 'ECOSYSTEM', events: [{ introduced: '1', fixed: '2' }] }]))), 'BAD_INPUT', { location: '/affected/0/ranges/0/events/0' });
      expectBlastError(() => prepare('a.json', bad((d) => (d.modified = 'last tuesday'))), 'BAD_INPUT', { location: '/modified' });
      expectBlastError(() => prepare('a.json', bad((d) => (d.id = 'MAL 2026 2144'))), 'BAD_INPUT', { location: '/id' });
      const yaml = fixtureText('osv/PYSEC-2026-2.yaml');
      const line = yaml.split('\n').indexOf('    ecosystem: PyPI') + 1;
      expectBlastError(() => prepare('a.yaml', yaml.replace('    ecosystem: PyPI', '    ecosystem: [PyPI]')), 'BAD_INPUT', { location: `line ${line}` });
    });
    it('hostile strings: a huge alias, an id with control characters; prose is cut, not refused', () => {
      expectBlastError(() => prepare('a.json', bad((d) => (d.aliases = ['x'.repeat(10_000)]))), 'BAD_INPUT', { location: '/aliases/0' });
      expectBlastError(() => prepare('a.json', bad((d) => (d.id = 'MAL-\u0000'))), 'BAD_INPUT', { location: '/id' });
      const long = prepare('a.json', bad((d) => (d.details = `<script>${'x'.repeat(100_000)}`))).batch;
      expect(String(long.nodes.find((n) => n.kind === 'Advisory')!.props!.details)).toHaveLength(60_001);
    });
    it('versions that are no version (`!!!`) are refused, naming the input and the pointer', () => {
      expectBlastError(() => prepare('bang.json', bad((d) => (d.affected[0].versions = ['1.82.7', '!!!']))), 'BAD_INPUT', { input: 'bang.json', location: '/affected/0/versions/1', message: /"!!!" is not a version/ });
      expectBlastError(() => prepare('sp.json', bad((d) => (d.affected[0].versions = ['1.0 beta']))), 'BAD_INPUT', { location: '/affected/0/versions/0' });
      expectBlastError(
        () => prepare('ev.json', bad((d) => (d.affected[0].ranges = [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '???' }] }]))),
        'BAD_INPUT',
        { input: 'ev.json', location: '/affected/0/ranges/0/events/1/fixed' },
      );
    });
    it('a range whose fixed or last_affected comes before its introduced is warned about, naming the input and the range', () => {
      const mk = (events: object[], ecosystem = 'PyPI', name = 'litellm') =>
        JSON.stringify({ id: 'GHSA-xxxx-yyyy-zzzz', modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events }] }] });
      const inverted = prepare('inv.json', mk([{ introduced: '2.0' }, { fixed: '1.5' }])).batch.warnings!.join('\n');
      expect(inverted).toMatch(/^inv\.json \/affected\/0\/ranges\/0\/events\/1: fixed 1\.5 is before introduced 2\.0: this range matches no version$/m);
      const last = prepare('last.json', mk([{ introduced: 'v3' }, { last_affected: 'v2.9' }], 'GitHub Actions', 'o/r')).batch.warnings!.join('\n');
      expect(last).toMatch(/last\.json .*: last_affected v2\.9 is before introduced v3/);
      // Two ranges in one list, each well ordered: no warning.
      const fine = prepare('ok.json', mk([{ introduced: '1.0' }, { fixed: '1.2' }, { introduced: '2.0' }, { fixed: '2.1' }])).batch.warnings!.join('\n');
      expect(fine).not.toMatch(/matches no version/);
      const unordered = prepare('uo.json', mk([{ introduced: '0' }, { fixed: 'not-a-pep440-version' }])).batch.warnings!.join('\n');
      expect(unordered).toMatch(/uo\.json .*events\/1\/fixed: fixed "not-a-pep440-version" is not a PyPI ECOSYSTEM version; this range is not evaluated/);
    });
    it('a secret in a record: SECRET_REFUSED at its pointer', () => {
      expectBlastError(() => prepare('a.json', bad((d) => (d.details = 'exfiltrated with sk-proj-abcdefghijklmnopqrstuvwxyz012345'))), 'SECRET_REFUSED', { location: '/details' });
    });
  });
});
