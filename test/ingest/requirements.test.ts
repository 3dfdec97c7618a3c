import { describe, expect, it } from 'vitest';
import { edgePairs, edges, expectBlastError, fixtureText, ids, prepare, prepareFixture } from './helpers.js';

const AIDER = 'lockfiles/Aider-AI-aider/requirements.txt';
const NVLABS = 'lockfiles/NVlabs-ToolOrchestra/requirements.txt';
const norm = (n: string) => n.replace(/_/g, '-').toLowerCase();

/** `name==version` pins and `# via` parents, read with plain regexes. */
function expected(text: string) {
  const pins = [...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)/gm)].map((m) => ({ name: norm(m[1]!), version: m[2]!, at: m.index! }));
  const versionsOf = (name: string) => pins.filter((p) => p.name === norm(name)).map((p) => p.version);
  const pairs = new Set<string>();
  pins.forEach((p, i) => {
    const block = text.slice(p.at, pins[i + 1]?.at ?? text.length);
    for (const m of block.matchAll(/^\s+#\s+(?:via\s+)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*$/gm)) {
      if (m[1] === 'via') continue;
      for (const v of versionsOf(m[1]!)) pairs.add(`pkg:pypi/${norm(m[1]!)}@${v} -> pkg:pypi/${p.name}@${p.version}`);
    }
  });
  return { ids: new Set(pins.map((p) => `pkg:pypi/${p.name}@${p.version}`)), pairs };
}

describe('requirements.txt', () => {
  it.each([
    [AIDER, 'litellm@1.82.3'],
    [NVLABS, 'litellm@1.82.6'],
  ])('%s: every == pin, and a DEPENDS_ON per "# via" parent', (rel, litellm) => {
    const text = fixtureText(rel);
    const want = expected(text);
    const { format, batch } = prepareFixture(rel);
    expect(format).toBe('requirements.txt');
    expect(new Set(ids(batch, 'PackageVersion'))).toEqual(want.ids);
    expect(ids(batch, 'PackageVersion')).toContain(`pkg:pypi/${litellm}`);
    expect(edgePairs(batch, 'DEPENDS_ON')).toEqual(want.pairs);
  });

  it('aider: figures seen, markers, unpinned lines warned about', () => {
    const { batch } = prepareFixture(AIDER, { service: { id: 'svc:aider/cli' } });
    expect(ids(batch, 'PackageVersion')).toHaveLength(105);
    expect(edgePairs(batch, 'DEPENDS_ON').size).toBe(118);
    expect(batch.edges.find((e) => e.from === 'pkg:pypi/aiohttp@3.13.3' && e.to === 'pkg:pypi/aiohappyeyeballs@2.6.1')!.sources[0]!.pointer).toBe('line 6');
    // tree-sitter is pinned twice, once per python_version marker: both kept, attached as likely.
    const svc = edges(batch, 'DEPENDS_ON', 'svc:');
    expect(svc.filter((e) => e.to.startsWith('pkg:pypi/tree-sitter@')).map((e) => e.confidence)).toEqual(['likely', 'likely']);
    expect(batch.warnings!.join('\n')).toMatch(/not pinned with == skipped \(5 times, first at line \d+\)/);
  });

  it('extras, hashes on continuation lines, markers, includes, URLs and editables', () => {
    const text = [
      '--index-url https://pypi.org/simple',
      '-r base.txt',
      '-e ./local',
      'Requests[socks,security]==2.32.3 \\',
      '    --hash=sha256:aaaa \\',
      '    --hash=sha256:bbbb',
      '    # via my_app',
      'My_App==1.0 ; python_version >= "3.10"  # pinned',
      'urllib3===2.2.1',
      'pkg @ https://example.com/pkg-1.0.tar.gz',
      'six>=1.16',
    ].join('\n');
    const { batch } = prepare('requirements.txt', text);
    expect(ids(batch, 'PackageVersion')).toEqual(['pkg:pypi/requests@2.32.3', 'pkg:pypi/my-app@1.0', 'pkg:pypi/urllib3@2.2.1']);
    expect([...edgePairs(batch, 'DEPENDS_ON')]).toEqual(['pkg:pypi/my-app@1.0 -> pkg:pypi/requests@2.32.3']);
    const warnings = batch.warnings!.join('\n');
    expect(warnings).toMatch(/includes .* not followed.*\(2 times, first at line 2\)/);
    expect(warnings).toMatch(/URL and path requirements skipped \(at line 10\)/);
    expect(warnings).toMatch(/not pinned with == skipped \(at line 11\)/);
  });

  describe('bad input', () => {
    it('a line that is not a requirement: BAD_INPUT naming the line', () => {
      const text = fixtureText(NVLABS).replace('litellm==1.82.6', 'litellm is pinned to 1.82.6 !!');
      const line = text.split('\n').findIndex((l) => l.startsWith('litellm is')) + 1;
      expectBlastError(() => prepare('req.txt', text), 'BAD_INPUT', { input: 'req.txt', location: `line ${line}`, message: /not a requirement/ });
    });
    it('hostile text: a very long line, control characters, <script>', () => {
      const lines = fixtureText(NVLABS).split('\n');
      expectBlastError(() => prepare('req.txt', [...lines.slice(0, 5), `x${'y'.repeat(5000)}==1`, ...lines.slice(5)].join('\n')), 'BAD_INPUT', { location: 'line 6', message: /longer than 4096/ });
      expectBlastError(() => prepare('req.txt', [...lines.slice(0, 5), 'evil\u0007==1', ...lines.slice(5)].join('\n')), 'BAD_INPUT', { location: 'line 6' });
      expectBlastError(() => prepare('req.txt', [...lines.slice(0, 5), '<script>alert(1)</script>', ...lines.slice(5)].join('\n')), 'BAD_INPUT', { location: 'line 6' });
    });
    it('credentials in an index URL or anywhere: SECRET_REFUSED naming the line', () => {
      expectBlastError(() => prepare('req.txt', `--extra-index-url https://ci:hunter2@pypi.example.com/simple\n${fixtureText(NVLABS)}`), 'SECRET_REFUSED', { location: 'line 1' });
      expectBlastError(() => prepare('req.txt', `${fixtureText(NVLABS)}\n# token ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n`), 'SECRET_REFUSED', { location: /^line \d+$/ });
      // An environment-variable placeholder is not a secret.
      expect(ids(prepare('req.txt', '--extra-index-url https://${PIP_USER}:${PIP_TOKEN}@pypi.example.com/simple\nsix==1.16.0\n').batch, 'PackageVersion')).toEqual(['pkg:pypi/six@1.16.0']);
    });
  });
});
