/**
 * A tiny, strict RFC 4180 parser for the tests: CRLF record ends (a bare CR or LF outside quotes is
 * an error), quoted fields with doubled quotes, every record ending in CRLF. Independent of the
 * writer on purpose, so a test that parses what the writer wrote checks both against the RFC.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return records;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted field');
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
    } else {
      while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`quote inside an unquoted field at offset ${i}`);
        field += text[i];
        i++;
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      records.push(record);
      record = [];
      i += 2;
      if (i >= n) return records;
      continue;
    }
    throw new Error(i >= n ? 'the last record does not end in CRLF' : `bare ${JSON.stringify(text[i])} at offset ${i}`);
  }
}

/** Parses a file with a header into objects keyed by column name. */
export function parseCsvObjects(text: string): { header: string[]; rows: Array<Record<string, string>> } {
  const [header, ...rest] = parseCsv(text);
  if (!header) throw new Error('no header');
  return {
    header,
    rows: rest.map((r) => {
      if (r.length !== header.length) throw new Error(`a record has ${r.length} fields, the header ${header.length}`);
      return Object.fromEntries(header.map((h, i) => [h, r[i]!]));
    }),
  };
}
