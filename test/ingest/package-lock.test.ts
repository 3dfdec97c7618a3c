/**
 * No real package-lock.json is among the shared fixtures, so these build lockfiles in the shape npm 7+
 * writes (lockfileVersion 3): nested node_modules, scoped names, an alias, a workspace link.
 */
import { describe, expect, it } from 'vitest';
import { edgePairs, edges, expectBlastError, ids, prepare } from './helpers.js';

const LOCK = {
  name: 'web',
  version: '1.2.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'web', version: '1.2.0', workspaces: ['packages/ui'], dependencies: { express: '^4.0.0', ui: '*', 'left-pad': 'npm:@acme/left-pad@^2' }, devDependencies: { vitest: '^4' }, optionalDependencies: { fsevents: '^2' } },
    'node_modules/express': { version: '4.21.2', resolved: 'https://registry.npmjs.org/express/-/express-4.21.2.tgz', dependencies: { debug: '2.6.9', 'body-parser': '1.20.3' } },
    'node_modules/express/node_modules/debug': { version: '2.6.9', dependencies: { ms: '2.0.0' } },
    'node_modules/express/node_modules/ms': { version: '2.0.0' },
    'node_modules/debug': { version: '4.4.0', dependencies: { ms: '^2.1.3' } },
    'node_modules/ms': { version: '2.1.3' },
    'node_modules/body-parser': { version: '1.20.3', dependencies: { debug: '2.6.9' } },
    'node_modules/@babel/core': { version: '7.26.0', dev: true, dependencies: { debug: '^4' } },
    'node_modules/vitest': { version: '4.0.0', dev: true, dependencies: { '@babel/core': '^7' } },
    'node_modules/left-pad': { name: '@acme/left-pad', version: '2.0.1' },
    'node_modules/ui': { resolved: 'packages/ui', link: true },
    'packages/ui': { name: 'ui', version: '0.1.0', dependencies: { debug: '^4' } },
  },
};

const text = (lock: unknown = LOCK) => JSON.stringify(lock, null, 2);

