import { describe, expect, it } from 'vitest';
import { actionText, firstCutPath, grantOf, listText, nextShown, parseCosts, sparedText } from '../../web/src/incident-day.js';
import type { BlastRadius, EdgeKind, PathHop } from '../../web/src/types.js';

const hop = (from: string, edge: EdgeKind, to: string): PathHop => ({ from, edge, to, arrival: '2026-05-01T02:00:00Z' });

describe('cost overrides', () => {
  it('keeps empty fields at the default and reads whole numbers 1 to 1,000,000', () => {
    expect(parseCosts({ rotate: '', contain: ' 10 ', revoke: '1' })).toEqual({ costs: { contain: 10, revoke: 1 } });
    expect(parseCosts({ rotate: '1000000', contain: '', revoke: '' })).toEqual({ costs: { rotate: 1_000_000 } });
    expect(parseCosts({ rotate: '', contain: '', revoke: '' })).toEqual({ costs: {} });
  });

  it('refuses anything else, naming the field and the value', () => {
    for (const bad of ['0', '-1', '1.5', '1e3', '1000001', 'two', '9007199254740993']) {
      const r = parseCosts({ rotate: '', contain: '', revoke: bad });
      expect(r, bad).toEqual({ error: `The revoke cost must be a whole number from 1 to 1,000,000 (got "${bad}").` });
    }
    expect(parseCosts({ rotate: 'x', contain: '0', revoke: '' })).toEqual({ error: expect.stringContaining('The rotate cost') });
  });
});

