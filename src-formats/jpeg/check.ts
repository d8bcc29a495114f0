/**
 * A cheap structural check of a JPEG already on disk: the marker segments up to the first scan
 * must chain correctly and include a frame header (SOF), and an end-of-image marker must follow
 * the scan. This catches files cut short by an interrupted download or transfer without
 * decoding a single pixel.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../src-shared/errors';
import { FIRST_MARKER, JpegMarkerWalk, startsWithSoi } from './markers';

const TAIL_CHUNK = 64 * 1024;
/**
 * The marker segments before the scan (EXIF, ICC profile, tables) are read in chunks this big:
 * usually one read, since every read is a round trip to the thread pool, which fsyncs of
 * other uploads keep busy.
 */
const HEAD_CHUNK = 256 * 1024;
const EOI = Buffer.from([0xff, 0xd9]);

/** What the upload already holds in memory of a file: its size, first bytes and last bytes. */
export interface KnownBytes {
  size: number;
  head: Buffer;
  tail: Buffer;
}

/**
 * Checks the JPEG at `filePath`. With `known`, the marker segments and the end of image are
 * looked for in those bytes first, and the file is only opened when they are not enough: an
 * upload's check then needs no round trip to the thread pool at all.
 */
export async function checkJpeg(filePath: string, known?: KnownBytes): Promise<void> {
  let file: FileHandle | null = null;
  const readAt = async (position: number, length: number): Promise<Buffer> => {
    file ??= await open(filePath, 'r');
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await file.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  };
  try {
    const size = known ? known.size : (await (file = await open(filePath, 'r')).stat()).size;
    const head = known?.head ?? Buffer.alloc(0);
    const tail = known?.tail ?? Buffer.alloc(0);
    const corrupt = () => new AppError('file_corrupt');
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    /** The 4 bytes at pos, from the head in memory or else the next chunk of the file. */
    const headerAt = async (pos: number): Promise<Buffer> => {
      if (pos < chunkStart || pos + 4 > chunkStart + chunk.length) {
        if (pos + 4 <= head.length) [chunk, chunkStart] = [head, 0];
        else [chunk, chunkStart] = [await readAt(pos, Math.min(HEAD_CHUNK, size - pos)), pos];
      }
      const header = chunk.subarray(pos - chunkStart, pos - chunkStart + 4);
      if (header.length < 4) throw new AppError('file_corrupt'); // the file shrank under us
      return header;
    };
    if (!startsWithSoi(await headerAt(0))) throw corrupt();
    const walk = new JpegMarkerWalk();
    let pos = FIRST_MARKER;
    let scanStart = -1;
    while (pos + 4 <= size) {
      const step = walk.step(await headerAt(pos), pos, size);
      if (step === 'corrupt') throw corrupt();
      if ('scan' in step) {
        scanStart = step.scan.end;
        break;
      }
      pos = step.next;
    }
    if (scanStart < 0) throw corrupt();
    // Any FF D9 after the first scan's header is the end of image (markers.ts, hasEoiAfter),
    // looked for here chunk by chunk from the end, without reading the whole file.
    let end = size;
    const tailStart = size - tail.length;
    if (tail.length > 0 && tailStart >= 0) {
      const from = Math.max(scanStart, tailStart);
      if (tail.subarray(from - tailStart).indexOf(EOI) >= 0) return;
      end = from;
    }
    while (end > scanStart) {
      const start = Math.max(scanStart, end - TAIL_CHUNK);
      // One byte past `end`, so that a marker across two chunks is found.
      const part = await readAt(start, Math.min(end + 1, size) - start);
      if (part.indexOf(EOI) >= 0) return;
      end = start;
    }
    throw corrupt();
  } finally {
    await (file as FileHandle | null)?.close();
  }
}
