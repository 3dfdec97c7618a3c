/**
 * The store conformance suite: every GraphStore method, run against every backend in STORES.
 * Anything a store must do identically (and so the engine may rely on) is asserted here.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { BlastError } from '../../server/model/errors.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import { STORES, useStore } from '../support/stores.js';
import { idsOfProjection, projectionOf, stepsOfProjection, stepsOfRecords } from '../support/projection-rows.js';
import { batch, edge, node, source } from '../support/batches.js';
import { planSynthetic } from '../../seed/synthetic/generate.js';

const SCENARIO = new URL('../../seed/reference/scenario.yaml', import.meta.url);

/** A small graph touching every edge kind. */
function sampleBatch() {
  return batch(
    [
      node('pkg:pypi/litellm@1.82.8', { publishedAt: '2026-03-24T10:52:00Z' }, 'litellm 1.82.8'),
      node('pkg:pypi/openai@1.66.3'),
      node('svc:acme/labeling-api', { serviceKind: 'app', containedAt: '2026-03-25T02:00:00Z' }, 'Labeling API'),
      node('cred:acme/aws-prod-s3-reader', { type: 'aws-access-key', createdAt: '2025-11-02T00:00:00Z', rotatedAt: '2026-03-25T09:00:00Z' }),
      node('ds:acme/rlhf-transcripts', { classification: 'training-data' }, 'RLHF transcripts'),
      node('ds:acme/raw-chats'),
      node('org:meta', { notifyWithinHours: 72 }, 'Meta'),
      node('osv:MAL-2026-2144', { summary: 'Malicious code in litellm' }),
    ],
    [
      edge('pkg:pypi/litellm@1.82.8', 'DEPENDS_ON', 'pkg:pypi/openai@1.66.3'),
      edge('svc:acme/labeling-api', 'DEPENDS_ON', 'pkg:pypi/litellm@1.82.8', { since: '2026-03-24T10:58:00Z', until: '2026-03-24T16:20:00Z', confidence: 'likely' }),
      edge('svc:acme/labeling-api', 'HOLDS', 'cred:acme/aws-prod-s3-reader'),
      edge('svc:acme/labeling-api', 'READS', 'ds:acme/rlhf-transcripts'),
      edge('svc:acme/labeling-api', 'WRITES', 'ds:acme/raw-chats', { confidence: 'possible' }),
      edge('cred:acme/aws-prod-s3-reader', 'GRANTS', 'ds:acme/rlhf-transcripts', { access: 'read' }),
      edge('cred:acme/aws-prod-s3-reader', 'GRANTS', 'pkg:pypi/acme-sdk', { access: 'publish' }),
      edge('ds:acme/rlhf-transcripts', 'DERIVED_FROM', 'ds:acme/raw-chats'),
      edge('ds:acme/rlhf-transcripts', 'BELONGS_TO', 'org:meta'),
      edge('org:meta', 'USES', 'svc:acme/labeling-api'),
      edge('osv:MAL-2026-2144', 'AFFECTS', 'pkg:pypi/litellm@1.82.8'),
    ],
  );
}

