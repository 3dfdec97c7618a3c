/**
 * Mutations on every store: ingest (any format, atomic, dry run, errors naming the line or pointer),
 * markCompromised, incidents (create, update, list, their blast radius) and the admin reset.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES } from '../support/stores.js';
import { errorCode, gql, inProcess, loadScenario, makeApp, type Transport } from './helpers.js';

const OSV = readFileSync(new URL('../../../shared/fixtures/real/osv/MAL-2026-2144.json', import.meta.url), 'utf8');
const INVENTORY = `version: 1
services:
  - id: svc:acme/labeling-api
    name: Labeling API
    kind: app
    dependsOn:
      - { purl: pkg:pypi/litellm@1.82.8, since: 2026-03-24T10:58:00Z, until: 2026-03-24T16:20:00Z }
    holds: [cred:acme/aws-prod-s3-reader]
credentials:
  - id: cred:acme/aws-prod-s3-reader
    type: aws-access-key
    grants:
      - { id: ds:acme/rlhf-transcripts, access: read }
datasets:
  - id: ds:acme/rlhf-transcripts
    belongsTo: [org:meta]
customers:
  - id: org:meta
    name: Meta
`;

const INGEST = `mutation ($input: IngestInput!) { ingest(input: $input) { name format sha256 nodes { added updated unchanged } edges { added updated unchanged } snapshotId warnings dryRun } }`;
const INCIDENT_FIELDS = `id name status seeds { id at } window { start end } notes options createdAt updatedAt node { kind sources { source } }`;

describe.each(STORES)('GraphQL mutations: $backend', (adapter) => {
  let store: GraphStore;
  let t: Transport;
  const q = (query: string, variables?: Record<string, unknown>) => gql(t.fetch, t.base, query, variables);
  beforeAll(async () => {
    store = await adapter.setup();
    t = await inProcess(makeApp(store));
  });
  afterAll(async () => {
    await adapter.teardown(store);
  });
  beforeEach(async () => {
    await store.clear();
  });

  it('ingests an inventory, idempotently, with a dry run that writes nothing', async () => {
    const dry = await q(INGEST, { input: { name: 'inventory/acme.yaml', content: INVENTORY, dryRun: true } });
    expect(dry.body.errors).toBeUndefined();
    expect(dry.body.data!.ingest).toMatchObject({ name: 'inventory/acme.yaml', format: 'inventory', dryRun: true });
    expect(dry.body.data!.ingest.nodes.added).toBeGreaterThan(0);
    expect((await store.stats()).totalNodes).toBe(0);

    const first = await q(INGEST, { input: { name: 'inventory/acme.yaml', content: INVENTORY } });
    expect(first.body.errors).toBeUndefined();
    const r = first.body.data!.ingest;
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.nodes).toEqual(dry.body.data!.ingest.nodes);
    expect(r.snapshotId).toBe(await store.snapshotId());
    const again = await q(INGEST, { input: { name: 'inventory/acme.yaml', content: INVENTORY } });
    expect(again.body.data!.ingest.nodes).toMatchObject({ added: 0, updated: 0 });
    expect(again.body.data!.ingest.snapshotId).toBe(r.snapshotId);

    const node = await q(`{ node(id: "svc:acme/labeling-api") { name sources { source } } }`);
    expect(node.body.data!.node).toEqual({ name: 'Labeling API', sources: [{ source: 'inventory/acme.yaml' }] });
  });

  it('ingests other formats, detected from content (an OSV record)', async () => {
    await loadScenario(store);
    const r = await q(INGEST, { input: { name: 'osv/MAL-2026-2144.json', content: OSV } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.ingest.format).toBe('osv');
    const adv = await q(`{ search(text: "MAL-2026-2144", kinds: [Advisory]) { id kind } }`);
    expect(adv.body.errors).toBeUndefined();
    expect(adv.body.data!.search[0]).toEqual({ id: 'osv:MAL-2026-2144', kind: 'Advisory' });
  });

  it('refuses bad input with a code, the input name and the line, and changes nothing', async () => {
    const bad = await q(INGEST, { input: { name: 'broken.yaml', content: INVENTORY.replace('kind: app', 'kind: [app') } });
    expect(errorCode(bad)).toBe('BAD_INPUT');
    expect(bad.body.errors![0]!.extensions).toMatchObject({ input: 'broken.yaml' });
    expect(String(bad.body.errors![0]!.extensions!.location)).toMatch(/^line \d+$/);
    const secret = await q(INGEST, { input: { name: 'leak.yaml', content: `${INVENTORY}  - id: org:leak\n    contact: AKIAIOSFODNN7EXAMPLE\n` } });
    expect(errorCode(secret)).toBe('SECRET_REFUSED');
    expect(secret.body.errors![0]!.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(errorCode(await q(INGEST, { input: { name: 'x.bin', content: 'just some words\nthat are no format\n' } }))).toBe('UNKNOWN_FORMAT');
    expect(errorCode(await q(INGEST, { input: { name: '', content: INVENTORY } }))).toBe('BAD_INPUT');
    expect((await store.stats()).totalNodes).toBe(0);
  });

  it('marks a node compromised (NOT_FOUND for an unknown node)', async () => {
    await loadScenario(store);
    const r = await q(`mutation { markCompromised(id: "pkg:pypi/litellm@1.82.7", at: "2026-03-24T12:39:00+02:00") { id compromised compromisedAt sources { source } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.markCompromised).toMatchObject({ id: 'pkg:pypi/litellm@1.82.7', compromised: true, compromisedAt: '2026-03-24T10:39:00Z' });
    expect(r.body.data!.markCompromised.sources.map((s: { source: string }) => s.source)).toContain('api:markCompromised');
    expect((await store.compromisedNodes()).map((n) => n.id)).toContain('pkg:pypi/litellm@1.82.7');
    expect(errorCode(await q(`mutation { markCompromised(id: "svc:acme/ghost") { id } }`))).toBe('NOT_FOUND');
    expect(errorCode(await q(`mutation { markCompromised(id: "pkg:pypi/litellm@1.82.7", at: "soon") { id } }`))).toBe('BAD_INPUT');
  });

  it('creates, updates, lists and reads incidents, stored as graph nodes', async () => {
    await loadScenario(store);
    const created = await q(`mutation ($input: CreateIncidentInput!) { createIncident(input: $input) { ${INCIDENT_FIELDS} } }`, {
      input: {
        name: '2026-03 litellm',
        seeds: [{ id: 'pkg:pypi/litellm@1.82.8' }, { id: 'pkg:pypi/LiteLLM@1.82.7', at: '2026-03-24T10:39:00Z' }],
        window: { start: '2026-03-24T10:39:00Z' },
        notes: 'PyPI quarantined the project hours later.',
        options: { minConfidence: 'likely' },
      },
    });
    expect(created.body.errors).toBeUndefined();
    const inc = created.body.data!.createIncident;
    expect(inc).toMatchObject({
      id: 'inc:2026-03-litellm',
      name: '2026-03 litellm',
      status: 'open',
      seeds: [{ id: 'pkg:pypi/litellm@1.82.7', at: '2026-03-24T10:39:00Z' }, { id: 'pkg:pypi/litellm@1.82.8', at: null }],
      window: { start: '2026-03-24T10:39:00Z', end: null },
      options: { minConfidence: 'likely' },
      node: { kind: 'Incident', sources: [{ source: 'api:createIncident' }] },
    });
    expect(inc.createdAt).toBe(inc.updatedAt);
    const dup = await q(`mutation { createIncident(input: { name: "2026-03 litellm", seeds: [{ id: "org:meta" }] }) { id } }`);
    expect(errorCode(dup)).toBe('CONFLICT');

    const updated = await q(`mutation { updateIncident(id: "inc:2026-03-litellm", input: { status: contained, window: { start: "2026-03-24T10:39:00Z", end: "2026-03-24T16:00:00Z" }, notes: null }) { ${INCIDENT_FIELDS} } }`);
    expect(updated.body.errors).toBeUndefined();
    expect(updated.body.data!.updateIncident).toMatchObject({ status: 'contained', notes: null, name: '2026-03 litellm', window: { end: '2026-03-24T16:00:00Z' } });
    expect(updated.body.data!.updateIncident.seeds).toEqual(inc.seeds);
    expect(errorCode(await q(`mutation { updateIncident(id: "inc:none", input: { status: closed }) { id } }`))).toBe('NOT_FOUND');
    expect(errorCode(await q(`mutation { updateIncident(id: "org:meta", input: { status: closed }) { id } }`))).toBe('BAD_INPUT');

    await q(`mutation { createIncident(input: { id: "inc:b-closed", name: "old", status: closed, seeds: [{ id: "org:meta" }] }) { id } }`);
    const list = await q(`{ all: incidents { edges { node { id status } } pageInfo { hasNextPage } } open: incidents(status: contained, first: 1) { edges { cursor node { id } } pageInfo { hasNextPage } } }`);
    expect(list.body.data!.all.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['inc:2026-03-litellm', 'inc:b-closed']);
    expect(list.body.data!.open.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['inc:2026-03-litellm']);
    expect(list.body.data!.open.pageInfo.hasNextPage).toBe(false);

    // The incident's radius is the engine's for its seeds and saved options.
    const radius = await q(`{ incident(id: "inc:2026-03-litellm") { blastRadius { seeds { id at } options customers { id } } } }`);
    expect(radius.body.errors).toBeUndefined();
    const br = radius.body.data!.incident.blastRadius;
    expect(br.options.minConfidence).toBe('likely');
    expect(br.seeds.map((s: { id: string }) => s.id)).toEqual(['pkg:pypi/litellm@1.82.7', 'pkg:pypi/litellm@1.82.8']);
    expect(br.customers.map((c: { id: string }) => c.id)).toContain('org:google-deepmind');
    expect((await q(`{ incident(id: "inc:none") { id } }`)).body.data!.incident).toBeNull();
    // Incidents are nodes: they show up in nodes(kind: Incident) and in stats.
    expect((await q(`{ nodes(kind: Incident) { totalCount } }`)).body.data!.nodes.totalCount).toBe(2);
  });

  it('refuses secrets in incident notes', async () => {
    const r = await q(`mutation { createIncident(input: { name: "leak", seeds: [{ id: "org:meta" }], notes: "token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB" }) { id } }`);
    expect(errorCode(r)).toBe('SECRET_REFUSED');
  });

  it('resets the graph only with the current snapshotId', async () => {
    await loadScenario(store);
    const wrong = await q(`mutation { resetGraph(confirmSnapshotId: "sha256:0") { totalNodes } }`);
    expect(errorCode(wrong)).toBe('CONFLICT');
    const current = await store.snapshotId();
    const r = await q(`mutation ($s: String!) { resetGraph(confirmSnapshotId: $s) { totalNodes snapshotId } }`, { s: current });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.resetGraph.totalNodes).toBe(0);
  });
});
