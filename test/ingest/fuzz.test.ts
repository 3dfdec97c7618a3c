/**
 * Whatever the bytes, ingestion either returns a batch every store accepts or throws a BlastError:
 * never a TypeError, a RangeError or a hang. Random text and bytes, real fixtures cut or spliced at
 * random places, and random documents shaped like each format fed to its parser directly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify as toToml } from 'smol-toml';
import { Document as YamlDocument } from 'yaml';
import type { IngestContext, InputFormat } from '../../server/ingest/format.js';
import { FORMATS } from '../../server/ingest/formats.js';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import { versionsInRanges } from '../../server/ingest/osv-ranges.js';
import { judge, ruleOf } from '../../server/ingest/advisory-rules.js';
import { parseInput } from '../../server/ingest/parsed-input.js';
import { BlastError } from '../../server/model/errors.js';
import { completeBatch } from '../../server/model/record.js';
import type { GraphBatch } from '../../server/model/types.js';
import { INGESTED_AT, fixtureText } from './helpers.js';

const CTX: IngestContext = { input: 'fuzz', sha256: 'f'.repeat(64), ingestedAt: INGESTED_AT, options: {} };

/** Runs `fn`; a BlastError is an accepted outcome, any other throw fails the property. */
function onlyBlastErrors(fn: () => GraphBatch | undefined): boolean {
  try {
    const batch = fn();
    if (batch) completeBatch(batch);
    return true;
  } catch (err) {
    if (err instanceof BlastError) return true;
    throw err;
  }
}

const ingest = (name: string, content: string | Uint8Array, options: IngestContext['options'] = {}) =>
  onlyBlastErrors(() => prepareInput(name, typeof content === 'string' ? content : Buffer.from(content), { ingestedAt: INGESTED_AT, options }).batch);

const format = (name: string): InputFormat => FORMATS.find((f) => f.name === name)!;

const HOSTILE = [
  '',
  ' ',
  '<script>alert(1)</script>',
  'x'.repeat(600),
  '\u0000',
  '\u001b[2J',
  '\ud800',
  'pkg:',
  'pkg:npm/a@1.0.0',
  'pkg:npm/%40s/x@1#sub',
  'pkg:pypi/Foo_Bar@2.0',
  'pkg:pypi/litellm',
  'pkg:golang/github.com/a/b@v1.2.3',
  '__proto__',
  'constructor',
  '0',
  '1.0.0',
  'v1',
  '1.82.7',
  '${{ secrets.X }}',
  'https://u:p@h/x',
  'AKIAABCDEFGHIJKLMNOP',
  'a/b@v1',
  './x',
  'docker://x',
  'node_modules/a',
  'SPDXRef-a',
];
const hostile = fc.constantFrom(...HOSTILE);
const text = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: hostile });
const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const KEYS = [
  'bomFormat', 'specVersion', 'components', 'bom-ref', 'purl', 'name', 'group', 'version', 'dependencies', 'ref', 'dependsOn', 'metadata', 'component',
  'spdxVersion', 'packages', 'SPDXID', 'externalRefs', 'referenceType', 'referenceLocator', 'versionInfo', 'relationships', 'relationshipType',
  'spdxElementId', 'relatedSpdxElement', 'documentDescribes', 'id', 'modified', 'published', 'withdrawn', 'aliases', 'affected', 'package',
  'ecosystem', 'versions', 'ranges', 'type', 'events', 'introduced', 'fixed', 'last_affected', 'limit', 'database_specific', 'severity', 'score',
  'references', 'url', 'summary', 'details', 'lockfileVersion', 'link', 'resolved', 'dev', 'optional', 'optionalDependencies', 'on', 'jobs',
  'steps', 'uses', 'secrets', 'env', 'with', 'if', 'permissions', 'password', 'token', 'value', '__proto__',
];
const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 4 }));
/** Any JSON value, with the formats' own keys and hostile strings over-represented. */
const tree: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
})).node;
/** A value that is usually of the right shape and sometimes anything at all. */
const mostly = <T,>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: tree });
const purl = fc.oneof(
  hostile,
  fc.tuple(fc.constantFrom('npm', 'pypi', 'golang', 'maven', 'githubactions', 'x'), fc.string({ maxLength: 8 }), fc.string({ maxLength: 6 })).map(([t, n, v]) => `pkg:${t}/${n}@${v}`),
);
const version = fc.oneof(fc.constantFrom('0', '1.0.0', '1.82.7', '1.82.8', 'v0.33.1', '2.0rc1', '1.0.0-beta.1', '0.35.0'), fc.string({ maxLength: 8 }));
const opt = (r: Record<string, fc.Arbitrary<unknown>>) => fc.record(r, { requiredKeys: [] });

