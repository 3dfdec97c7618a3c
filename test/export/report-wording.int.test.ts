/** The report's summary speaks of one customer in the singular (issue 14, item 10). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/cli/main.js';

const INVENTORY = `version: 1
services:
  - { id: "svc:acme/api", dependsOn: ["pkg:pypi/evil@1.0.0"] }
customers:
  - { id: "org:solo", name: Solo Ltd, uses: ["svc:acme/api"] }
  - { id: "org:other", name: Other Ltd }
`;

describe('report wording', () => {
  let dir: string;
  const saved = { ...process.env };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'blast-wording-'));
    Object.assign(process.env, { BLAST_DATA_DIR: join(dir, 'data'), BLAST_STORE: 'embedded', BLAST_NOW: '2026-04-01T00:00:00Z' });
    writeFileSync(join(dir, 'inventory.yaml'), INVENTORY);
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('"1 customer or partner is affected", not "1 customers or partners are"', async () => {
    const io = { out: () => undefined, err: () => undefined, interactive: false };
    expect(await main(['ingest', join(dir, 'inventory.yaml')], io)).toBe(0);
    expect(await main(['export', 'pkg:pypi/evil@1.0.0', '--out', join(dir, 'out'), '--generated-at', '2026-04-01T00:00:00Z'], io)).toBe(0);
    const md = readFileSync(join(dir, 'out', 'report.md'), 'utf8');
    expect(md).toContain('1 customer or partner is affected: Solo Ltd (org:solo).');
    expect(md).not.toMatch(/\b1 customers\b/);
  });
});