describe.each(STORES)('GraphStore conformance: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: (s) => s.clear() });

  it('answers ping and starts empty', async () => {
    await store.ping();
    const stats = await store.stats();
    expect(stats.totalNodes).toBe(0);
    expect(stats.totalEdges).toBe(0);
  });

  it('writes a batch, completing packages, VERSION_OF edges and stub nodes', async () => {
    const summary = await store.write(sampleBatch());
    // 8 given + 3 derived: pkg:pypi/litellm, pkg:pypi/openai (packages of versions), pkg:pypi/acme-sdk (grant target stub).
    expect(summary.nodes).toEqual({ added: 11, updated: 0, unchanged: 0 });
    // 11 given + 2 VERSION_OF.
    expect(summary.edges).toEqual({ added: 13, updated: 0, unchanged: 0 });
    const stats = await store.stats();
    expect(stats.nodes).toMatchObject({ Package: 3, PackageVersion: 2, Service: 1, Credential: 1, Dataset: 2, Customer: 1, Advisory: 1 });
    expect(stats.edges).toMatchObject({ VERSION_OF: 2, DEPENDS_ON: 2, GRANTS: 2, AFFECTS: 1 });
    expect(stats.snapshotId).toBe(summary.snapshotId);
  });

  it('normalises purls so differently cased names are one node', async () => {
    const prepared = prepareInput('case.yaml', 'version: 1\npackages:\n  - purl: pkg:pypi/LiteLLM@1.82.8\n  - purl: pkg:pypi/litellm@1.82.8\n', { ingestedAt: '2026-03-01T00:00:00Z' });
    await store.write(prepared.batch);
    expect(await store.countNodes('PackageVersion')).toBe(1);
    const [n] = await store.getNodes(['pkg:pypi/litellm@1.82.8']);
    expect(n?.id).toBe('pkg:pypi/litellm@1.82.8');
  });

  it('is idempotent: the same batch twice changes nothing', async () => {
    const first = await store.write(sampleBatch());
    const again = await store.write(sampleBatch());
    expect(again.nodes).toEqual({ added: 0, updated: 0, unchanged: 11 });
    expect(again.edges).toEqual({ added: 0, updated: 0, unchanged: 13 });
    expect(again.snapshotId).toBe(first.snapshotId);
  });

  it('round-trips times, confidences and access exactly', async () => {
    await store.write(sampleBatch());
    const [svc, cred] = await store.getNodes(['svc:acme/labeling-api', 'cred:acme/aws-prod-s3-reader']);
    expect(svc?.props).toEqual({ serviceKind: 'app', containedAt: '2026-03-25T02:00:00Z' });
    expect(cred?.props.rotatedAt).toBe('2026-03-25T09:00:00Z');
    const out = await store.edgesOf(['svc:acme/labeling-api'], { direction: 'out' });
    const dep = out.find((e) => e.kind === 'DEPENDS_ON');
    expect(dep).toMatchObject({ since: '2026-03-24T10:58:00Z', until: '2026-03-24T16:20:00Z', confidence: 'likely' });
    const holds = out.find((e) => e.kind === 'HOLDS');
    expect(holds).not.toHaveProperty('since');
    expect(holds).not.toHaveProperty('confidence');
    const grants = await store.edgesOf(['cred:acme/aws-prod-s3-reader'], { direction: 'out', kinds: ['GRANTS'] });
    expect(grants.map((g) => g.access).sort()).toEqual(['publish', 'read']);
    expect(holds?.sources).toEqual(source());
  });

  it('getNodes keeps order and answers null for unknown ids', async () => {
    await store.write(sampleBatch());
    const got = await store.getNodes(['org:meta', 'svc:nope/nothing', 'pkg:pypi/litellm@1.82.8']);
    expect(got.map((n) => n?.id ?? null)).toEqual(['org:meta', null, 'pkg:pypi/litellm@1.82.8']);
    expect(got[0]).toMatchObject({ kind: 'Customer', name: 'Meta', props: { notifyWithinHours: 72 } });
    expect(got[2]?.name).toBe('litellm 1.82.8');
  });

  it('lists nodes by id with a cursor, and counts them', async () => {
    await store.write(sampleBatch());
    const page1 = await store.listNodes({ first: 4 });
    const page2 = await store.listNodes({ first: 4, after: page1.at(-1)!.id });
    const page3 = await store.listNodes({ first: 4, after: page2.at(-1)!.id });
    const ids = [...page1, ...page2, ...page3].map((n) => n.id);
    expect(ids).toHaveLength(11);
    expect(ids).toEqual([...ids].sort());
    const pkgs = await store.listNodes({ kind: 'Package', first: 10 });
    expect(pkgs.map((n) => n.id)).toEqual(['pkg:pypi/acme-sdk', 'pkg:pypi/litellm', 'pkg:pypi/openai']);
    expect(await store.countNodes()).toBe(11);
    expect(await store.countNodes('Dataset')).toBe(2);
  });

  it('searches names and ids, filters by kind, and treats hostile text as words', async () => {
    await store.write(sampleBatch());
    const hits = await store.search({ text: 'labeling', first: 5 });
    expect(hits[0]?.id).toBe('svc:acme/labeling-api');
    const lite = await store.search({ text: 'litell', first: 10 });
    expect(lite.map((n) => n.id)).toContain('pkg:pypi/litellm@1.82.8');
    const onlyPkgs = await store.search({ text: 'litellm', kinds: ['Package'], first: 10 });
    expect(onlyPkgs.map((n) => n.id)).toEqual(['pkg:pypi/litellm']);
    for (const hostile of ['"', '*', 'AND (', "'; DROP TABLE nodes; --", 'NEAR(a b', '\\', '<img src=x>', '']) {
      await expect(store.search({ text: hostile, first: 5 })).resolves.toBeInstanceOf(Array);
    }
  });

  it('streams a projection that says exactly what the records say, on a synthetic graph', async () => {
    const plan = planSynthetic({ nodes: 1500 });
    for (const b of plan.batches(50_000)) await store.write(b);
    const p = await projectionOf(store);
    const ids = idsOfProjection(p);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toHaveLength((await store.stats()).totalNodes);
    const steps = stepsOfProjection(p);
    expect(steps.length).toBeGreaterThan(1000);
    expect(steps).toEqual(await stepsOfRecords(store));
    expect(p.version).toBe(await store.graphVersion());
    expect(p.snapshotId).toBe(await store.snapshotId());
  });

  it('returns edges by direction and kind, ordered and deduplicated', async () => {
    await store.write(sampleBatch());
    const both = await store.edgesOf(['ds:acme/rlhf-transcripts', 'ds:acme/raw-chats'], { direction: 'both' });
    const keys = both.map((e) => `${e.from}|${e.kind}|${e.to}|${e.access ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...keys].sort());
    // rlhf: in READS, GRANTS(read); out DERIVED_FROM, BELONGS_TO; raw-chats: in WRITES, DERIVED_FROM (shared).
    expect(both).toHaveLength(5);
    const inOnly = await store.edgesOf(['ds:acme/raw-chats'], { direction: 'in', kinds: ['WRITES'] });
    expect(inOnly.map((e) => e.from)).toEqual(['svc:acme/labeling-api']);
  });

  it('projects steps in the compromise direction, with node times and edge sources', async () => {
    await store.write(sampleBatch());
    const p = await projectionOf(store);
    const seen = stepsOfProjection(p).map((s) => `${s.from} -${s.kind}-> ${s.to}`);
    // By leaving node, kind, far node; USES (stored org:meta -> svc) leaves the service.
    expect(seen).toEqual([
      'cred:acme/aws-prod-s3-reader -GRANTS-> ds:acme/rlhf-transcripts',
      'cred:acme/aws-prod-s3-reader -GRANTS-> pkg:pypi/acme-sdk',
      'ds:acme/rlhf-transcripts -BELONGS_TO-> org:meta',
      'ds:acme/rlhf-transcripts -DERIVED_FROM-> ds:acme/raw-chats',
      'pkg:pypi/litellm -VERSION_OF-> pkg:pypi/litellm@1.82.8',
      'pkg:pypi/litellm@1.82.8 -DEPENDS_ON-> svc:acme/labeling-api',
      'pkg:pypi/openai -VERSION_OF-> pkg:pypi/openai@1.66.3',
      'pkg:pypi/openai@1.66.3 -DEPENDS_ON-> pkg:pypi/litellm@1.82.8',
      'svc:acme/labeling-api -HOLDS-> cred:acme/aws-prod-s3-reader',
      'svc:acme/labeling-api -READS-> ds:acme/rlhf-transcripts',
      'svc:acme/labeling-api -USES-> org:meta',
      'svc:acme/labeling-api -WRITES-> ds:acme/raw-chats',
    ]);
    // AFFECTS never carries a compromise.
    expect(seen.some((s) => s.includes('AFFECTS'))).toBe(false);
    const version = p.numberOf('pkg:pypi/litellm@1.82.8');
    expect(p.c.publishedAt[version]).toBe(Date.parse('2026-03-24T10:52:00Z'));
    const cred = p.numberOf('cred:acme/aws-prod-s3-reader');
    expect([p.c.validFrom[cred], p.c.validUntil[cred]]).toEqual([Date.parse('2025-11-02T00:00:00Z'), Date.parse('2026-03-25T09:00:00Z')]);
    expect(p.c.containedAt[p.numberOf('svc:acme/labeling-api')]).toBe(Date.parse('2026-03-25T02:00:00Z'));
    expect(p.numberOf('svc:not-there')).toBe(-1);
    // Sources are read by the edges' refs, and only for the hops asked.
    const svc = p.numberOf('svc:acme/labeling-api');
    const refs = Array.from({ length: p.c.stepStart[svc + 1]! - p.c.stepStart[svc]! }, (_, i) => p.c.edgeRef[p.c.stepStart[svc]! + i]!);
    const sources = await store.edgeSources(refs);
    expect(sources).toHaveLength(4);
    for (const s of sources) expect(s).toEqual([expect.objectContaining({ source: expect.any(String), sha256: expect.any(String) })]);
    expect(await store.edgeSources([123_456_789])).toEqual([null]);
  });

  it('moves the graph version with every write that changes something, and only then', async () => {
    const empty = await store.graphVersion();
    await store.write(sampleBatch());
    const written = await store.graphVersion();
    expect(written).not.toBe(empty);
    await store.write(sampleBatch());
    expect(await store.graphVersion()).toBe(written);
    await store.write(sampleBatch(), { dryRun: true });
    expect(await store.graphVersion()).toBe(written);
    await store.write(batch([node('org:meta', { contact: 'security@example.com' })]));
    const changed = await store.graphVersion();
    expect(changed).not.toBe(written);
    await store.clear();
    const cleared = await store.graphVersion();
    expect([empty, written, changed]).not.toContain(cleared);
  });

  it('lists nodes marked compromised', async () => {
    await store.write(sampleBatch());
    expect(await store.compromisedNodes()).toEqual([]);
    await store.write(batch([node('pkg:pypi/litellm@1.82.8', { compromised: true, advisories: ['osv:MAL-2026-2144'] })]));
    await store.write(batch([node('pkg:pypi/openai@1.66.3', { compromisedAt: '2026-03-24T00:00:00Z' })]));
    expect((await store.compromisedNodes()).map((n) => n.id)).toEqual(['pkg:pypi/litellm@1.82.8', 'pkg:pypi/openai@1.66.3']);
  });

  it('merges a later assertion into a node, keeping both sources', async () => {
    await store.write(sampleBatch());
    const later = source('later.yaml', '2026-04-01T00:00:00Z');
    const summary = await store.write(batch([node('org:meta', { contact: 'security@example.com' }, undefined, later)]));
    expect(summary.nodes).toEqual({ added: 0, updated: 1, unchanged: 0 });
    const [meta] = await store.getNodes(['org:meta']);
    expect(meta?.name).toBe('Meta');
    expect(meta?.props).toEqual({ notifyWithinHours: 72, contact: 'security@example.com' });
    expect(meta?.sources.map((s) => s.source)).toEqual(['test', 'later.yaml']);
  });

  it('is atomic: a batch that fails validation writes nothing', async () => {
    await store.write(sampleBatch());
    const before = await store.snapshotId();
    const bad = batch(
      [node('svc:acme/new-service'), node('org:new-customer')],
      [edge('org:new-customer', 'USES', 'svc:acme/new-service'), edge('svc:acme/new-service', 'GRANTS', 'ds:acme/raw-chats', { access: 'read' })],
    );
    await expect(store.write(bad)).rejects.toBeInstanceOf(BlastError);
    expect(await store.snapshotId()).toBe(before);
    expect(await store.getNodes(['svc:acme/new-service'])).toEqual([null]);
  });

  it('is atomic: a kind conflict with stored data writes nothing', async () => {
    await store.write(sampleBatch());
    const before = await store.snapshotId();
    const conflicting = batch([node('org:other'), { id: 'org:meta', kind: 'Dataset', sources: source() }]);
    await expect(store.write(conflicting)).rejects.toBeInstanceOf(BlastError);
    expect(await store.snapshotId()).toBe(before);
    expect(await store.getNodes(['org:other'])).toEqual([null]);
  });

  it('refuses a secret value anywhere in a batch', async () => {
    const leaky = batch([node('cred:acme/k', { note: 'AKIAIOSFODNN7EXAMPLE' })]);
    await expect(store.write(leaky)).rejects.toMatchObject({ code: 'SECRET_REFUSED' });
    expect(await store.countNodes()).toBe(0);
  });

  it('dry-run reports changes and writes nothing', async () => {
    const summary = await store.write(sampleBatch(), { dryRun: true });
    expect(summary.nodes.added).toBe(11);
    expect(await store.countNodes()).toBe(0);
  });

  it('snapshotId: equal for equal content, whatever the write order; changes with content', async () => {
    const empty = await store.snapshotId();
    const b = sampleBatch();
    await store.write({ ...b, nodes: b.nodes.slice(0, 4), edges: [] });
    await store.write(b);
    const a = await store.snapshotId();
    expect(a).not.toBe(empty);
    await store.clear();
    expect(await store.snapshotId()).toBe(empty);
    await store.write({ ...b, nodes: [...b.nodes].reverse(), edges: [...b.edges].reverse() });
    expect(await store.snapshotId()).toBe(a);
    await store.write(batch([node('org:meta', { tier: 'gold' })]));
    expect(await store.snapshotId()).not.toBe(a);
  });

  it('ingests the reference scenario with counts matching the file', async () => {
    const text = readFileSync(SCENARIO, 'utf8');
    const doc = parseYaml(text) as Record<string, Array<Record<string, unknown>>>;
    // Counts computed from the file itself, independently of the parser.
    const refs = (section: string, field: string) => doc[section]!.reduce((n, e) => n + ((e[field] as unknown[] | undefined)?.length ?? 0), 0);
    const versions = doc.packages!.filter((p) => String(p.purl).includes('@'));
    const packageNames = new Set(versions.map((p) => String(p.purl).toLowerCase().replace(/@.*$/, '')));
    const prepared = prepareInput('seed/reference/scenario.yaml', text, { ingestedAt: '2026-03-26T00:00:00Z' });
    expect(prepared.batch.warnings).toEqual([]);
    const summary = await store.write(prepared.batch);
    const stats = await store.stats();
    expect(stats.nodes.Service).toBe(doc.services!.length);
    expect(stats.nodes.Credential).toBe(doc.credentials!.length);
    expect(stats.nodes.Dataset).toBe(doc.datasets!.length);
    expect(stats.nodes.Customer).toBe(doc.customers!.length);
    expect(stats.nodes.PackageVersion).toBe(versions.length);
    expect(stats.nodes.Package).toBeGreaterThanOrEqual(packageNames.size);
    expect(stats.edges.HOLDS).toBe(refs('services', 'holds'));
    expect(stats.edges.READS).toBe(refs('services', 'reads'));
    expect(stats.edges.WRITES).toBe(refs('services', 'writes'));
    expect(stats.edges.GRANTS).toBe(refs('credentials', 'grants'));
    expect(stats.edges.DERIVED_FROM).toBe(refs('datasets', 'derivedFrom'));
    expect(stats.edges.BELONGS_TO).toBe(refs('datasets', 'belongsTo'));
    expect(stats.edges.USES).toBe(refs('customers', 'uses'));
    expect(stats.edges.DEPENDS_ON).toBe(refs('services', 'dependsOn') + refs('packages', 'dependsOn'));
    expect(stats.edges.VERSION_OF).toBe(versions.length);
    expect(doc.services!.length).toBeGreaterThanOrEqual(30);
    expect(doc.credentials!.length).toBeGreaterThanOrEqual(40);
    expect(doc.datasets!.length).toBeGreaterThanOrEqual(20);
    expect(doc.customers!.length).toBeGreaterThanOrEqual(8);
    expect(summary.snapshotId).toBe(stats.snapshotId);
  });
});

describe('GraphStore conformance: every store holds the same content', () => {
  const opened: Array<{ adapter: (typeof STORES)[number]; store: GraphStore }> = [];
  beforeAll(async () => {
    for (const adapter of STORES) opened.push({ adapter, store: await adapter.setup() });
  });
  afterAll(async () => {
    for (const { adapter, store } of opened) await adapter.teardown(store);
  });

  it('gives the same snapshotId, nodes and edges on every backend for the reference scenario', async () => {
    const text = readFileSync(SCENARIO, 'utf8');
    const results = [];
    for (const { store } of opened) {
      const prepared = prepareInput('seed/reference/scenario.yaml', text, { ingestedAt: '2026-03-26T00:00:00Z' });
      await store.write(prepared.batch);
      const nodes = await store.listNodes({ first: 10_000 });
      const edges = await store.edgesOf(nodes.map((n) => n.id), { direction: 'out' });
      results.push({ snapshotId: await store.snapshotId(), nodes, edges });
    }
    expect(results).toHaveLength(STORES.length);
    for (const r of results.slice(1)) {
      expect(r.snapshotId).toBe(results[0]!.snapshotId);
      expect(r.nodes).toEqual(results[0]!.nodes);
      expect(r.edges).toEqual(results[0]!.edges);
    }
  });
});
