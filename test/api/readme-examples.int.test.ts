/**
 * The README's API examples, run exactly as a user would: examples/affected-customers.sh (curl + jq)
 * and examples/affected-customers.mjs (Node + graphql-request), against a live server on a real port,
 * on every store, with and without bearer tokens.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES } from '../support/stores.js';
import { loadScenario, makeApp, overHttp } from './helpers.js';

const EXAMPLES = [
  { name: 'affected-customers.sh', command: 'bash', file: fileURLToPath(new URL('../../examples/affected-customers.sh', import.meta.url)) },
  { name: 'affected-customers.mjs', command: process.execPath, file: fileURLToPath(new URL('../../examples/affected-customers.mjs', import.meta.url)) },
];
const LITELLM = 'pkg:pypi/litellm@1.82.8';
const TOKEN = 'readme-viewer-token-0123456789';

function run(command: string, file: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A clean environment: only what the README tells the user to set.
    execFile(command, [file], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('README examples: the README shows them as they are', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  it.each(EXAMPLES)('README.md holds $name verbatim', ({ file }) => {
    expect(readme).toContain(readFileSync(file, 'utf8').trimEnd());
  });
});

describe.each(STORES)('README examples: $backend', (adapter) => {
  let store: GraphStore;
  let expected: string[];
  beforeAll(async () => {
    store = await adapter.setup();
    await loadScenario(store);
    const radius = await computeBlastRadius(store, [{ id: LITELLM }]);
    expected = radius.customers.map((c) => [c.firstExposedAt ?? 'unknown', c.id, c.name].join('\t'));
  });
  afterAll(async () => {
    await adapter.teardown(store);
  });

  it('the reference answer is what the README shows', () => {
    expect(expected.map((l) => l.split('\t')[1])).toEqual([
      'org:google-deepmind',
      'org:brightpath-learning',
      'org:meta',
      'org:openai',
      'org:klarheit-ai',
      'org:microsoft',
    ]);
    expect(expected[0]).toBe('2026-03-24T11:03:00Z\torg:google-deepmind\tGoogle DeepMind');
    // The output block the README shows is exactly this answer.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`text\n${expected.join('\n')}\n\`\`\``);
  });

  describe.each(EXAMPLES)('$name', ({ command, file }) => {
    it('lists the affected customers with their first exposure (open server)', async () => {
      const t = await overHttp(makeApp(store));
      try {
        const r = await run(command, file, { BLAST_URL: `${t.base}/graphql` });
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout.trimEnd().split('\n')).toEqual(expected);
      } finally {
        await t.close();
      }
    });

    it('sends BLAST_TOKEN, and says UNAUTHENTICATED without it', async () => {
      const t = await overHttp(makeApp(store, { tokens: `${TOKEN}:viewer` }));
      try {
        const ok = await run(command, file, { BLAST_URL: `${t.base}/graphql`, BLAST_TOKEN: TOKEN });
        expect(ok.code, ok.stderr).toBe(0);
        expect(ok.stdout.trimEnd().split('\n')).toEqual(expected);
        const denied = await run(command, file, { BLAST_URL: `${t.base}/graphql` });
        expect(denied.code).toBe(1);
        expect(denied.stdout).toBe('');
        expect(denied.stderr).toMatch(/^error: .*Authorization: Bearer.* \[UNAUTHENTICATED\]\n$/);
      } finally {
        await t.close();
      }
    });
  });
});