const RUNS = { numRuns: 150 };

describe('fuzz: only BlastErrors escape', () => {
  it('random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => ingest('fuzz', s)), RUNS);
  });

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => ingest('fuzz', b)), RUNS);
  });

  it('random JSON and YAML documents, with and without the options', () => {
    const options = fc.option(opt({ service: fc.record({ id: mostly(fc.constantFrom('svc:a/b', 'svc:', 'x')), since: mostly(fc.constantFrom('2026-01-01T00:00:00Z', 'now')) }), repo: mostly(fc.constantFrom('a/b', 'a b')) }), { nil: undefined });
    fc.assert(
      fc.property(tree, fc.boolean(), options, (doc, asJson, o) => {
        const content = asJson ? JSON.stringify(doc) ?? 'null' : new YamlDocument(doc).toString();
        return ingest('fuzz', content, (o ?? {}) as IngestContext['options']);
      }),
      RUNS,
    );
  });

  const SMALL = [
    'osv/MAL-2026-2144.json',
    'osv/PYSEC-2026-2.yaml',
    'osv/GHSA-69fq-xp46-6x23.json',
    'workflows/BerriAI-litellm/simple_pypi_publish.yml',
    'lockfiles/NVlabs-ToolOrchestra/requirements.txt',
    'lockfiles/Aider-AI-aider/requirements.txt',
    'sbom/spdx/spdx-examples-example8/examplemaven-0.0.1.spdx.json',
    'sbom/cyclonedx/bom-examples-laravel-7.12.0/bom.1.4.json',
  ];
  const LARGE = [
    'sbom/cyclonedx/bom-examples-juice-shop-via_npm-flat/bom.1.4.json',
    'sbom/cyclonedx/youtube-to-docs/sbom.cdx.json',
    'sbom/cyclonedx/cyclonedx-python-snapshot/plain_regression-issue702_lock21_1.6.json',
    'sbom/spdx/protobom-conformance/kubernetes_kubernetes_d61cbac69aae97db1839bd2e0e86d68f26b353a7.json',
    'lockfiles/stanfordnlp-dspy/uv.lock',
    'lockfiles/Skyvern-AI-skyvern/poetry.lock',
  ];

  it.each(SMALL)('%s cut, spliced and overwritten at random places', (rel) => {
    const original = fixtureText(rel);
    const at = fc.nat({ max: original.length });
    fc.assert(
      fc.property(at, fc.oneof(text, fc.string({ unit: 'binary', maxLength: 20 })), at, fc.nat({ max: 2 }), (i, insert, j, mode) => {
        const mutated = mode === 0 ? original.slice(0, i) : mode === 1 ? original.slice(0, i) + insert + original.slice(i) : original.slice(0, Math.min(i, j)) + insert + original.slice(Math.max(i, j));
        return ingest(rel.split('/').pop()!, mutated, { repo: 'acme/app' });
      }),
      { numRuns: 60 },
    );
  });

  it.each(LARGE)('%s cut at random places', (rel) => {
    const original = fixtureText(rel);
    fc.assert(
      fc.property(fc.nat({ max: original.length }), fc.boolean(), (i, atLine) => {
        const cut = atLine ? original.lastIndexOf('\n', i) + 1 : i;
        return ingest(rel.split('/').pop()!, original.slice(0, cut));
      }),
      { numRuns: 6 },
    );
  });

  describe('each parser, fed documents shaped like its format', () => {
    const direct = (name: string, content: string) =>
      onlyBlastErrors(() => {
        let parsed;
        try {
          parsed = parseInput('fuzz', content);
        } catch (err) {
          if (err instanceof BlastError) return undefined;
          throw err;
        }
        return format(name).parse(parsed, CTX);
      });

    const component: fc.Arbitrary<unknown> = fc.letrec<{ c: unknown }>((tie) => ({
      c: mostly(opt({ 'bom-ref': mostly(fc.constantFrom('a', 'b', 'c', 'd')), purl: mostly(purl), name: mostly(text), group: mostly(text), version: mostly(version), components: fc.oneof({ depthSize: 'small' }, fc.constant([]), fc.array(tie('c'), { maxLength: 3 })) })),
    })).c;

    it('cyclonedx', () => {
      const bom = fc.record({
        bomFormat: fc.constant('CycloneDX'),
        specVersion: mostly(fc.constantFrom('1.4', '1.5', '1.6', '1.3', '9')),
        metadata: fc.option(opt({ component }), { nil: undefined }),
        components: mostly(fc.array(component, { maxLength: 6 })),
        dependencies: mostly(fc.array(mostly(opt({ ref: mostly(fc.constantFrom('a', 'b', 'c', 'd', 'z')), dependsOn: mostly(fc.array(mostly(fc.constantFrom('a', 'b', 'c', 'd', 'z')), { maxLength: 4 })) })), { maxLength: 6 })),
      });
      fc.assert(fc.property(bom, (d) => direct('cyclonedx', JSON.stringify(d))), RUNS);
    });

    it('spdx', () => {
      const sid = fc.constantFrom('SPDXRef-a', 'SPDXRef-b', 'SPDXRef-c', 'SPDXRef-DOCUMENT', 'NOASSERTION');
      const pkg = mostly(opt({ SPDXID: mostly(sid), name: mostly(text), versionInfo: mostly(version), externalRefs: mostly(fc.array(mostly(opt({ referenceType: mostly(fc.constantFrom('purl', 'cpe23Type')), referenceLocator: mostly(purl) })), { maxLength: 2 })) }));
      const rel = mostly(opt({ spdxElementId: mostly(sid), relatedSpdxElement: mostly(sid), relationshipType: mostly(fc.constantFrom('DEPENDS_ON', 'DEPENDENCY_OF', 'DEV_DEPENDENCY_OF', 'CONTAINS', 'DESCRIBES', 'X')) }));
      const doc = fc.record({ spdxVersion: mostly(fc.constantFrom('SPDX-2.3', 'SPDX-2.2', 'SPDX-3.0')), documentDescribes: mostly(fc.array(sid)), packages: mostly(fc.array(pkg, { maxLength: 5 })), relationships: mostly(fc.array(rel, { maxLength: 6 })) });
      fc.assert(fc.property(doc, (d) => direct('spdx', JSON.stringify(d))), RUNS);
    });

    it('osv, and the range expansion of what it yields', async () => {
      const event = mostly(fc.oneof(fc.record({ introduced: mostly(version) }), fc.record({ fixed: mostly(version) }), fc.record({ last_affected: mostly(version) }), fc.record({ limit: mostly(version) })));
      const affected = mostly(
        opt({
          package: mostly(opt({ ecosystem: mostly(fc.constantFrom('PyPI', 'npm', 'Go', 'GitHub Actions', 'Maven', 'Debian:12', 'crates.io')), name: mostly(fc.oneof(text, fc.constantFrom('a/b', '@s/x', 'g:a'))), purl: mostly(purl) })),
          versions: mostly(fc.array(mostly(version), { maxLength: 3 })),
          ranges: mostly(fc.array(mostly(opt({ type: mostly(fc.constantFrom('ECOSYSTEM', 'SEMVER', 'GIT')), events: mostly(fc.array(event, { maxLength: 4 })) })), { maxLength: 2 })),
        }),
      );
      const record = fc.record({
        id: mostly(fc.constantFrom('MAL-2026-1', 'GHSA-x', '', 'PYSEC-1')),
        modified: mostly(fc.constantFrom('2026-03-24T11:15:14Z', '2026-03-24', 'x')),
        summary: mostly(text),
        aliases: mostly(fc.array(mostly(text), { maxLength: 2 })),
        affected: mostly(fc.array(affected, { maxLength: 3 })),
        database_specific: mostly(opt({ 'malicious-packages-origins': mostly(fc.array(mostly(opt({ source: mostly(text), sha256: mostly(fc.constantFrom('a'.repeat(64), 'xyz')) })), { maxLength: 2 })) })),
      });
      await fc.assert(
        fc.asyncProperty(record, fc.array(version, { maxLength: 5 }), async (r, known) => {
          let batch: GraphBatch | undefined;
          expect(direct('osv', JSON.stringify(r))).toBe(true);
          try {
            batch = format('osv').parse(parseInput('fuzz', JSON.stringify(r)), CTX);
          } catch (err) {
            if (err instanceof BlastError) return;
            throw err;
          }
          completeBatch(batch);
          const advisory = batch.nodes.find((n) => n.kind === 'Advisory');
          const rule = advisory ? ruleOf(advisory) : null;
          // Judging any candidate version against the stored rule never throws.
          for (const pkg of rule?.packages ?? []) for (const v of known) judge(rule!, `${pkg}@${encodeURIComponent(v)}`);
        }),
        RUNS,
      );
    });

    it('versionsInRanges never throws', () => {
      fc.assert(
        fc.property(fc.constantFrom('PyPI', 'npm', 'Go', 'GitHub Actions', 'RubyGems', 'x'), tree, fc.array(version), (eco, ranges, candidates) => {
          const out = versionsInRanges(eco, (Array.isArray(ranges) ? ranges : [ranges]) as never, candidates);
          return Array.isArray(out) && out.every((v) => candidates.includes(v));
        }),
        RUNS,
      );
    });

    it('package-lock.json', () => {
      const path = fc.constantFrom('', 'node_modules/a', 'node_modules/@s/b', 'node_modules/a/node_modules/c', 'packages/w', 'node_modules/w');
      const dep = mostly(fc.dictionary(fc.constantFrom('a', '@s/b', 'c', 'w', 'zz'), fc.constant('*'), { maxKeys: 3 }));
      const entry = mostly(opt({ name: mostly(text), version: mostly(version), link: mostly(fc.boolean()), resolved: mostly(path), dev: fc.boolean(), dependencies: dep, optionalDependencies: dep, devDependencies: dep }));
      const lock = fc.record({ lockfileVersion: mostly(fc.constantFrom(1, 2, 3)), packages: mostly(fc.dictionary(path, entry, { maxKeys: 6 })) });
      fc.assert(fc.property(lock, (l) => direct('package-lock.json', JSON.stringify(l))), RUNS);
    });

    it('github workflow', () => {
      const expr = fc.constantFrom('${{ secrets.A }}', "${{ secrets['b'] }}", '${{ github.token }}', 'plain', '${{ secrets. }}', "secrets.C != ''");
      const step = mostly(opt({ uses: mostly(fc.oneof(hostile, fc.constantFrom('actions/checkout@v4', 'a/b/c@x', './local', 'docker://alpine', '${{ matrix.a }}@v1', 'x'))), run: mostly(expr), with: mostly(fc.dictionary(key, mostly(expr), { maxKeys: 3 })), if: mostly(expr) }));
      const job = mostly(opt({ steps: mostly(fc.array(step, { maxLength: 4 })), uses: mostly(fc.constantFrom('o/r/.github/workflows/x.yml@main', 'bad')), secrets: mostly(fc.constantFrom('inherit')) }));
      const wf = fc.record({ name: mostly(text), on: mostly(fc.constantFrom('push', ['push'], { push: null })), permissions: mostly(fc.constantFrom('read-all', { contents: 'read' })), jobs: mostly(fc.dictionary(fc.string({ maxLength: 6 }), job, { maxKeys: 3 })) });
      fc.assert(fc.property(wf, fc.constantFrom('wf.yml', 'o-r/wf.yml', 'x/.github/workflows/w.yml', 'graphql:ingest'), (w, name) => onlyBlastErrors(() => {
        let parsed;
        try {
          parsed = parseInput(name, JSON.stringify(w));
        } catch (err) {
          if (err instanceof BlastError) return undefined;
          throw err;
        }
        return format('github-workflow').parse(parsed, { ...CTX, input: name });
      })), RUNS);
    });

    const tomlText = (doc: unknown): string | null => {
      try {
        return toToml(doc as Record<string, unknown>);
      } catch {
        return null; // not representable in TOML (null values, mixed arrays): nothing to test
      }
    };
    const tomlTree = tree.filter((v) => v !== null);
    const lockPackage = (extra: Record<string, fc.Arbitrary<unknown>>) =>
      fc.oneof({ weight: 4, arbitrary: opt({ name: mostly(fc.constantFrom('a', 'b', 'B', 'c_d', 'c-d')), version: mostly(version), ...extra }) }, { weight: 1, arbitrary: tomlTree });

    it('uv.lock', () => {
      const dep = opt({ name: fc.constantFrom('a', 'b', 'c-d', 'zz'), version: version, marker: fc.constant('python_version < "3.11"') });
      const pkg = lockPackage({ 'resolution-markers': fc.constant(['x']), dependencies: fc.array(dep, { maxLength: 3 }), 'optional-dependencies': fc.dictionary(fc.constantFrom('dev', 'x'), fc.array(dep, { maxLength: 2 }), { maxKeys: 2 }) });
      const lock = fc.record({ version: fc.constantFrom(1, 2), package: fc.array(pkg, { maxLength: 5 }) });
      fc.assert(fc.property(lock, (l) => {
        const t = tomlText(l);
        return t === null || direct('uv.lock', t);
      }), RUNS);
    });

    it('poetry.lock', () => {
      const spec = fc.oneof(fc.constantFrom('*', '>=1', '1.0.0', '^2', 'garbage<<'), opt({ version: fc.constantFrom('*', '>=1'), optional: fc.boolean(), markers: fc.constant('extra == "x"') }));
      const pkg = lockPackage({ optional: fc.boolean(), groups: fc.array(fc.constantFrom('main', 'dev')), dependencies: fc.dictionary(fc.constantFrom('a', 'b', 'c_d', 'zz'), fc.oneof(spec, fc.array(spec, { maxLength: 2 })), { maxKeys: 3 }) });
      const lock = fc.record({ package: fc.array(pkg, { maxLength: 5 }), metadata: fc.constant({ 'content-hash': '00' }) });
      fc.assert(fc.property(lock, (l) => {
        const t = tomlText(l);
        return t === null || direct('poetry.lock', `# @generated by Poetry 2.1.2\n${t}`);
      }), RUNS);
    });

    it('requirements.txt', () => {
      const line = fc.oneof(
        fc.tuple(fc.constantFrom('a', 'B_c', 'x.y', 'litellm'), fc.constantFrom('', '[e]', '[e,f]'), fc.constantFrom('==', '===', '>=', '~='), version, fc.constantFrom('', ' ; python_version < "3.11"', ' --hash=sha256:00', ' \\')).map((p) => p.join('')),
        fc.constantFrom('    # via', '    #   a', '    # via B_c', '    #   -r x.in', '-r base.txt', '-e .', '--index-url https://pypi.org/simple', 'pkg @ https://x/y.whl', '# comment', ''),
        text,
      );
      fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => direct('requirements.txt', lines.join('\n'))), RUNS);
    });
  });
});
