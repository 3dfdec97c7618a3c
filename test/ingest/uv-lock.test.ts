import { describe, expect, it } from 'vitest';
import { edgePairs, edges, expectBlastError, fixtureText, ids, prepare, prepareFixture } from './helpers.js';

const DSPY = 'lockfiles/stanfordnlp-dspy/uv.lock';

const norm = (n: string) => n.replace(/[-_.]+/g, '-').toLowerCase();

/** Read with regexes, not TOML: the locked versions and every dependency pair the lock states. */
function expected(text: string) {
  const blocks = text.split(/^\[\[package\]\]\n/m).slice(1);
  const locked = blocks.map((b) => ({ name: /^name = "([^"]+)"$/m.exec(b)![1]!, version: /^version = "([^"]+)"$/m.exec(b)?.[1], block: b }));
  const byName = new Map<string, string[]>();
  for (const l of locked) if (l.version) byName.set(norm(l.name), [...(byName.get(norm(l.name)) ?? []), l.version]);
  const pairs = new Set<string>();
  for (const l of locked) {
    if (!l.version) continue;
    // The dependency lists: `dependencies = [ … ]` and the entries of the optional / dev tables.
    const lists = [...l.block.matchAll(/^dependencies = \[\n([\s\S]*?)^\]/gm)].map((m) => m[1]!);
    for (const t of l.block.matchAll(/^\[package\.(optional-dependencies|dev-dependencies)\]\n([\s\S]*?)(?=^\[|(?![\s\S]))/gm)) lists.push(t[2]!);
    for (const list of lists) {
      for (const d of list.matchAll(/\{ name = "([^"]+)"(?:, version = "([^"]+)")?/g)) {
        const versions = d[2] ? [d[2]] : (byName.get(norm(d[1]!)) ?? []);
        for (const v of versions) pairs.add(`pkg:pypi/${norm(l.name)}@${l.version} -> pkg:pypi/${norm(d[1]!)}@${v}`);
      }
    }
  }
  return { locked, pairs };
}

describe('uv.lock', () => {
  it('dspy: 157 packages, both litellm versions, every dependency pair', () => {
    const text = fixtureText(DSPY);
    const want = expected(text);
    const { format, batch } = prepareFixture(DSPY);
    expect(format).toBe('uv.lock');
    expect(text.match(/^\[\[package\]\]$/gm)).toHaveLength(157);
    expect(ids(batch, 'PackageVersion')).toHaveLength(want.locked.filter((l) => l.version).length);
    expect(ids(batch, 'PackageVersion')).toEqual(expect.arrayContaining(['pkg:pypi/litellm@1.68.0', 'pkg:pypi/litellm@1.72.6']));
    expect(edgePairs(batch, 'DEPENDS_ON')).toEqual(want.pairs);
  });

  it('a dependency names its fork version; platform markers make it likely; extras possible', () => {
    const { batch } = prepareFixture(DSPY);
    const dspy = ids(batch, 'PackageVersion').find((id) => id.startsWith('pkg:pypi/dspy@'))!;
    const conf = (to: string) => batch.edges.find((e) => e.from === dspy && e.to === to)?.confidence ?? 'confirmed';
    expect(conf('pkg:pypi/litellm@1.68.0')).toBe('likely');
    expect(conf('pkg:pypi/litellm@1.72.6')).toBe('likely');
    expect(conf('pkg:pypi/tqdm@' + ids(batch, 'PackageVersion').find((id) => id.startsWith('pkg:pypi/tqdm@'))!.split('@')[1])).toBe('confirmed');
    expect(conf(ids(batch, 'PackageVersion').find((id) => id.startsWith('pkg:pypi/optuna@'))!)).toBe('possible');
  });

  it('--service: versions of a resolution fork are likely, the rest confirmed', () => {
    const { batch } = prepareFixture(DSPY, { service: { id: 'svc:stanfordnlp/dspy-ci', since: '2026-03-23T14:31:00Z' } });
    const svc = edges(batch, 'DEPENDS_ON', 'svc:');
    expect(svc).toHaveLength(157);
    expect(svc.find((e) => e.to === 'pkg:pypi/litellm@1.68.0')!.confidence).toBe('likely');
    expect(svc.find((e) => e.to.startsWith('pkg:pypi/aiohttp@'))!.confidence).toBeUndefined();
  });

  describe('bad input', () => {
    const lock = `version = 1\nrevision = 3\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\ndependencies = [\n    { name = "b" },\n]\n\n[[package]]\nname = "b"\nversion = "2.0"\nsource = { registry = "https://pypi.org/simple" }\n`;
    it('a minimal lock parses', () => {
      expect([...edgePairs(prepare('uv.lock', lock).batch, 'DEPENDS_ON')]).toEqual(['pkg:pypi/a@1.0 -> pkg:pypi/b@2.0']);
    });
    it('truncated or invalid TOML: BAD_INPUT with the line', () => {
      expectBlastError(() => prepare('uv.lock', fixtureText(DSPY).slice(0, 4000)), 'BAD_INPUT', { input: 'uv.lock', location: /^line \d+$/, message: /invalid TOML/ });
      expectBlastError(() => prepare('uv.lock', lock.replace('{ name = "b" }', '{ name = "b" ')), 'BAD_INPUT', { location: 'line 10' });
      expectBlastError(() => prepare('uv.lock', lock.replace('version = "2.0"', 'version = "2.0"\nversion = "3.0"')), 'BAD_INPUT', { location: /^line 1[56]$/ });
    });
    it('wrong schema: the package table named by its line', () => {
      expectBlastError(() => prepare('uv.lock', lock.replace('name = "b"\nversion', 'name = 7\nversion')), 'BAD_INPUT', { location: 'line 12', message: /name/ });
      expectBlastError(() => prepare('uv.lock', lock.replace('{ name = "b" }', '{ name = 7 }')), 'BAD_INPUT', { location: 'line 4', message: /dependency needs a name/ });
      expectBlastError(() => prepare('uv.lock', lock.replace('dependencies = [\n    { name = "b" },\n]', 'dependencies = "b"')), 'BAD_INPUT', { location: 'line 4' });
      expectBlastError(() => prepare('uv.lock', lock.replace('version = 1\n', 'version = 9\n')), 'BAD_INPUT', { message: /uv.lock version 9/ });
      expectBlastError(() => prepare('uv.lock', lock.replace('name = "b"\nversion = "2.0"', 'name = "a"\nversion = "1.0"')), 'BAD_INPUT', { location: 'line 12', message: /locked twice/ });
    });
    it('hostile names and secrets', () => {
      expectBlastError(() => prepare('uv.lock', lock.replace('name = "b"\nversion', `name = "${'b'.repeat(600)}"\nversion`)), 'BAD_INPUT', { message: /longer than 512/ });
      expectBlastError(() => prepare('uv.lock', lock.replace('https://pypi.org/simple" }\ndependencies', 'https://ci:s3cr3t-pw@pypi.example.com/simple" }\ndependencies')), 'SECRET_REFUSED', { location: 'line 4' });
    });
  });
});