describe('package-lock.json', () => {
  it('every versioned entry is a PackageVersion, named by its path, its name field or its scope', () => {
    const { format, batch } = prepare('package-lock.json', text());
    expect(format).toBe('package-lock.json');
    expect(ids(batch, 'PackageVersion')).toEqual([
      'pkg:npm/web@1.2.0',
      'pkg:npm/express@4.21.2',
      'pkg:npm/debug@2.6.9',
      'pkg:npm/ms@2.0.0',
      'pkg:npm/debug@4.4.0',
      'pkg:npm/ms@2.1.3',
      'pkg:npm/body-parser@1.20.3',
      'pkg:npm/%40babel/core@7.26.0',
      'pkg:npm/vitest@4.0.0',
      'pkg:npm/%40acme/left-pad@2.0.1',
      'pkg:npm/ui@0.1.0',
    ]);
    // Independent count: entries with a version.
    expect(ids(batch, 'PackageVersion')).toHaveLength(Object.values(LOCK.packages).filter((p) => 'version' in p).length);
  });

  it('resolves each dependency the way require() does: nearest node_modules first, links followed', () => {
    const { batch } = prepare('package-lock.json', text());
    expect(edgePairs(batch, 'DEPENDS_ON')).toEqual(
      new Set([
        'pkg:npm/web@1.2.0 -> pkg:npm/express@4.21.2',
        'pkg:npm/web@1.2.0 -> pkg:npm/ui@0.1.0',
        'pkg:npm/web@1.2.0 -> pkg:npm/%40acme/left-pad@2.0.1',
        'pkg:npm/web@1.2.0 -> pkg:npm/vitest@4.0.0',
        'pkg:npm/express@4.21.2 -> pkg:npm/debug@2.6.9', // express's own nested copy
        'pkg:npm/express@4.21.2 -> pkg:npm/body-parser@1.20.3',
        'pkg:npm/debug@2.6.9 -> pkg:npm/ms@2.0.0', // found in express/node_modules, one level up
        'pkg:npm/debug@4.4.0 -> pkg:npm/ms@2.1.3',
        'pkg:npm/body-parser@1.20.3 -> pkg:npm/debug@4.4.0', // the top copy: body-parser has no nested one
        'pkg:npm/%40babel/core@7.26.0 -> pkg:npm/debug@4.4.0',
        'pkg:npm/vitest@4.0.0 -> pkg:npm/%40babel/core@7.26.0',
        'pkg:npm/ui@0.1.0 -> pkg:npm/debug@4.4.0',
      ]),
    );
    expect(batch.edges.find((e) => e.to === 'pkg:npm/vitest@4.0.0')!.confidence).toBe('likely');
    // fsevents is optional and absent (another platform): no edge, no warning.
    expect(batch.warnings).toEqual([]);
  });

  it('--service attaches everything; dev-only packages as likely', () => {
    const { batch } = prepare('package-lock.json', text(), { service: { id: 'svc:acme/web', since: '2026-03-20T00:00:00Z' } });
    const svc = edges(batch, 'DEPENDS_ON', 'svc:');
    expect(svc).toHaveLength(11);
    expect(svc.filter((e) => e.confidence === 'likely').map((e) => e.to)).toEqual(['pkg:npm/%40babel/core@7.26.0', 'pkg:npm/vitest@4.0.0']);
  });

  it('a dependency missing from the tree is warned about', () => {
    const lock = structuredClone(LOCK) as any;
    lock.packages['node_modules/express'].dependencies.qs = '6.13.0';
    expect(prepare('package-lock.json', text(lock)).batch.warnings!.join('\n')).toMatch(/not found in the tree skipped \(at \/packages\/node_modules~1express\/dependencies\/qs\)/);
  });

  describe('bad input', () => {
    it('lockfileVersion 1: a clear error', () => {
      const v1 = { name: 'old', version: '1.0.0', lockfileVersion: 1, requires: true, dependencies: { ms: { version: '2.1.3' } } };
      expectBlastError(() => prepare('package-lock.json', JSON.stringify(v1)), 'BAD_INPUT', { input: 'package-lock.json', location: '/lockfileVersion', message: /lockfileVersion 1 not supported/ });
    });
    it('truncated JSON; wrong shapes name the pointer', () => {
      expectBlastError(() => prepare('package-lock.json', text().slice(0, 400)), 'BAD_INPUT', { location: /^line \d+$/ });
      const bad = (change: (l: any) => void) => {
        const l = structuredClone(LOCK) as any;
        change(l);
        return text(l);
      };
      expectBlastError(() => prepare('p.json', bad((l) => (l.packages['node_modules/ms'] = 'x'))), 'BAD_INPUT', { location: '/packages/node_modules~1ms' });
      expectBlastError(() => prepare('p.json', bad((l) => (l.packages['node_modules/ms'].version = 2))), 'BAD_INPUT', { location: '/packages/node_modules~1ms/version' });
      expectBlastError(() => prepare('p.json', bad((l) => (l.packages['node_modules/debug'].dependencies = ['ms']))), 'BAD_INPUT', { location: '/packages/node_modules~1debug/dependencies' });
      expectBlastError(() => prepare('p.json', bad((l) => (l.lockfileVersion = 4))), 'BAD_INPUT', { location: '/lockfileVersion' });
    });
    it('hostile names and secrets', () => {
      const hostile = structuredClone(LOCK) as any;
      hostile.packages['node_modules/<script>'] = { version: '1.0.0' };
      expect(ids(prepare('p.json', text(hostile)).batch, 'PackageVersion')).toContain('pkg:npm/%3Cscript%3E@1.0.0');
      hostile.packages[`node_modules/${'x'.repeat(1000)}`] = { version: '1.0.0' };
      expectBlastError(() => prepare('p.json', text(hostile)), 'BAD_INPUT', { message: /longer than 512/ });
      const secret = structuredClone(LOCK) as any;
      secret.packages['node_modules/ms'].resolved = 'https://build:npm_0123456789abcdefghijklmnopqrstuvwxyz@registry.example.com/ms.tgz';
      expectBlastError(() => prepare('p.json', text(secret)), 'SECRET_REFUSED', { location: '/packages/node_modules~1ms/resolved' });
    });
  });
});
