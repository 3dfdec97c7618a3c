/**
 * `incidentChanged` over Server-Sent Events, on a real socket, on every store: a client subscribed to
 * an incident receives its next revision when a write changes the answer, and nothing for others.
 */
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node } from '../support/batches.js';
import { STORES, startFrom, useStore } from '../support/stores.js';
import { gql, makeApp, overHttp } from './helpers.js';

const SEED = 'pkg:npm/evil@1.0.0';
const graph = () => batch([node(SEED, { compromisedAt: '2026-03-24T10:00:00Z' })], [edge('svc:a', 'DEPENDS_ON', SEED), edge('org:a', 'USES', 'svc:a')]);

/** Reads SSE `data:` payloads from a response body, one JSON object each. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<Record<string, any>> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const event = text.slice(0, end);
      text = text.slice(end + 2);
      const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      if (data) yield JSON.parse(data);
    }
  }
}

describe.each(STORES)('incidentChanged over SSE: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: startFrom(graph) });

  it('streams the next revision of the incident subscribed to', async () => {
    const app = makeApp(store, { watchIncidents: { pollMs: 0 } });
    const http = await overHttp(app);
    const q = (query: string, variables?: Record<string, unknown>) => gql((r) => fetch(r), http.base, query, variables);
    const abort = new AbortController();
    try {
      for (const id of ['inc:evil', 'inc:other']) await q(`mutation { createIncident(input: { id: "${id}", name: "${id}", seeds: [{ id: "${SEED}" }] }) { id } }`);
      await app.watcher!.idle();
      const response = await fetch(`${http.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: 'subscription { incidentChanged(id: "inc:evil") { incident revision { revision snapshotId diff { customers { added { id firstExposedAt } } } } } }' }),
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const stream = events(response.body!);
      const ingested = await q(`mutation ($input: IngestInput!) { ingest(input: $input) { format } }`, { input: { name: 'b.yaml', content: 'version: 1\ncustomers:\n  - id: org:b\n    uses: [svc:a]\n' } });
      expect(ingested.body.errors).toBeUndefined();
      const first = await stream.next();
      // Only inc:evil's revision 2 (inc:other changed too, but was not asked for).
      expect(first.value).toEqual({
        data: {
          incidentChanged: {
            incident: 'inc:evil',
            revision: { revision: 2, snapshotId: expect.stringMatching(/^sha256:/), diff: { customers: { added: [{ id: 'org:b', firstExposedAt: '2026-03-24T10:00:00Z' }] } } },
          },
        },
      });
      await app.watcher!.idle();
      const other = await q(`{ incident(id: "inc:other") { revisions { totalCount } } }`);
      expect(other.body.data!.incident.revisions.totalCount).toBe(2);
    } finally {
      abort.abort();
      await http.close();
      await app.close();
    }
  });

  it('is refused by an app that does not watch incidents', async () => {
    const app = makeApp(store);
    const r = await gql((req) => app.fetch(req), 'http://127.0.0.1', 'subscription { incidentChanged { incident } }');
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    await app.close();
  });
});