describe('action labels', () => {
  it('splits a grant edge key and words each action kind', () => {
    expect(grantOf('cred:a|GRANTS|svc:b|admin')).toEqual({ from: 'cred:a', to: 'svc:b', access: 'admin' });
    expect(grantOf('cred:a|GRANTS|ds:c|')).toEqual({ from: 'cred:a', to: 'ds:c', access: null });
    expect(grantOf('svc:a|HOLDS|cred:b')).toBeNull();
    expect(grantOf(null)).toBeNull();
    const names: Record<string, string> = { 'cred:a': 'Deploy key', 'svc:b': 'API' };
    const name = (id: string) => names[id] ?? id;
    expect(actionText({ action: 'rotate', node: 'cred:a', edge: null }, name)).toBe('Rotate Deploy key');
    expect(actionText({ action: 'contain', node: 'svc:b', edge: null }, name)).toBe('Contain API');
    expect(actionText({ action: 'revoke', node: 'cred:a', edge: 'cred:a|GRANTS|svc:b|deploy' }, name)).toBe("Revoke Deploy key's deploy grant on API");
    expect(actionText({ action: 'revoke', node: 'cred:a', edge: 'cred:a|GRANTS|ds:x|' }, name)).toBe("Revoke Deploy key's grant on ds:x");
  });

  it('lists a few names and counts the rest', () => {
    expect(listText([])).toBe('');
    expect(listText(['a'])).toBe('a');
    expect(listText(['a', 'b'])).toBe('a and b');
    expect(listText(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listText(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
    expect(listText(['a', 'b', 'c', 'd', 'e'], 4)).toBe('a, b, c, d and 1 more');
  });
});

describe('spared summary', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  it('reads as "would have" for a past time, and is absent when nothing is spared', () => {
    const spared = { customers: ['org:a', 'org:b', 'org:c'], assets: ['svc:x'] };
    expect(sparedText({ at: '2026-03-20T00:00:00Z', spared }, now)).toBe('Acting then would have spared 3 customers and 1 other node.');
    expect(sparedText({ at: '2026-07-01T00:00:00Z', spared }, now)).toBe('Acting then spares 3 customers and 1 other node.');
    expect(sparedText({ at: '2026-03-20T00:00:00Z', spared: { customers: [], assets: [] } }, now)).toBeNull();
    expect(sparedText({ at: '2026-03-20T00:00:00Z', spared: { customers: ['org:a'], assets: Array.from({ length: 1500 }, (_, i) => `n${i}`) } }, now)).toBe(
      'Acting then would have spared 1 customer and 1,500 other nodes.',
    );
  });
});

describe('pages of a long list', () => {
  it('draws a page more each time, never past the end', () => {
    let shown = nextShown(0, 15_000);
    expect(shown).toBe(100);
    shown = nextShown(shown, 15_000);
    expect(shown).toBe(200);
    expect(nextShown(14_950, 15_000)).toBe(15_000);
    expect(nextShown(0, 7)).toBe(7);
    expect(nextShown(0, 0)).toBe(0);
  });
});

describe("an action's first cut path, from the walk", () => {
  const SEED = 'pkg:npm/evil@1.0.0';
  const toBuild = hop(SEED, 'DEPENDS_ON', 'svc:build');
  const toKey = hop('svc:build', 'HOLDS', 'cred:key');
  const keyToApi = hop('cred:key', 'GRANTS', 'svc:api');
  const keyToWeb = hop('cred:key', 'GRANTS', 'svc:web');
  const toOther = hop(SEED, 'DEPENDS_ON', 'svc:other');
  const walk: BlastRadius = {
    snapshotId: 'sha256:x',
    seeds: [{ id: SEED, at: null }],
    affected: [
      { id: 'svc:build', kind: 'Service', name: 'build', firstExposedAt: null, hops: 1, confidence: 'confirmed', path: [toBuild] },
      { id: 'cred:key', kind: 'Credential', name: 'key', firstExposedAt: null, hops: 2, confidence: 'confirmed', path: [toBuild, toKey] },
      { id: 'svc:lonely', kind: 'Service', name: 'lonely', firstExposedAt: null, hops: 1, confidence: 'confirmed', path: [toOther] },
    ],
    customers: [
      // Two ways to org:b: only the second runs over the web grant.
      {
        id: 'org:b',
        name: 'B',
        firstExposedAt: null,
        reasons: [
          { via: 'svc:other', path: [toOther, hop('svc:other', 'USES', 'org:b')] },
          { via: 'svc:web', path: [toBuild, toKey, keyToWeb, hop('svc:web', 'USES', 'org:b')] },
        ],
      },
      { id: 'org:a', name: 'A', firstExposedAt: null, reasons: [{ via: 'svc:api', path: [toBuild, toKey, keyToApi, hop('svc:api', 'USES', 'org:a')] }] },
    ],
  };

  it('takes the first protected customer by id, and its first reason through the action', () => {
    const rotate = firstCutPath({ action: 'rotate', node: 'cred:key', edge: null, protects: ['org:b', 'org:a'] }, walk);
    expect(rotate.at(-1)?.to).toBe('org:a');
    const revokeWeb = firstCutPath({ action: 'revoke', node: 'cred:key', edge: 'cred:key|GRANTS|svc:web|deploy', protects: ['org:b'] }, walk);
    expect(revokeWeb).toEqual(walk.customers[0]!.reasons[1]!.path);
    // A revoke of the API grant does not cut org:b's paths, however it is listed.
    const revokeApi = firstCutPath({ action: 'revoke', node: 'cred:key', edge: 'cred:key|GRANTS|svc:api|deploy', protects: ['org:b', 'org:a'] }, walk);
    expect(revokeApi.at(-1)?.to).toBe('org:a');
  });

  it("falls back to the node's own evidence path, and is empty without a walk", () => {
    expect(firstCutPath({ action: 'contain', node: 'svc:lonely', edge: null, protects: ['org:a'] }, walk)).toEqual([toOther]);
    expect(firstCutPath({ action: 'contain', node: 'svc:unknown', edge: null, protects: [] }, walk)).toEqual([]);
    expect(firstCutPath({ action: 'rotate', node: 'cred:key', edge: null, protects: ['org:a'] }, null)).toEqual([]);
  });
});

describe('panel errors', () => {
  it('titles the server codes a plan can fail with', async () => {
    const { ApiError } = await import('../../web/src/api.js');
    const { describeError } = await import('../../web/src/describe-error.js');
    expect(describeError(new ApiError('the radius would pass 1,000,000 nodes', 'LIMIT_EXCEEDED'))).toEqual({
      title: 'The request is over the server’s limits',
      detail: 'the radius would pass 1,000,000 nodes',
      code: 'LIMIT_EXCEEDED',
    });
    expect(describeError(new ApiError('took over 30 s', 'TIMEOUT')).title).toBe('The server took too long');
    expect(describeError(new ApiError('"x" is not an ISO-8601 time', 'BAD_INPUT')).title).toBe('The server refused the request');
  });
});
