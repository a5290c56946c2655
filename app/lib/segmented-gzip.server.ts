/**
 * A gzip body made of pieces compressed once and pieces that change on every response.
 *
 * A shared signed-in render (./page-shell.server.ts) is the same long page for every visitor but
 * for a few short holes (their name, id, unread count and a fresh CSP nonce per response). Left to
 * the `compression` middleware, each response would be deflated whole again: ~1.5 ms of CPU for a
 * 100 KB page, more than the rest of the shared render's answer. Instead each literal part is
 * deflated once, when the render is stored, as a raw DEFLATE stream ended by a sync flush (byte
 * aligned, no final block, no reference to anything before it: a fresh stream has no history),
 * and each response writes the holes as DEFLATE "stored" blocks (RFC 1951 §3.2.4) between them
 * (a long one — a page's personal region — deflated on its own the same way),
 * then an empty final block and the gzip trailer (RFC 1952: CRC-32 and length of the whole
 * uncompressed body). What a browser inflates is exactly the identity body; the CPU per response
 * is one CRC-32 pass over the bytes (~30 µs per 100 KB) and a copy.
 */
import zlib from 'node:zlib';

export interface Segments {
  /** The literal parts, UTF-8. */
  raw: Buffer[];
  /** Each part deflated on its own (raw DEFLATE, sync-flushed). */
  deflated: Buffer[];
  /** Bytes held. */
  bytes: number;
}

// ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown)
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
// An empty final block with fixed Huffman codes: BFINAL=1, BTYPE=01, then the end-of-block code.
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
const STORED_MAX = 0xffff;
/** Fills longer than this are deflated per response; shorter ones (a name, a nonce) sent as they are. */
const DEFLATE_FILL_FROM = 1024;

/** CRC-32 continued over `b` (zlib returns 0 for an empty buffer whose data pointer is null: skipped). */
function crcOf(b: Buffer, crc: number): number {
  return b.length ? zlib.crc32(b, crc) : crc;
}

export function compileSegments(parts: string[]): Segments {
  const raw = parts.map((p) => Buffer.from(p, 'utf8'));
  const deflated = raw.map((b) => zlib.deflateRawSync(b, { level: 6, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
  let bytes = 0;
  for (const b of raw) bytes += b.length;
  for (const b of deflated) bytes += b.length;
  return { raw, deflated, bytes };
}

/** The identity body: part 0, fill 0, part 1, … (fills.length === parts - 1). */
export function joinRaw(s: Segments, fills: Buffer[]): Buffer {
  const list: Buffer[] = [s.raw[0]!];
  for (let i = 0; i < fills.length; i++) list.push(fills[i]!, s.raw[i + 1]!);
  return Buffer.concat(list);
}

/** DEFLATE stored blocks (not final) holding `b` as it is. */
function stored(b: Buffer, into: Buffer[]): void {
  for (let at = 0; at < b.length; at += STORED_MAX) {
    const len = Math.min(STORED_MAX, b.length - at);
    const head = Buffer.allocUnsafe(5);
    head[0] = 0x00; // BFINAL=0, BTYPE=00; the stream is byte-aligned after each sync flush
    head.writeUInt16LE(len, 1);
    head.writeUInt16LE(~len & 0xffff, 3);
    into.push(head, b.subarray(at, at + len));
  }
}

/** The gzip body of the same bytes joinRaw would give. */
export function joinGzip(s: Segments, fills: Buffer[]): Buffer {
  const list: Buffer[] = [GZIP_HEADER, s.deflated[0]!];
  let crc = crcOf(s.raw[0]!, 0);
  let size = s.raw[0]!.length;
  for (let i = 0; i < fills.length; i++) {
    const f = fills[i]!;
    if (f.length > DEFLATE_FILL_FROM) {
      // A long fill (a page's personal region: a visitor's list) is deflated on its own, as the parts are.
      list.push(zlib.deflateRawSync(f, { level: 6, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
      crc = crcOf(f, crc);
      size += f.length;
    } else if (f.length) {
      stored(f, list);
      crc = crcOf(f, crc);
      size += f.length;
    }
    const part = s.raw[i + 1]!;
    list.push(s.deflated[i + 1]!);
    crc = crcOf(part, crc);
    size += part.length;
  }
  const trailer = Buffer.allocUnsafe(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size >>> 0, 4);
  list.push(FINAL_BLOCK, trailer);
  return Buffer.concat(list);
}
