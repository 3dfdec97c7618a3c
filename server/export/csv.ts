/**
 * CSV as RFC 4180 says it: fields separated by commas, records ended by CRLF (the last one too), a
 * field quoted when it holds a comma, a double quote, CR or LF, and quotes inside doubled. UTF-8,
 * without a byte-order mark (a BOM trips many parsers; spreadsheets import UTF-8 when asked).
 *
 * Formula injection: spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, and
 * some also treat a leading TAB or CR that way. Node names come from ingested files, so a name such
 * as `=HYPERLINK("http://x")` could run on a lawyer's machine. Every such cell is neutralised by
 * prefixing a single quote (`'=HYPERLINK(...)`), the OWASP-recommended escape: spreadsheets show
 * the text as it was, and a script can strip one leading `'` from a cell whose next character is
 * one of those six to get the original value back. Numbers are written by us and never negative,
 * so no real value is touched by this rule except text that begins with those characters.
 */

export type CsvValue = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet treat a cell as a formula when they come first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes `'` to a text that a spreadsheet would run as a formula; other text is returned as is. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field: neutralised, then quoted when RFC 4180 requires it. null and undefined are empty. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = neutraliseFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A whole file: the header record, then one record per row. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const parts = [csvRecord(header)];
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`CSV row has ${row.length} fields, the header ${header.length}`);
    parts.push(csvRecord(row));
  }
  return parts.join('');
}
