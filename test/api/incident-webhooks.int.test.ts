/**
 * Outgoing webhooks for incident revisions, against a real HTTP receiver on 127.0.0.1: the body is the
 * revision, the HMAC-SHA256 signature checks out, failures are retried with backoff (the same body and
 * delivery id each time), a refusal (4xx) is not retried, and a slow receiver never holds up a write.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/api/create-app.js';
import { SIGNATURE_HEADER } from '../../server/api/incident-webhooks.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node } from '../support/batches.js';
import { STORES, startFrom, useStore } from '../support/stores.js';
import { gql, makeApp, quietLog } from './helpers.js';

const SEED = 'pkg:npm/evil@1.0.0';
const SECRET = 'test-webhook-secret-\u00e9';
const graph = () =>
  batch([node(SEED, { compromisedAt: '2026-03-24T10:00:00Z' })], [edge('svc:a', 'DEPENDS_ON', SEED), edge('org:a', 'USES', 'svc:a')]);

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver that answers each request with the next status of `script` (then 200), or waits for `hold`. */
class Receiver {
  readonly received: Received[] = [];
  script: number[] = [];
  hold: Promise<void> | null = null;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (this.hold) await this.hold;
        res.statusCode = this.script.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/blast`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function validSignature(r: Received): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(r.body, 'utf8').digest('hex')}`);
  const given = Buffer.from(String(r.headers[SIGNATURE_HEADER] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe.each(STORES)('incident webhooks: $backend', (adapter) => {
  let store: GraphStore;
  const receiver = new Receiver();
  useStore(adapter, (s) => (store = s), { beforeEach: startFrom(graph) });
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  it('delivers each revision signed, retrying failures with the same body, and not retrying a refusal', async () => {
    receiver.received.length = 0;
    receiver.script = [500, 503];
    const app = makeApp(store, { watchIncidents: { pollMs: 0 }, webhook: { url: receiver.url, secret: SECRET, backoffMs: 20 } });
    const q = (query: string, variables?: Record<string, unknown>) => gql((r) => app.fetch(r), 'http://127.0.0.1', query, variables);
    try {
      await q(`mutation { createIncident(input: { id: "inc:evil", name: "evil", seeds: [{ id: "${SEED}" }] }) { id } }`);
      await app.watcher!.idle();
      await app.webhook!.idle();
      // 500, 503, then 200: three attempts of one delivery, byte for byte the same.
      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
      for (const r of receiver.received) {
        expect(validSignature(r)).toBe(true);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['x-blast-event']).toBe('incident.revision');
        expect(r.headers['x-blast-delivery']).toBe('inc:evil#1');
      }
      const payload = JSON.parse(receiver.received[0]!.body);
      const stored = await q(`{ incident(id: "inc:evil") { revisions { edges { node { revision snapshotId at diff { nodes { added { id firstExposedAt } removed { id firstExposedAt } moved { id from to } } customers { added { id firstExposedAt } removed { id firstExposedAt } moved { id from to } } } } } } } }`);
      expect(payload).toEqual({ event: 'incident.revision', incident: 'inc:evil', revision: stored.body.data!.incident.revisions.edges[0].node });
      expect(payload.revision.diff.customers.added).toEqual([{ id: 'org:a', firstExposedAt: '2026-03-24T10:00:00Z' }]);
      // A tampered body fails the check.
      expect(validSignature({ ...receiver.received[0]!, body: receiver.received[0]!.body.replace('org:a', 'org:b') })).toBe(false);

      // The receiver refuses the next one (400): given up at once.
      receiver.received.length = 0;
      receiver.script = [400];
      await q(`mutation ($input: IngestInput!) { ingest(input: $input) { format } }`, { input: { name: 'b.yaml', content: `version: 1\ncustomers:\n  - id: org:b\n    uses: [svc:a]\n` } });
      await app.watcher!.idle();
      await app.webhook!.idle();
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.headers['x-blast-delivery']).toBe('inc:evil#2');
      expect(validSignature(receiver.received[0]!)).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('never holds up a write: the mutation is answered while the receiver is still busy', async () => {
    receiver.received.length = 0;
    receiver.script = [];
    let release!: () => void;
    receiver.hold = new Promise<void>((resolve) => (release = resolve));
    const app = makeApp(store, { watchIncidents: { pollMs: 0 }, webhook: { url: receiver.url, secret: SECRET, backoffMs: 20 } });
    const q = (query: string) => gql((r) => app.fetch(r), 'http://127.0.0.1', query);
    try {
      await q(`mutation { createIncident(input: { id: "inc:evil", name: "evil", seeds: [{ id: "${SEED}" }] }) { id } }`);
      await app.watcher!.idle();
      // The first delivery is now waiting on the receiver; a write goes through regardless.
      for (let i = 0; i < 100 && receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(receiver.received).toHaveLength(1);
      const marked = await q(`mutation { markCompromised(id: "svc:a", at: "2026-03-24T09:00:00Z") { id } }`);
      expect(marked.body.errors).toBeUndefined();
      expect(receiver.received).toHaveLength(1);
      release();
      receiver.hold = null;
      await app.watcher!.idle();
      await app.webhook!.idle();
    } finally {
      receiver.hold = null;
      release?.();
      await app.close();
    }
  });

  it('refuses a webhook URL that is not http(s)', () => {
    expect(() => createApp({ store, webRoot: null, log: quietLog, watchIncidents: { pollMs: 0 }, webhook: { url: 'file:///etc/passwd', secret: SECRET } })).toThrow(/not an http\(s\) URL/);
  });
});
