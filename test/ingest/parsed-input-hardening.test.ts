/**
 * What every structured input is refused for before any format reads it (issue 17, items 6 and 7):
 * a key given twice in one JSON object, nesting past 256 levels, a YAML alias bomb; each a BAD_INPUT
 * naming the file (and the line where there is one), never an INTERNAL error.
 */
import { describe, expect, it } from 'vitest';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import { MAX_NESTING, parseInput } from '../../server/ingest/parsed-input.js';
import { BlastError } from '../../server/model/errors.js';

function refusal(name: string, text: string): BlastError {
  try {
    prepareInput(name, text);
  } catch (err) {
    expect(err, String(err)).toBeInstanceOf(BlastError);
    return err as BlastError;
  }
  throw new Error(`${name} was accepted`);
}

describe('structured input checks', () => {
  it('a key given twice in one JSON object, at any depth: BAD_INPUT naming the key and its line', () => {
    const cases: Array<[string, string, string]> = [
      ['inventory.json', '{"version": 1,\n "customers": [],\n "version": 1}', 'version'],
      ['bom.json', '{"bomFormat": "CycloneDX", "specVersion": "1.6",\n "components": [{"name": "a",\n  "purl": "pkg:npm/a@1", "purl": "pkg:npm/b@1"}]}', 'purl'],
      ['osv.json', '{"id": "MAL-1", "modified": "2026-01-01T00:00:00Z",\n\n "affected": [], "\\u0069d": "MAL-2"}', 'id'],
    ];
    for (const [name, text, key] of cases) {
      const err = refusal(name, text);
      expect([err.code, err.input]).toEqual(['BAD_INPUT', name]);
      expect(err.message).toContain(`duplicate key "${key}"`);
      expect(err.location).toBe(`line ${text.split('\n').length}`);
    }
    // The same key in two different objects is fine, and so is a key that merely holds a quote.
    expect(() => parseInput('ok.json', '{"a": {"k": 1}, "b": {"k": 2}, "c\\"": 1, "c": [{"k": 1}, {"k": 2}]}')).not.toThrow();
  });

  it('100,000-deep JSON and YAML, and nesting just past the bound: BAD_INPUT naming the file', () => {
    const deep = (n: number) => `{"version": 1, "services": ${'['.repeat(n)}${']'.repeat(n)}}`;
    for (const [name, text] of [
      ['deep.json', deep(100_000)],
      ['edge.json', deep(MAX_NESTING)],
      ['deep.yaml', `version: 1\nservices: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`],
      ['edge.yaml', `version: 1\nservices: ${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}\n`],
    ] as const) {
      const err = refusal(name, text);
      expect([err.code, err.input], err.oneLine()).toEqual(['BAD_INPUT', name]);
      expect(err.message).toMatch(/nested deeper than 256 levels|invalid YAML/);
    }
    // Nesting within the bound still parses.
    expect(() => parseInput('ok.json', deep(MAX_NESTING - 2))).not.toThrow();
  });

  it('a YAML alias bomb: BAD_INPUT naming the file, not an internal error', () => {
    const levels = ['version: 1', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 8; i++) levels.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(9).fill(`*${'abcdefgh'[i - 1]}`).join(',')}]`);
    const err = refusal('bomb.yaml', levels.join('\n'));
    expect([err.code, err.input]).toEqual(['BAD_INPUT', 'bomb.yaml']);
    expect(err.oneLine()).toMatch(/^bomb\.yaml: invalid YAML: aliases expand/);
    // A few aliases (the way CI files reuse blocks) are fine.
    expect(() => parseInput('ok.yaml', 'version: 1\nx: &x { a: 1 }\ny: *x\nz: *x\n')).not.toThrow();
  });
});
