/**
 * The ZIP writer (no database): what it writes, an independent extractor (Info-ZIP unzip) reads back
 * byte for byte with the right names, permissions and time; the same entries and time give the same
 * bytes; bad paths and duplicates are refused naming the path.
 */
import { crc32 } from 'node:zlib';
import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../../server/export/zip-archive.js';
import { readTree, unzipToDir, zipListing } from '../support/unzip.js';

const AT = '2026-03-26T09:00:00Z';
const ENTRIES = [
  { path: 'a.txt', bytes: Buffer.from('hello\n') },
  { path: 'customers/org_meta.md', bytes: Buffer.from('# Meta\n') },
  { path: 'empty.csv', bytes: Buffer.alloc(0) },
  { path: 'report.pdf', bytes: Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256)) },
];

describe('writeZip', () => {
  it('writes an archive unzip extracts to exactly the entries given', () => {
    const out = unzipToDir(writeZip(ENTRIES, AT));
    try {
      expect([...readTree(out)]).toEqual(ENTRIES.map((e) => [e.path, e.bytes]));
      // The UT field carries the time in UTC, whatever the machine's zone.
      expect(statSync(join(out, 'a.txt')).mtime.toISOString()).toBe('2026-03-26T09:00:00.000Z');
    } finally {
      rmSync(dirname(out), { recursive: true, force: true });
    }
  });

  it('stores regular files, mode 0644, uncompressed, at the given time', () => {
    const lines = zipListing(writeZip(ENTRIES, AT)).filter((l) => /^-/.test(l));
    expect(lines).toHaveLength(ENTRIES.length);
    for (const line of lines) {
      expect(line).toMatch(/^-rw-r--r--/);
      expect(line).toMatch(/\bstor\b/);
      expect(line).toMatch(/\b20260326\.090000\b/);
    }
  });

  it('is byte-identical for the same entries and time, and differs with the time', () => {
    const a = writeZip(ENTRIES, AT);
    expect(writeZip(ENTRIES.map((e) => ({ ...e, bytes: Buffer.from(e.bytes) })), AT).equals(a)).toBe(true);
    expect(writeZip(ENTRIES, '2026-03-26T09:00:02Z').equals(a)).toBe(false);
    // Each entry's CRC-32 sits in its local header (offset 14), as readers check it.
    expect(a.readUInt32LE(14)).toBe(crc32(ENTRIES[0]!.bytes));
  });

  it('refuses unsafe or repeated paths, naming them', () => {
    for (const path of ['../x', '/abs', 'a//b', 'a/./b', 'a\\b', '']) {
      expect(() => writeZip([{ path, bytes: Buffer.alloc(1) }], AT), path).toThrow(/unsafe path/);
    }
    expect(() => writeZip([ENTRIES[0]!, ENTRIES[0]!], AT)).toThrow(/a\.txt is given twice/);
  });
});
