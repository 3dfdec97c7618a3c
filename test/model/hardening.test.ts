/**
 * Identifiers, names, times and number props an attack run got stored quietly (issue 17, items 5 and
 * 6): lone surrogates and invisible or bidi characters in ids, a bare date read as UTC midnight,
 * `sizeBytes: "huge"`. Each is a BAD_INPUT naming the input and the place.
 */
import { describe, expect, it } from 'vitest';
import { BlastError } from '../../server/model/errors.js';
import { escapeInvisible, parseId } from '../../server/model/ids.js';
import { completeBatch } from '../../server/model/record.js';
import { normalizeTime, parseTime } from '../../server/model/time.js';
import type { GraphBatch, NodeInput } from '../../server/model/types.js';

const SOURCE = [{ source: 'test.yaml', sha256: 'a'.repeat(64), ingestedAt: '2026-04-01T00:00:00Z' }];

function badInput(fn: () => unknown): BlastError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BlastError);
    expect((err as BlastError).code).toBe('BAD_INPUT');
    return err as BlastError;
  }
  throw new Error('accepted');
}

describe('ids (item 5)', () => {
  it.each([
    ['a zero-width space', 'svc:labelwise/labeling\u200B-api'],
    ['a zero-width joiner', 'cred:acme/\u200Dpypi'],
    ['a right-to-left override', 'ds:acme/\u202Etxt.exe'],
    ['a bidi isolate', 'org:\u2066meta\u2069'],
    ['a byte-order mark inside', 'svc:acme/a\uFEFFpi'],
    ['a soft hyphen', 'svc:acme/la\u00ADbeling'],
    ['a lone high surrogate', 'svc:acme/\uD800x'],
    ['a lone low surrogate', 'org:\uDC00'],
    ['a percent-encoded zero-width space in a purl', 'pkg:npm/lab%E2%80%8Beling@1.0.0'],
    ['a zero-width space in a purl version', 'pkg:pypi/litellm@1.82.8\u200B'],
  ])('%s is refused, naming the place and showing the character escaped', (_, id) => {
    const err = badInput(() => parseId(id, 'inventory.yaml', 'line 3'));
    expect([err.input, err.location]).toEqual(['inventory.yaml', 'line 3']);
    expect(err.message).toMatch(/invisible or bidirectional|lone UTF-16 surrogate/);
    expect(err.message).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u00AD]/);
  });

  it('ordinary Unicode ids (accents, CJK, emoji pairs) still parse', () => {
    for (const id of ['svc:acme/données', 'org:株式会社', 'ds:acme/🚀-launch', 'pkg:npm/%40scope/naïve@1.0.0']) expect(() => parseId(id)).not.toThrow();
  });

  it('names keep such characters but show them escaped', () => {
    expect(escapeInvisible('labeling\u200B-api')).toBe('labeling\\u{200B}-api');
    expect(escapeInvisible('\u202Egnp.exe')).toBe('\\u{202E}gnp.exe');
    expect(escapeInvisible('plain name')).toBe('plain name');
  });
});

describe('quiet acceptance (item 6)', () => {
  const batch = (node: Partial<NodeInput>): GraphBatch => ({ input: 'test.yaml', nodes: [{ id: 'ds:acme/logs', kind: 'Dataset', sources: SOURCE, ...node } as NodeInput], edges: [] });

  it('a number prop that is not a number is refused with its pointer', () => {
    for (const v of ['huge', '12', -1, true, [1]]) {
      const err = badInput(() => completeBatch(batch({ props: { sizeBytes: v as never } })));
      expect([err.input, err.location]).toEqual(['test.yaml', '/nodes/0/props/sizeBytes']);
    }
    expect(() => completeBatch(batch({ props: { sizeBytes: 1_650_000_000_000, records: 0 } }))).not.toThrow();
  });

  it('a name holding a lone surrogate is refused', () => {
    expect(badInput(() => completeBatch(batch({ name: 'logs \uD83D' }))).location).toBe('/nodes/0/name');
    expect(() => completeBatch(batch({ name: 'logs \uD83D\uDE80' }))).not.toThrow();
  });

  it('a date without a zone (or without a time) is not an instant', () => {
    for (const t of ['2026-03-24', '2026-03-24T10:52:00', '2026-03-24 10:52Z', '20260324T105200Z']) expect(parseTime(t), t).toBeNull();
    expect(normalizeTime('2026-03-24T10:52:00+02:00')).toBe('2026-03-24T08:52:00Z');
    expect(normalizeTime('2026-03-24T10:52Z')).toBe('2026-03-24T10:52:00Z');
    const err = badInput(() => completeBatch(batch({ props: { createdAt: '2026-03-24' } })));
    expect(err.location).toBe('/nodes/0/props/createdAt');
  });
});
