/** RFC 4180 writing and formula neutralisation (server/export/csv.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, neutraliseFormula, toCsv } from '../../server/export/csv.js';
import { parseCsv } from './rfc4180.js';

describe('csvField', () => {
  it('leaves plain text alone', () => {
    expect(csvField('svc:acme/labeling-api')).toBe('svc:acme/labeling-api');
    expect(csvField('2026-03-24T10:52:00Z')).toBe('2026-03-24T10:52:00Z');
    expect(csvField('Labeling API')).toBe('Labeling API');
  });

  it('writes numbers and booleans as text, null and undefined as empty', () => {
    expect(csvField(7)).toBe('7');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes fields holding a comma, a quote, CR or LF, and doubles inner quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('"')).toBe('""""');
  });

  it('neutralises cells a spreadsheet would run as a formula with a leading single quote', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
  });

  it('only looks at the first character', () => {
    expect(neutraliseFormula('a=b')).toBe('a=b');
    expect(neutraliseFormula('pkg:npm/%40scope/x@1.0.0')).toBe('pkg:npm/%40scope/x@1.0.0');
    expect(neutraliseFormula("'=already")).toBe("'=already");
    expect(neutraliseFormula('')).toBe('');
  });
});

describe('csvRecord and toCsv', () => {
  it('ends every record, the last one too, with CRLF', () => {
    expect(csvRecord(['a', 'b'])).toBe('a,b\r\n');
    expect(toCsv(['x', 'y'], [['1', '2'], ['3', null]])).toBe('x,y\r\n1,2\r\n3,\r\n');
  });

  it('writes only the header when there are no rows', () => {
    expect(toCsv(['id', 'name'], [])).toBe('id,name\r\n');
  });

  it('refuses a row whose width differs from the header', () => {
    expect(() => toCsv(['a', 'b'], [['1']])).toThrow(/1 fields, the header 2/);
  });

  it('round-trips through an RFC 4180 parser (neutralised cells keep their text after the quote)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 3, maxLength: 3 }), { maxLength: 8 }), (rows) => {
        const parsed = parseCsv(toCsv(['a', 'b', 'c'], rows));
        expect(parsed[0]).toEqual(['a', 'b', 'c']);
        expect(parsed.slice(1)).toEqual(rows.map((r) => r.map(neutraliseFormula)));
        for (const r of parsed.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 300 },
    );
  });
});
