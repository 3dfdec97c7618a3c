/**
 * Export archives waiting to be downloaded. `exportBlastRadius` renders an export into one ZIP, keeps
 * it here in a private temporary folder (mode 0700, one file per archive) and hands out a short-lived
 * URL, `/exports/<id>/<file name>`, that the download route (download-route.ts) serves.
 *
 * Bounds, all from ApiLimits: at most `maxConcurrentExports` renderings at once (one more is refused
 * with TOO_BUSY rather than queued, so a burst cannot pile up work behind a client that has given
 * up); at most `maxRetainedExports` archives kept (the oldest goes first); each deleted
 * `exportTtlMs` after it was made. An id is 128 random bits, and an archive is bound to the caller
 * that made it (its token's digest), so a leaked URL alone opens nothing on a server with tokens.
 * Archives live only as long as the process: `close()` deletes the folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../export/manifest.js';
import { apiError } from './errors.js';
import type { ApiLimits } from './limits.js';

export const EXPORTS_PATH = '/exports';

/** What the caller is told about a stored archive. */
export interface DownloadInfo {
  id: string;
  /** Root-relative: `/exports/<id>/<fileName>`. */
  url: string;
  fileName: string;
  bytes: number;
  sha256: string;
  /** Epoch ms after which the archive is gone. */
  expiresAt: number;
}

interface Stored extends DownloadInfo {
  file: string;
  principal: string;
  timer: NodeJS.Timeout;
}

type DownloadLimits = Pick<ApiLimits, 'maxConcurrentExports' | 'maxRetainedExports' | 'exportTtlMs'>;

/** 22 base64url characters: 128 random bits. */
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export class ExportDownloads {
  private readonly stored = new Map<string, Stored>();
  private dir: Promise<string> | null = null;
  private running = 0;
  private closed = false;

  constructor(
    private readonly limits: DownloadLimits,
    /** The clock (epoch ms). @default Date.now */
    private readonly now: () => number = Date.now,
  ) {}

  /** Archives currently kept. */
  get size(): number {
    return this.stored.size;
  }

  /** Renderings in progress. */
  get active(): number {
    return this.running;
  }

  /**
   * Runs `work` in one of the `maxConcurrentExports` slots, or throws TOO_BUSY at once when none is
   * free. The slot is held until `work` settles, even when its client has stopped waiting.
   */
  async withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.maxConcurrentExports) {
      throw apiError(
        'TOO_BUSY',
        `the server is already rendering ${this.running} export${this.running === 1 ? '' : 's'} (its limit); try again when one has finished`,
      );
    }
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }

  /** Keeps `archive` for `principal` under `fileName` (a plain name, no slashes); returns its URL. */
  async add(principal: string, fileName: string, archive: Buffer): Promise<DownloadInfo> {
    if (this.closed) throw new Error('the export store is closed');
    if (!/^[A-Za-z0-9._-]+$/.test(fileName)) throw new Error(`not a plain file name: ${fileName}`);
    const dir = await this.folder();
    const id = randomBytes(16).toString('base64url');
    const file = join(dir, `${id}.zip`);
    await writeFile(file, archive, { mode: 0o600, flag: 'wx' });
    const expiresAt = this.now() + this.limits.exportTtlMs;
    const timer = setTimeout(() => void this.remove(id), this.limits.exportTtlMs);
    timer.unref();
    const entry: Stored = {
      id,
      url: `${EXPORTS_PATH}/${id}/${fileName}`,
      fileName,
      bytes: archive.length,
      sha256: sha256Hex(archive),
      expiresAt,
      file,
      principal,
      timer,
    };
    this.stored.set(id, entry);
    // Oldest first (a Map keeps insertion order).
    for (const old of [...this.stored.keys()].slice(0, Math.max(0, this.stored.size - this.limits.maxRetainedExports))) await this.remove(old);
    const { file: _f, principal: _p, timer: _t, ...info } = entry;
    return info;
  }

  /**
   * Opens the archive `id` named `fileName` for `principal`; null when there is none, it has expired,
   * or it belongs to another caller (all three look the same from outside). The caller closes the
   * handle; an open handle keeps the bytes readable even if the archive expires meanwhile.
   */
  async open(id: string, fileName: string, principal: string): Promise<{ info: DownloadInfo; handle: FileHandle } | null> {
    if (!ID_PATTERN.test(id)) return null;
    const entry = this.stored.get(id);
    if (!entry || entry.fileName !== fileName || entry.principal !== principal) return null;
    if (this.now() >= entry.expiresAt) {
      await this.remove(id);
      return null;
    }
    try {
      const handle = await open(entry.file, 'r');
      const { file: _f, principal: _p, timer: _t, ...info } = entry;
      return { info, handle };
    } catch {
      return null;
    }
  }

  /** Deletes every archive and the folder; later `add` calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.stored.values()) clearTimeout(entry.timer);
    this.stored.clear();
    const dir = await this.dir?.catch(() => null);
    this.dir = null;
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }

  private folder(): Promise<string> {
    // mkdtemp makes the folder 0700: other local users cannot list or read the archives.
    this.dir ??= mkdtemp(join(tmpdir(), 'blast-exports-')).catch((err: unknown) => {
      this.dir = null; // try again next time (a full /tmp may have room later)
      throw err;
    });
    return this.dir;
  }

  private async remove(id: string): Promise<void> {
    const entry = this.stored.get(id);
    if (!entry) return;
    this.stored.delete(id);
    clearTimeout(entry.timer);
    await rm(entry.file, { force: true }).catch(() => undefined);
  }
}
