/** `--format table`: customers first with their notification deadline, then assets by kind, aligned. */
import { describe, expect, it } from 'vitest';
import type { BlastRadius } from '../../server/engine/blast-radius.js';
import { formatTable } from '../../server/engine/format-table.js';

const hop = (from: string, edge: 'DEPENDS_ON' | 'HOLDS' | 'USES' | 'GRANTS', to: string, arrival: string | null) => ({ from, edge, to, arrival, sources: [] });

const RESULT: BlastRadius = {
  snapshotId: 'sha256:abc',
  seeds: [
    { id: 'pkg:pypi/litellm@1.82.8', at: '2026-03-24T10:52:00Z', found: true },
    { id: 'svc:acme/ghost', at: null, found: false },
  ],
  options: { maxHops: null, edgeKinds: ['DEPENDS_ON', 'HOLDS', 'USES'], minConfidence: 'possible', asOf: null, contained: [] },
  affected: [
    { id: 'cred:acme/key', kind: 'Credential', name: 'acme/key', firstExposedAt: null, hops: 2, confidence: 'confirmed', path: [] },
    {
      id: 'svc:acme/labeling-api',
      kind: 'Service',
      name: 'Labeling API',
      firstExposedAt: '2026-03-24T10:58:00Z',
      hops: 1,
      confidence: 'likely',
      path: [hop('pkg:pypi/litellm@1.82.8', 'DEPENDS_ON', 'svc:acme/labeling-api', '2026-03-24T10:58:00Z')],
    },
    {
      id: 'org:meta',
      kind: 'Customer',
      name: 'Meta',
      firstExposedAt: '2026-03-24T10:58:00Z',
      hops: 2,
      confidence: 'likely',
      path: [hop('pkg:pypi/litellm@1.82.8', 'DEPENDS_ON', 'svc:acme/labeling-api', '2026-03-24T10:58:00Z'), hop('svc:acme/labeling-api', 'USES', 'org:meta', '2026-03-24T10:58:00Z')],
    },
    { id: 'org:unknown-time', kind: 'Customer', name: 'Unknown Ltd', firstExposedAt: null, hops: 3, confidence: 'confirmed', path: [] },
  ],
  customers: [
    { id: 'org:unknown-time', name: 'Unknown Ltd', firstExposedAt: null, reasons: [{ via: 'svc:acme/x', path: [] }] },
    { id: 'org:meta', name: 'Meta', firstExposedAt: '2026-03-24T10:58:00Z', reasons: [{ via: 'svc:acme/labeling-api', path: [] }] },
  ],
};

describe('formatTable', () => {
  it('lists customers first with their deadline, then assets grouped by kind', () => {
    const text = formatTable(RESULT, new Map([['org:meta', { props: { notifyWithinHours: 72 } }], ['org:unknown-time', { props: { notifyWithinHours: 24 } }]]));
    expect(text).toBe(
      [
        'Blast radius of sha256:abc',
        '  seed pkg:pypi/litellm@1.82.8  from 2026-03-24 10:52 UTC',
        '  seed svc:acme/ghost  NOT FOUND: reaches nothing',
        '  max hops unlimited; min confidence possible; as of now; edges DEPENDS_ON,HOLDS,USES',
        '',
        'Affected customers and partners: 2',
        '  NAME         ID                FIRST EXPOSED         HOPS  CONFIDENCE  NOTIFY BY                          VIA',
        '  Unknown Ltd  org:unknown-time  unknown (earliest)    3     confirmed   24h after exposure (time unknown)  svc:acme/x',
        '  Meta         org:meta          2026-03-24 10:58 UTC  2     likely      2026-03-27 10:58 UTC               svc:acme/labeling-api',
        '',
        'Affected assets: 2',
        '',
        'Service (1)',
        '  ID                     NAME          FIRST EXPOSED         HOPS  CONFIDENCE  FROM',
        '  svc:acme/labeling-api  Labeling API  2026-03-24 10:58 UTC  1     likely      pkg:pypi/litellm@1.82.8',
        '',
        'Credential (1)',
        '  ID             NAME      FIRST EXPOSED       HOPS  CONFIDENCE  FROM',
        '  cred:acme/key  acme/key  unknown (earliest)  2     confirmed',
        '',
      ].join('\n'),
    );
  });

  it('never shows an empty NAME: a node without a name shows the name derived from its id', () => {
    const unnamed = { ...RESULT, affected: RESULT.affected.map((a) => (a.id === 'cred:acme/key' ? { ...a, name: '' } : a)), customers: RESULT.customers.map((c) => ({ ...c, name: '' })) };
    const text = formatTable(unnamed);
    expect(text).toContain('  cred:acme/key  acme/key  unknown (earliest)  2     confirmed');
    expect(text).toMatch(/^  meta {2,}org:meta /m);
  });

  it('shows no deadline without notifyWithinHours, and no trailing spaces anywhere', () => {
    const text = formatTable(RESULT);
    expect(text).toContain('  Meta         org:meta          2026-03-24 10:58 UTC  2     likely      -          svc:acme/labeling-api');
    for (const line of text.split('\n')) expect(line).toBe(line.trimEnd());
  });
});
