/**
 * The rotation queue on a hand-made graph, on every store; the CLI, GraphQL and the export's CSV say
 * the same. Times are on 2026-03-24 (`10:00` = 2026-03-24T10:00:00Z); the seed pkg:npm/evil@1.0.0 is
 * compromised from 10:00.
 *
 *   evil -> svc:web (from 10:00)  holds cred:web-db    -> ds:orders  -> org:slow (notify within 240 h)
 *                                  holds cred:web-logs  -> ds:logs    -> org:fast (notify within 24 h), org:slow
 *        -> svc:batch (from 11:00) holds cred:batch    -> ds:orders
 *                                  holds cred:rotated   (rotatedAt 12:00, after its 11:00 exposure: off the queue)
 *                                  holds cred:idle      (opens nothing)
 *
 * Deadlines: org:fast first reached at 10:00 via ds:logs -> 03-25 10:00 (24 h); org:slow at 10:00
 * -> 04-03 10:00 (240 h). Queue:
 *   1. cred:web-logs: leads to org:fast and org:slow; earliest deadline 03-25 10:00 (org:fast).
 *   2. cred:web-db:   leads to org:slow only, deadline 04-03 10:00, exposed 10:00.
 *   3. cred:batch:    leads to org:slow only, deadline 04-03 10:00, exposed 11:00 (same deadline and
 *                     count as web-db; exposed later, so after it).
 *   4. cred:idle:     leads to no customer: last.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gql, makeApp } from '../api/helpers.js';
import { registerRotationQueue } from '../../server/cli/commands/rotation-queue.js';
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import { rotationQueue } from '../../server/engine/rotation-queue.js';
import { exportBlastRadius } from '../../server/export/export-blast-radius.js';
import { ROTATION_COLUMNS } from '../../server/export/incident-actions.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node } from '../support/batches.js';
import { runCli } from '../support/cli.js';
import { STORES, startFrom, useStore } from '../support/stores.js';
import { parseCsvObjects } from '../export/rfc4180.js';

const at = (hm: string, day = '2026-03-24') => `${day}T${hm}:00Z`;
const SEED = 'pkg:npm/evil@1.0.0';

const graph = () =>
  batch(
    [
      node(SEED, { compromisedAt: at('10:00') }),
      node('org:fast', { notifyWithinHours: 24 }, 'Fast Ltd'),
      node('org:slow', { notifyWithinHours: 240 }, 'Slow plc'),
      node('cred:web-db', { type: 'postgres-password' }),
      node('cred:rotated', { rotatedAt: at('12:00') }),
    ],
    [
      edge('svc:web', 'DEPENDS_ON', SEED, { since: at('10:00') }),
      edge('svc:batch', 'DEPENDS_ON', SEED, { since: at('11:00') }),
      edge('svc:web', 'HOLDS', 'cred:web-db'),
      edge('svc:web', 'HOLDS', 'cred:web-logs'),
      edge('svc:batch', 'HOLDS', 'cred:batch'),
      edge('svc:batch', 'HOLDS', 'cred:rotated'),
      edge('svc:batch', 'HOLDS', 'cred:idle'),
      edge('cred:web-db', 'GRANTS', 'ds:orders', { access: 'write' }),
      edge('cred:web-db', 'GRANTS', 'ds:orders', { access: 'read' }),
      edge('cred:batch', 'GRANTS', 'ds:orders', { access: 'read' }),
      edge('cred:web-logs', 'GRANTS', 'ds:logs', { access: 'read' }),
      edge('cred:rotated', 'GRANTS', 'ds:logs', { access: 'read' }),
      edge('ds:orders', 'BELONGS_TO', 'org:slow'),
      edge('ds:logs', 'BELONGS_TO', 'org:fast'),
      edge('ds:logs', 'BELONGS_TO', 'org:slow'),
    ],
  );

describe.each(STORES)('rotation queue: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: startFrom(graph) });
  const queueOf = async () => rotationQueue(store, await computeBlastRadius(store, [{ id: SEED }]));

  it('orders by the earliest deadline behind each credential, then customers, then exposure; drops the rotated', async () => {
    const q = await queueOf();
    expect(q.credentials.map((c) => [c.credential, c.deadline, c.deadlineCustomer, c.customers])).toEqual([
      ['cred:web-logs', at('10:00', '2026-03-25'), 'org:fast', ['org:fast', 'org:slow']],
      ['cred:web-db', at('10:00', '2026-04-03'), 'org:slow', ['org:slow']],
      ['cred:batch', at('10:00', '2026-04-03'), 'org:slow', ['org:slow']],
      ['cred:idle', null, null, []],
    ]);
    const webDb = q.credentials[1]!;
    expect(webDb).toMatchObject({
      type: 'postgres-password',
      firstExposedAt: at('10:00'),
      heldBy: ['svc:web'],
      opens: [
        { id: 'ds:orders', access: 'read' },
        { id: 'ds:orders', access: 'write' },
      ],
    });
    expect(webDb.path.map((h) => h.to)).toEqual(['svc:web', 'cred:web-db']);
  });

  it('a credential rotated before the radius reaches it is never reached, so never queued; one rotated later leaves', async () => {
    // Rotating cred:web-logs at 10:30 (after its 10:00 exposure) takes it off the queue.
    await store.write(batch([node('cred:web-logs', { rotatedAt: at('10:30') })]));
    const q = await queueOf();
    expect(q.credentials.map((c) => c.credential)).toEqual(['cred:web-db', 'cred:batch', 'cred:idle']);
  });

  it('says the same through the CLI, GraphQL and the export CSV', async () => {
    const expected = await queueOf();
    const printed = await runCli(store, registerRotationQueue, ['rotation-queue', SEED, '--format', 'json']);
    expect(printed).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    const table = await runCli(store, registerRotationQueue, ['rotation-queue', SEED, '--format', 'table']);
    expect(table).toMatch(/^  1  cred:web-logs +2026-03-24 10:00 UTC +2026-03-25 10:00 UTC \(org:fast\) +2 +svc:web +ds:logs \(read\)$/m);

    const app = makeApp(store);
    const r = await gql((req) => app.fetch(req), 'http://127.0.0.1', `query ($seeds: [SeedInput!]) { rotationQueue(seeds: $seeds) {
      snapshotId credentials { credential name type firstExposedAt rotatedAt revokedAt deadline deadlineCustomer customers opens { id access } heldBy path { from edge to arrival sources } } } }`, { seeds: [{ id: SEED }] });
    expect(r.body.errors).toBeUndefined();
    expect(`${JSON.stringify(r.body.data!.rotationQueue, null, 2)}\n`).toBe(printed);

    const dir = mkdtempSync(join(tmpdir(), 'blast-rotation-export-'));
    try {
      await exportBlastRadius(store, [{ id: SEED }], {}, { outDir: dir, generatedAt: at('10:30') });
      const { header, rows } = parseCsvObjects(readFileSync(join(dir, 'rotation-queue.csv'), 'utf8'));
      expect(header).toEqual([...ROTATION_COLUMNS]);
      expect(rows.map((row) => [row.rank, row.credential, row.notification_deadline, row.customer_count])).toEqual([
        ['1', 'cred:web-logs', at('10:00', '2026-03-25'), '2'],
        ['2', 'cred:web-db', at('10:00', '2026-04-03'), '1'],
        ['3', 'cred:batch', at('10:00', '2026-04-03'), '1'],
        ['4', 'cred:idle', '', '0'],
      ]);
      const report = readFileSync(join(dir, 'report.md'), 'utf8');
      expect(report).toContain('## Credentials to rotate');
      // At 10:30 svc:batch (11:00) is not reached yet: containing it (3) or rotating cred:batch (2)
      // protects nothing (org:slow is already reached via cred:web-db at 10:00), so nothing is left.
      expect(report).toContain(`## Containment plan at ${at('10:30')}`);
      expect(report).toContain('Nothing left to cut at this time.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
