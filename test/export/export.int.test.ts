/**
 * Exports (server/export) on every store, from the reference scenario plus a few records that probe
 * the edges: a Service named `=HYPERLINK("http://x")` inside the Trivy window, a customer with a
 * comma and quotes in its name and a contact starting with `+`, and an OSV advisory (with an alias
 * referenced from another version's `advisories`).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBlastRadius, type BlastRadius, type SeedInput } from '../../server/engine/blast-radius.js';
import { exportBlastRadius, verifyExport } from '../../server/export/export-blast-radius.js';
import { AFFECTED_COLUMNS, CUSTOMER_COLUMNS, PATH_COLUMNS } from '../../server/export/tables.js';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import { PROPAGATION } from '../../server/model/kinds.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node, source } from '../support/batches.js';
import { STORES } from '../support/stores.js';
import { validateCycloneDx16 } from './cyclonedx-schema.js';
import { parseCsv, parseCsvObjects } from './rfc4180.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCENARIO = 'seed/reference/scenario.yaml';
const TRIVY = 'pkg:githubactions/aquasecurity/trivy-action@0.33.1';
const SEEDS: SeedInput[] = [{ id: TRIVY }];
const GENERATED_AT = '2026-03-26T09:00:00Z';
const FORMULA_NAME = '=HYPERLINK("http://x")';
const INGESTED = '2026-03-25T00:00:00Z';

/** What a spreadsheet-safe cell holds for a stored value (csv.ts: a leading ' before = + - @ TAB CR). */
const cell = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

async function loadGraph(store: GraphStore): Promise<void> {
  const prepared = prepareInput(SCENARIO, readFileSync(join(ROOT, SCENARIO)), { ingestedAt: INGESTED });
  await store.write(prepared.batch);
  const src = source('test/export-extras', INGESTED);
  await store.write(
    batch(
      [
        node('svc:evil/formula', { serviceKind: 'ci' }, FORMULA_NAME, src),
        node('org:acme-quoted', { notifyWithinHours: 36, contact: '+1 555 0100', jurisdiction: 'US-CA' }, 'Acme, "Quoted" Ltd', src),
        node(
          'osv:MAL-2026-2144',
          {
            summary: 'Malicious code in litellm (PyPI)',
            details: 'litellm 1.82.7 and 1.82.8 were published with a stolen token.',
            aliases: ['PYSEC-2026-2'],
            references: ['https://github.com/BerriAI/litellm/issues/24512'],
            published: '2026-03-24T16:00:00Z',
            modifiedAt: '2026-03-25T08:00:00Z',
            cwes: ['CWE-506'],
            malicious: true,
          },
          undefined,
          src,
        ),
        node('pkg:pypi/litellm@1.82.7', { advisories: ['osv:PYSEC-2026-2'] }, undefined, src),
      ],
      [
        edge('svc:evil/formula', 'DEPENDS_ON', TRIVY, { since: '2026-03-19T18:00:00Z', until: '2026-03-19T18:10:00Z' }, src),
        edge('org:acme-quoted', 'USES', 'svc:evil/formula', {}, src),
        edge('osv:MAL-2026-2144', 'AFFECTS', 'pkg:pypi/litellm@1.82.8', {}, src),
        edge('osv:MAL-2026-2144', 'AFFECTS', 'pkg:pypi/litellm@1.82.7', {}, src),
      ],
      'test/export-extras',
    ),
  );
}

function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1).split('\\').join('/'))
    .sort();
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');

const tmpRoot = mkdtempSync(join(tmpdir(), 'blast-export-test-'));
/** The first export of each store, compared across stores at the end. */
const exportsByStore = new Map<string, string>();

afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

