/**
 * The projection on disk (the embedded store keeps one beside its database, so a new process loads it
 * instead of rebuilding). One file:
 *
 *   "BLASTPJ1"  u32 LE header length  header JSON (ProjectionMeta + format)  zero padding to 8
 *   the projection's buffer, byte for byte (projection.ts layout)
 *   "BLASTEND"  u32 LE header length
 *
 * Written to a temporary name, fsynced and renamed, so a reader sees the old file or the new one.
 * A file is trusted only when its magic, trailer and size agree with its header and its version is
 * the store's current graph version (the caller checks that); anything else is ignored and rebuilt.
 */
import { open, rename, rm } from 'node:fs/promises';
import { Projection, type ProjectionMeta } from './projection.js';

const MAGIC = Buffer.from('BLASTPJ1');
const TRAILER = Buffer.from('BLASTEND');
const FORMAT = 1;

interface Header extends ProjectionMeta {
  format: number;
}

export async function writeProjectionFile(path: string, p: Projection): Promise<void> {
  const header = Buffer.from(JSON.stringify({ format: FORMAT, ...p.meta } satisfies Header));
  const head = Buffer.alloc(pad8(MAGIC.length + 4 + header.length));
  MAGIC.copy(head, 0);
  head.writeUInt32LE(header.length, MAGIC.length);
  header.copy(head, MAGIC.length + 4);
  const tail = Buffer.alloc(TRAILER.length + 4);
  TRAILER.copy(tail, 0);
  tail.writeUInt32LE(header.length, TRAILER.length);
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.write(head);
    const body = new Uint8Array(p.buffer, 0, Projection.byteLength(p.meta));
    for (let at = 0; at < body.length; at += 64 << 20) await fh.write(body.subarray(at, Math.min(body.length, at + (64 << 20))));
    await fh.write(tail);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
}

/** The projection stored at `path` when it is whole and describes `version`; else null. */
export async function readProjectionFile(path: string, version: string): Promise<Projection | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await fh.stat();
    const first = Buffer.alloc(MAGIC.length + 4);
    if (size < first.length || (await fh.read(first, 0, first.length, 0)).bytesRead !== first.length) return null;
    if (!first.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const headerLength = first.readUInt32LE(MAGIC.length);
    if (headerLength > 1 << 20 || size < first.length + headerLength) return null;
    const headerBytes = Buffer.alloc(headerLength);
    await fh.read(headerBytes, 0, headerLength, first.length);
    let header: Header;
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as Header;
    } catch {
      return null;
    }
    if (header.format !== FORMAT || header.version !== version) return null;
    const bodyAt = pad8(first.length + headerLength);
    const bodyLength = Projection.byteLength(header);
    if (size !== bodyAt + bodyLength + TRAILER.length + 4) return null;
    const tail = Buffer.alloc(TRAILER.length + 4);
    await fh.read(tail, 0, tail.length, bodyAt + bodyLength);
    if (!tail.subarray(0, TRAILER.length).equals(TRAILER) || tail.readUInt32LE(TRAILER.length) !== headerLength) return null;
    const buffer = new SharedArrayBuffer(bodyLength);
    const body = new Uint8Array(buffer);
    for (let at = 0; at < bodyLength; ) {
      const { bytesRead } = await fh.read(body, at, Math.min(bodyLength - at, 64 << 20), bodyAt + at);
      if (bytesRead === 0) return null;
      at += bytesRead;
    }
    const { format: _, ...meta } = header;
    return Projection.fromBuffer(meta, buffer);
  } finally {
    await fh.close();
  }
}

function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
