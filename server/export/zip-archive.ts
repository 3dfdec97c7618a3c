/**
 * A small, deterministic ZIP writer: every entry stored (no compression), in the order given, with
 * one fixed modification time, Unix permissions 0644 and nothing else that varies (no owner, no
 * host time zone, no random field). The same entries and time give the same bytes, so an archive of
 * a deterministic export is itself deterministic and its SHA-256 can be cited.
 *
 * Stored rather than deflated: the bulky files of an export (PDF, JSON) compress little or are
 * already compressed, and a stored archive is trivially checked by any unzip. ZIP rather than tar:
 * Windows and macOS open it with a double click, which matters to the lawyers and regulators who
 * receive it. Format: PKWARE APPNOTE 6.3.10, sections 4.3 (structure) and 4.5.5 (the `UT` extended
 * timestamp, which carries the time in UTC; the DOS time fields carry the same wall-clock time).
 */
import { crc32 } from 'node:zlib';
import { BlastError } from '../model/errors.js';

export interface ZipEntry {
  /** `/`-separated path inside the archive, relative, without `.` or `..` segments. */
  path: string;
  bytes: Buffer;
}

export const ZIP_CONTENT_TYPE = 'application/zip';

/** Classic ZIP (no ZIP64) limits: entry count and every size and offset must fit in 16 and 32 bits. */
const MAX_ENTRIES = 0xffff;
const MAX_BYTES = 0xffffffff;
/** "version needed to extract": 2.0, the baseline every reader supports. */
const VERSION_NEEDED = 20;
/** "version made by": host 3 (Unix, so the external attributes hold a mode), spec 2.0. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED;
/** General purpose flag bit 11: names are UTF-8. */
const FLAG_UTF8 = 0x0800;
/** Regular file, rw-r--r--, in the high 16 bits of the external attributes. */
const EXTERNAL_ATTRS = (0o100644 << 16) >>> 0;
const UT_TAG = 0x5455;

const SAFE_PATH = /^[^/\\\u0000]+(\/[^/\\\u0000]+)*$/;

/**
 * The archive of `entries` (kept in the order given: sort them first for a canonical archive), each
 * modified at `mtime`. Throws BAD_INPUT for an unsafe or repeated path, TOO_LARGE past classic ZIP's
 * limits (65,535 entries, 4 GiB).
 * @example writeZip([{ path: 'report.md', bytes: Buffer.from('# Report\n') }], '2026-03-26T09:00:00Z')
 */
export function writeZip(entries: readonly ZipEntry[], mtime: string): Buffer {
  if (entries.length > MAX_ENTRIES) throw new BlastError('TOO_LARGE', `an archive holds at most ${MAX_ENTRIES} files, not ${entries.length}`, { input: 'archive' });
  const ms = Date.parse(mtime);
  if (Number.isNaN(ms)) throw new BlastError('BAD_INPUT', `"${mtime}" is not a time`, { input: 'mtime' });
  const { time, date } = dosTime(ms);
  const unixSeconds = Math.min(Math.max(Math.floor(ms / 1000), 0), 0x7fffffff);

  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (!SAFE_PATH.test(entry.path) || entry.path.split('/').some((p) => p === '.' || p === '..')) {
      throw new BlastError('BAD_INPUT', `unsafe path ${JSON.stringify(entry.path)} for an archive entry`, { input: 'archive' });
    }
    if (seen.has(entry.path)) throw new BlastError('BAD_INPUT', `the path ${entry.path} is given twice`, { input: 'archive' });
    seen.add(entry.path);
    const name = Buffer.from(entry.path, 'utf8');
    const size = entry.bytes.length;
    if (size > MAX_BYTES) throw new BlastError('TOO_LARGE', `${entry.path} is larger than 4 GiB`, { input: 'archive' });
    const crc = crc32(entry.bytes);
    const extra = utExtra(unixSeconds);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(0, 8); // method: stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(size, 18); // compressed size
    local.writeUInt32LE(size, 22); // uncompressed size
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(FLAG_UTF8, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(size, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(EXTERNAL_ATTRS, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, extra, entry.bytes);
    centrals.push(central, name, extra);
    offset += local.length + name.length + extra.length + size;
    if (offset > MAX_BYTES) throw new BlastError('TOO_LARGE', 'the archive would be larger than 4 GiB', { input: 'archive' });
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the directory
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...locals, directory, end]);
}

/** The `UT` extra field with the modification time only (the same in local and central headers). */
function utExtra(unixSeconds: number): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(UT_TAG, 0);
  b.writeUInt16LE(5, 2);
  b.writeUInt8(1, 4); // flags: modification time present
  b.writeInt32LE(unixSeconds, 5);
  return b;
}

/** MS-DOS date and time fields of a UTC instant, clamped to the range they hold (1980 to 2107). */
function dosTime(ms: number): { time: number; date: number } {
  const d = new Date(Math.min(Math.max(ms, Date.UTC(1980, 0, 1)), Date.UTC(2107, 11, 31, 23, 59, 58)));
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