describe.each(STORES)('export: $backend', (adapter) => {
  let store: GraphStore;
  let result: BlastRadius;
  let dirA: string;
  let dirB: string;

  beforeAll(async () => {
    store = await adapter.setup();
    await loadGraph(store);
    result = await computeBlastRadius(store, SEEDS, {});
    dirA = join(tmpRoot, `${adapter.backend}-a`);
    dirB = join(tmpRoot, `${adapter.backend}-b`);
    await exportBlastRadius(store, SEEDS, {}, { outDir: dirA, generatedAt: GENERATED_AT });
    await exportBlastRadius(store, SEEDS, {}, { outDir: dirB, generatedAt: GENERATED_AT });
    exportsByStore.set(adapter.backend, dirA);
  });
  afterAll(async () => {
    await adapter.teardown(store);
  });

  it('reaches what the test needs (the scenario customers, the formula service and its customer)', () => {
    const ids = result.affected.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['svc:evil/formula', 'org:acme-quoted', 'org:meta', 'pkg:pypi/litellm@1.82.8', 'pkg:pypi/litellm@1.82.7']));
    expect(result.customers.length).toBeGreaterThanOrEqual(3);
  });

  it('writes every file, one notification pack per customer', () => {
    const files = listFiles(dirA);
    for (const f of ['report.md', 'report.pdf', 'blast-radius.json', 'affected.csv', 'customers.csv', 'paths.csv', 'graph.graphml', 'graph.cyjs', 'vex.cdx.json', 'manifest.json']) {
      expect(files).toContain(f);
    }
    expect(files).toContain('customers/org_meta.md');
    expect(files).toContain('customers/org_meta.json');
    expect(files).toContain('customers/org_acme-quoted.json');
    expect(files.filter((f) => f.startsWith('customers/')).length).toBe(2 * result.customers.length);
  });

  it('is deterministic: two exports of the same graph, parameters and generatedAt are byte-identical, the PDF included', () => {
    const files = listFiles(dirA);
    expect(listFiles(dirB)).toEqual(files);
    for (const f of files) expect(readFileSync(join(dirB, f)).equals(readFileSync(join(dirA, f))), f).toBe(true);
  });

  it('changes the dates, the file ID and the digests with generatedAt, and nothing random', async () => {
    const dirC = join(tmpRoot, `${adapter.backend}-c`);
    await exportBlastRadius(store, SEEDS, {}, { outDir: dirC, generatedAt: '2026-03-27T10:30:00Z' });
    const a = readFileSync(join(dirA, 'report.pdf')).toString('latin1');
    const c = readFileSync(join(dirC, 'report.pdf')).toString('latin1');
    const info = (dir: string) => {
      const run = spawnSync('pdfinfo', ['-isodates', join(dir, 'report.pdf')], { encoding: 'utf8' });
      if (run.error) throw new Error(`pdfinfo is needed (Debian: apt-get install poppler-utils): ${run.error.message}`);
      return Object.fromEntries(run.stdout.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
    };
    expect(info(dirA)).toMatchObject({ CreationDate: GENERATED_AT, ModDate: GENERATED_AT, Producer: expect.stringMatching(/^blast-radius /) });
    expect(info(dirC)).toMatchObject({ CreationDate: '2026-03-27T10:30:00Z', ModDate: '2026-03-27T10:30:00Z' });
    const id = (pdf: string) => /\/ID \[<([0-9a-f]{32})> <\1>\]/.exec(pdf)?.[1];
    expect(id(a)).toBeDefined();
    expect(id(c)).toBeDefined();
    expect(id(a)).not.toBe(id(c));
    // Uncompressed: the text is in the file as written.
    expect(a).not.toContain('/FlateDecode');
    // The result itself does not depend on generatedAt.
    expect(read(dirC, 'blast-radius.json')).toBe(read(dirA, 'blast-radius.json'));
  });

  it('blast-radius.json is the CLI JSON of the result', () => {
    expect(read(dirA, 'blast-radius.json')).toBe(`${JSON.stringify(result, null, 2)}\n`);
  });

  it('the PDF has selectable text naming every customer and citing a hop\'s source SHA-256', () => {
    const run = spawnSync('pdftotext', [join(dirA, 'report.pdf'), '-'], { encoding: 'utf8' });
    if (run.error) throw new Error(`pdftotext is needed (Debian: apt-get install poppler-utils): ${run.error.message}`);
    expect(run.status).toBe(0);
    const text = run.stdout;
    const squash = (s: string) => s.replace(/\s+/g, '');
    for (const c of result.customers) {
      expect(squash(text)).toContain(squash(c.name));
      expect(squash(text)).toContain(squash(c.id));
    }
    const hop = result.customers[0]!.reasons[0]!.path[0]!;
    // A digest is set on one line, unbroken.
    expect(text).toContain(hop.sources[0]!.sha256);
    expect(text).toContain('Timeline of first exposures');
    expect(text).toContain('Appendix: source documents');
  });

  it('the CSV rows match the JSON (RFC 4180: CRLF, quoting)', () => {
    const affectedCsv = read(dirA, 'affected.csv');
    expect(affectedCsv.endsWith('\r\n')).toBe(true);
    expect(affectedCsv.replace(/\r\n/g, '')).not.toMatch(/(^|[^"])\n/); // no bare LF outside quoted fields here
    const affected = parseCsvObjects(affectedCsv);
    expect(affected.header).toEqual([...AFFECTED_COLUMNS]);
    expect(affected.rows.length).toBe(result.affected.length);
    result.affected.forEach((a, i) => {
      const r = affected.rows[i]!;
      const last = a.path.at(-1);
      expect(r).toMatchObject({
        id: a.id,
        kind: a.kind,
        name: cell(a.name),
        first_exposed_at: a.firstExposedAt ?? '',
        hops: String(a.hops),
        confidence: a.confidence,
        reached_from: last?.from ?? '',
        reached_by_edge: last?.edge ?? '',
      });
    });

    const customers = parseCsvObjects(read(dirA, 'customers.csv'));
    expect(customers.header).toEqual([...CUSTOMER_COLUMNS]);
    expect(customers.rows.map((r) => r.id)).toEqual(result.customers.map((c) => c.id));
    result.customers.forEach((c, i) => {
      const r = customers.rows[i]!;
      expect(r.name).toBe(cell(c.name));
      expect(r.first_exposed_at).toBe(c.firstExposedAt ?? '');
      expect(r.exposed_via!.split('; ')).toEqual(c.reasons.map((x) => x.via));
      if (r.notify_within_hours !== '' && c.firstExposedAt) {
        const due = Date.parse(c.firstExposedAt) + Number(r.notify_within_hours) * 3_600_000;
        expect(r.notification_deadline).toBe(new Date(due).toISOString().replace('.000Z', 'Z'));
      }
    });
    const acme = customers.rows.find((r) => r.id === 'org:acme-quoted')!;
    expect(acme.name).toBe('Acme, "Quoted" Ltd');
    expect(acme.notify_within_hours).toBe('36');

    const paths = parseCsvObjects(read(dirA, 'paths.csv'));
    expect(paths.header).toEqual([...PATH_COLUMNS]);
    const hops = result.affected.flatMap((a) => a.path.map((h, i) => ({ a, h, i })));
    expect(paths.rows.length).toBe(hops.length);
    hops.forEach(({ a, h, i }, k) => {
      expect(paths.rows[k]).toEqual({
        affected_id: a.id,
        hop: String(i + 1),
        from: h.from,
        edge: h.edge,
        to: h.to,
        arrival: h.arrival ?? '',
        source: h.sources.map((s) => s.source).join('; '),
        source_pointer: h.sources.map((s) => s.pointer ?? '').join('; '),
        source_sha256: h.sources.map((s) => s.sha256).join('; '),
        source_ingested_at: h.sources.map((s) => s.ingestedAt).join('; '),
      });
    });
  });

  it('neutralises formula injection in every CSV cell', () => {
    const raw = read(dirA, 'affected.csv');
    expect(raw).toContain(`svc:evil/formula,Service,"'=HYPERLINK(""http://x"")"`);
    const row = parseCsvObjects(raw).rows.find((r) => r.id === 'svc:evil/formula')!;
    expect(row.name).toBe(`'${FORMULA_NAME}`);
    const acme = parseCsvObjects(read(dirA, 'customers.csv')).rows.find((r) => r.id === 'org:acme-quoted')!;
    expect(acme.contact).toBe("'+1 555 0100");
    for (const f of ['affected.csv', 'customers.csv', 'paths.csv']) {
      for (const record of parseCsv(read(dirA, f))) for (const c of record) expect(c, `${f}: ${c}`).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('writes a VEX that is valid CycloneDX 1.6, with exploitable vulnerabilities, purls, services and advisory references', async () => {
    const text = read(dirA, 'vex.cdx.json');
    expect(await validateCycloneDx16(text)).toBeNull();
    // The validator is not a rubber stamp.
    const broken = JSON.parse(text);
    broken.vulnerabilities[0].analysis.state = 'pwned';
    expect(await validateCycloneDx16(JSON.stringify(broken))).not.toBeNull();

    const bom = JSON.parse(text);
    expect(bom.specVersion).toBe('1.6');
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bom.serialNumber).toBe(JSON.parse(read(dirB, 'vex.cdx.json')).serialNumber);
    expect(bom.metadata.timestamp).toBe('2026-03-26T09:00:00.000Z');
    const purls = bom.components.map((c: { purl: string }) => c.purl);
    expect(purls).toEqual(expect.arrayContaining([TRIVY, 'pkg:pypi/litellm@1.82.7', 'pkg:pypi/litellm@1.82.8']));
    const expectedVersions = [TRIVY, ...result.affected.filter((a) => a.kind === 'PackageVersion').map((a) => a.id)].sort();
    expect([...purls].sort()).toEqual(expectedVersions);
    const services = result.affected.filter((a) => a.kind === 'Service').map((a) => a.id).sort();
    expect(bom.services.map((s: { 'bom-ref': string }) => s['bom-ref'])).toEqual(services);

    const refs = new Set<string>([...bom.components, ...bom.services].map((x: { 'bom-ref': string }) => x['bom-ref']));
    for (const v of bom.vulnerabilities) {
      expect(v.analysis.state).toBe('exploitable');
      expect(v.affects.length).toBeGreaterThan(0);
      for (const a of v.affects) expect(refs.has(a.ref), a.ref).toBe(true);
    }
    const mal = bom.vulnerabilities.find((v: { id: string }) => v.id === 'MAL-2026-2144');
    expect(mal).toBeDefined();
    const malRefs = mal.affects.map((a: { ref: string }) => a.ref);
    // 1.82.7 names the advisory by its alias PYSEC-2026-2: merged into one vulnerability.
    expect(malRefs).toEqual(expect.arrayContaining(['pkg:pypi/litellm@1.82.7', 'pkg:pypi/litellm@1.82.8', 'svc:labelwise/llm-gateway']));
    expect(mal.references.map((r: { id: string }) => r.id)).toEqual(['PYSEC-2026-2']);
    expect(mal.advisories.map((a: { url: string }) => a.url)).toEqual(
      expect.arrayContaining(['https://osv.dev/vulnerability/MAL-2026-2144', 'https://github.com/BerriAI/litellm/issues/24512']),
    );
    expect(mal.cwes).toEqual([506]);
    // Versions no advisory names share the incident's own vulnerability.
    const incident = bom.vulnerabilities.find((v: { id: string }) => v.id.startsWith('BLAST-'));
    expect(incident.affects.map((a: { ref: string }) => a.ref)).toContain(TRIVY);
    expect(incident.affects.map((a: { ref: string }) => a.ref)).not.toContain('pkg:pypi/litellm@1.82.8');
  });

  it('writes graph files of the affected subgraph', () => {
    const cy = JSON.parse(read(dirA, 'graph.cyjs'));
    const nodeIds = new Set<string>(cy.elements.nodes.map((n: { data: { id: string } }) => n.data.id));
    for (const id of [TRIVY, ...result.affected.map((a) => a.id)]) expect(nodeIds.has(id), id).toBe(true);
    const edgeKeys = new Set<string>();
    for (const e of cy.elements.edges) {
      expect(nodeIds.has(e.data.source) && nodeIds.has(e.data.target)).toBe(true);
      edgeKeys.add(`${e.data.source}|${e.data.kind}|${e.data.target}`);
    }
    for (const a of result.affected) {
      for (const h of a.path) {
        const [from, to] = PROPAGATION[h.edge] === 'reverse' ? [h.to, h.from] : [h.from, h.to];
        expect(edgeKeys.has(`${from}|${h.edge}|${to}`), `${from} ${h.edge} ${to}`).toBe(true);
      }
    }
    expect(cy.elements.nodes.find((n: { data: { id: string } }) => n.data.id === TRIVY).data.seed).toBe(true);
    const graphml = read(dirA, 'graph.graphml');
    expect(graphml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<graphml')).toBe(true);
    expect(graphml.match(/<node id=/g)?.length).toBe(cy.elements.nodes.length);
    expect(graphml.match(/<edge id=/g)?.length).toBe(cy.elements.edges.length);
    expect(graphml).toContain('<data key="n_name">=HYPERLINK(&quot;http://x&quot;)</data>');
  });

  it('writes a notification pack per customer: exposures, paths, containment and the deadline', () => {
    const meta = result.customers.find((c) => c.id === 'org:meta')!;
    const pack = JSON.parse(read(dirA, 'customers/org_meta.json'));
    expect(pack.customer).toMatchObject({ id: 'org:meta', name: meta.name });
    expect(pack.firstExposedAt).toBe(meta.firstExposedAt);
    const hours = pack.customer.notifyWithinHours as number;
    expect(typeof hours).toBe('number');
    expect(pack.notificationDeadline).toBe(new Date(Date.parse(meta.firstExposedAt!) + hours * 3_600_000).toISOString().replace('.000Z', 'Z'));
    expect(pack.exposed.map((e: { id: string }) => e.id)).toEqual(meta.reasons.map((r) => r.via));
    for (const e of pack.exposed) {
      expect(['BELONGS_TO', 'USES']).toContain(e.relation);
      expect(e.path.at(-1).to).toBe('org:meta');
    }
    // The Trivy tag was restored at 05:40 on 03-20, and it is on every path.
    expect(pack.contained).toContainEqual(expect.objectContaining({ id: TRIVY, containedAt: '2026-03-20T05:40:00Z' }));
    const md = read(dirA, 'customers/org_meta.md');
    expect(md).toContain('# Notification pack: Meta (org:meta)');
    expect(md).toContain(pack.notificationDeadline);
    expect(md).toContain('## What has been contained');
  });

  it('records every parameter, and shows containment given as an option as assumed', async () => {
    const dirE = join(tmpRoot, `${adapter.backend}-e`);
    const contained = [{ id: 'svc:labelwise/labeling-api', at: '2026-03-19T20:00:00Z' }];
    await exportBlastRadius(store, SEEDS, { contained, minConfidence: 'likely', maxHops: 12 }, { outDir: dirE, generatedAt: GENERATED_AT, title: 'Case 7' });
    const manifest = JSON.parse(read(dirE, 'manifest.json'));
    expect(manifest.title).toBe('Case 7');
    expect(manifest.parameters.options).toMatchObject({ contained, minConfidence: 'likely', maxHops: 12 });
    expect(manifest.parameters.seeds).toEqual([{ id: TRIVY, at: '2026-03-19T17:43:00Z', found: true }]);
    const pack = JSON.parse(read(dirE, 'customers/org_meta.json'));
    expect(pack.contained).toContainEqual({ id: 'svc:labelwise/labeling-api', kind: 'Service', name: expect.any(String), containedAt: '2026-03-19T20:00:00Z', basis: 'assumed' });
    expect(pack.contained).toContainEqual(expect.objectContaining({ id: TRIVY, basis: 'recorded' }));
    const md = read(dirE, 'report.md');
    expect(md).toMatch(/^# Case 7\n/);
    expect(md).toContain('- **Minimum confidence:** likely');
    expect(md).toContain('- **Maximum hops:** 12');
    expect(md).toContain('- **Extra containment:** svc:labelwise/labeling-api at 2026-03-19T20:00:00Z');
  });

  it('writes a report with every section', () => {
    const md = read(dirA, 'report.md');
    for (const h of ['## Incident summary', '## Seeds and window', '## Method', '## Timeline of first exposures', '## Affected customers and notification deadlines', '## Evidence per customer', '## Affected assets by kind', '## Appendix: source documents']) {
      expect(md).toContain(h);
    }
    // Untrusted names are escaped, not interpreted.
    expect(md).toContain('=HYPERLINK("http://x")');
    expect(md).toContain(`SHA-256: ${result.customers[0]!.reasons[0]!.path[0]!.sources[0]!.sha256}`);
  });

  it('lists every other file in the manifest, and verifyExport catches a changed, a missing and an extra file', async () => {
    const manifest = JSON.parse(read(dirA, 'manifest.json'));
    expect(manifest.snapshotId).toBe(result.snapshotId);
    expect(manifest.generatedAt).toBe(GENERATED_AT);
    expect(manifest.parameters.options).toEqual(result.options);
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(listFiles(dirA).filter((f) => f !== 'manifest.json'));
    expect((await verifyExport(dirA)).ok).toBe(true);

    const dirD = join(tmpRoot, `${adapter.backend}-d`);
    cpSync(dirA, dirD, { recursive: true });
    const pdf = readFileSync(join(dirD, 'report.pdf'));
    pdf[pdf.length >> 1] = pdf[pdf.length >> 1]! ^ 0x01;
    writeFileSync(join(dirD, 'report.pdf'), pdf);
    unlinkSync(join(dirD, 'customers', 'org_meta.json'));
    writeFileSync(join(dirD, 'notes.txt'), 'mine\n');
    const v = await verifyExport(dirD);
    expect(v.ok).toBe(false);
    expect(v.mismatches.map((m) => `${m.problem} ${m.path}`)).toEqual(['missing customers/org_meta.json', 'extra notes.txt', 'changed report.pdf']);
  });

  it('replaces an earlier export in the same folder and refuses a folder that holds something else', async () => {
    await exportBlastRadius(store, SEEDS, { maxHops: 1 }, { outDir: dirB, generatedAt: GENERATED_AT });
    expect((await verifyExport(dirB)).ok).toBe(true);
    expect(listFiles(dirB).some((f) => f.startsWith('customers/'))).toBe(false);
    const other = mkdtempSync(join(tmpRoot, 'other-'));
    writeFileSync(join(other, 'keep.txt'), 'x');
    await expect(exportBlastRadius(store, SEEDS, {}, { outDir: other, generatedAt: GENERATED_AT })).rejects.toThrow(/not empty/);
  });
});

describe('export across stores', () => {
  it('the embedded and Neo4j stores give byte-identical exports', () => {
    const dirs = [...exportsByStore.values()];
    expect(dirs.length).toBe(STORES.length);
    const [first, ...rest] = dirs;
    for (const other of rest) {
      expect(listFiles(other)).toEqual(listFiles(first!));
      for (const f of listFiles(first!)) expect(readFileSync(join(other, f)).equals(readFileSync(join(first!, f))), f).toBe(true);
    }
  });
});
