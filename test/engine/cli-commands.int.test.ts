/** `blast radius` and `blast compromise` as registered commands, on every store. */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCompromise } from '../../server/cli/commands/compromise.js';
import { registerRadius } from '../../server/cli/commands/radius.js';
import type { CliContext } from '../../server/cli/context.js';
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node } from '../support/batches.js';
import { STORES, startFrom, useStore } from '../support/stores.js';

describe.each(STORES)('blast radius / compromise commands: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), {
    beforeEach: startFrom(() =>
      batch(
        [node('pkg:pypi/litellm@1.82.8', { publishedAt: '2026-03-24T10:52:00Z' }), node('org:meta', { notifyWithinHours: 72 }, 'Meta')],
        [
          edge('svc:acme/api', 'DEPENDS_ON', 'pkg:pypi/litellm@1.82.8', { since: '2026-03-24T11:00:00Z' }),
          edge('svc:acme/api', 'HOLDS', 'cred:acme/key', { since: '2026-03-24T12:00:00Z' }),
          edge('org:meta', 'USES', 'svc:acme/api'),
        ],
      ),
    ),
  });

  /** Runs one command line; resolves to stdout, rejects with what the command threw. */
  async function run(...argv: string[]): Promise<string> {
    let out = '';
    const ctx: CliContext = { openStore: async () => store, out: (t) => (out += t), write: async (t) => void (out += t), err: () => undefined, interactive: false };
    const program = new Command('blast').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    registerRadius(program, ctx);
    registerCompromise(program, ctx);
    await program.parseAsync(argv, { from: 'user' });
    return out;
  }

  it('prints the result as 2-space JSON and a newline, byte-identical on repeat', async () => {
    const out = await run('radius', 'pkg:pypi/litellm@1.82.8', '--max-hops', '3', '--min-confidence', 'likely');
    const expected = await computeBlastRadius(store, [{ id: 'pkg:pypi/litellm@1.82.8' }], { maxHops: 3, minConfidence: 'likely' });
    expect(out).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(await run('radius', 'pkg:pypi/litellm@1.82.8', '--max-hops', '3', '--min-confidence', 'likely')).toBe(out);
  });

  it('takes --at for the given ids, --as-of, --edge-kinds and repeatable --contain ID@TIME', async () => {
    const out = JSON.parse(
      await run('radius', 'pkg:pypi/litellm@1.82.8', '--at', '2026-03-24T10:00:00Z', '--as-of', '2026-04-01T00:00:00Z', '--edge-kinds', 'depends_on,HOLDS', '--contain', 'svc:acme/api@2026-03-24T11:30:00Z', '--contain', 'pkg:pypi/litellm@1.82.8@2026-03-25T00:00:00Z'),
    );
    expect(out.seeds).toEqual([{ id: 'pkg:pypi/litellm@1.82.8', at: '2026-03-24T10:00:00Z', found: true }]);
    expect(out.options).toMatchObject({
      edgeKinds: ['DEPENDS_ON', 'HOLDS'],
      asOf: '2026-04-01T00:00:00Z',
      contained: [
        { id: 'pkg:pypi/litellm@1.82.8', at: '2026-03-25T00:00:00Z' },
        { id: 'svc:acme/api', at: '2026-03-24T11:30:00Z' },
      ],
    });
    // svc:acme/api is contained at 11:30, before it would pass on the key (12:00); USES is not followed.
    expect(out.affected.map((a: { id: string }) => a.id)).toEqual(['svc:acme/api']);
  });

  it('without ids seeds every node marked compromised; `compromise` marks one', async () => {
    expect(JSON.parse(await run('radius')).affected).toEqual([]);
    const line = await run('compromise', 'pkg:pypi/litellm@1.82.8', '--at', '2026-03-24T10:52:00Z', '--advisory', 'osv:MAL-2026-2144');
    expect(line).toMatch(/^pkg:pypi\/litellm@1\.82\.8 marked compromised since 2026-03-24T10:52:00Z; advisories osv:MAL-2026-2144\nsnapshot sha256:[0-9a-f]{64}\n$/);
    const out = JSON.parse(await run('radius'));
    expect(out.seeds).toEqual([{ id: 'pkg:pypi/litellm@1.82.8', at: '2026-03-24T10:52:00Z', found: true }]);
    expect(out.affected.map((a: { id: string }) => a.id)).toEqual(['org:meta', 'svc:acme/api', 'cred:acme/key']);
  });

  it('prints a table for people', async () => {
    const out = await run('radius', 'pkg:pypi/litellm@1.82.8', '--format', 'table');
    expect(out).toContain('Affected customers and partners: 1');
    expect(out).toMatch(/Meta +org:meta +2026-03-24 11:00 UTC +2 +confirmed +2026-03-27 11:00 UTC +svc:acme\/api/);
    expect(out).toContain('Service (1)');
  });

  it('rejects bad flags with BAD_INPUT naming the flag, and unknown nodes with NOT_FOUND', async () => {
    const bad: Array<[string[], string]> = [
      [['radius', '--at', '2026-03-24T10:00:00Z'], '--at'],
      [['radius', 'pkg:pypi/litellm@1.82.8', '--max-hops', 'two'], '--max-hops'],
      [['radius', 'pkg:pypi/litellm@1.82.8', '--min-confidence', 'sure'], '--min-confidence'],
      [['radius', 'pkg:pypi/litellm@1.82.8', '--as-of', 'yesterday'], '--as-of'],
      [['radius', 'pkg:pypi/litellm@1.82.8', '--edge-kinds', 'AFFECTS'], '--edge-kinds'],
      [['radius', 'pkg:pypi/litellm@1.82.8', '--contain', 'svc:acme/api'], '--contain'],
      [['radius', 'pkg:pypi/litellm@1.82.8', '--format', 'xml'], '--format'],
    ];
    for (const [argv, flag] of bad) await expect(run(...argv)).rejects.toMatchObject({ code: 'BAD_INPUT', input: flag });
    await expect(run('compromise', 'svc:acme/nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
