/**
 * A cheap structural check of a JPEG already on disk: the marker segments up to the first scan
 * must chain correctly and include a frame header (SOF), and an end-of-image marker must follow
 * the scan. This catches files cut short by an interrupted download or transfer without
 * decoding a single pixel.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../src-shared/errors';

const TAIL_CHUNK = 64 * 1024;
/**
 * The marker segments before the scan (EXIF, ICC profile, tables) are read in chunks this big:
 * usually one read, since every read is a round trip to the thread pool, which fsyncs of
 * other uploads keep busy.
 */
const HEAD_CHUNK = 256 * 1024;
const EOI = Buffer.from([0xff, 0xd9]);

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

export async function checkJpeg(filePath: string): Promise<void> {
  const file = await open(filePath, 'r');
  try {
    const size = (await file.stat()).size;
    const corrupt = () => new AppError('file_corrupt');
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    /** The 4 bytes at pos, reading the next chunk when they are not in the current one. */
    const headerAt = async (pos: number): Promise<Buffer> => {
      if (pos < chunkStart || pos + 4 > chunkStart + chunk.length) {
        chunk = await readAt(file, pos, Math.min(HEAD_CHUNK, size - pos));
        chunkStart = pos;
      }
      const header = chunk.subarray(pos - chunkStart, pos - chunkStart + 4);
      if (header.length < 4) throw new AppError('file_corrupt'); // the file shrank under us
      return header;
    };
    let pos = 2;
    let sawFrame = false;
    let scanStart = -1;
    while (pos + 4 <= size) {
      const header = await headerAt(pos);
      if (header[0] !== 0xff) throw corrupt();
      const marker = header[1]!;
      if (marker === 0xff) {
        pos += 1; // fill byte
        continue;
      }
      if (marker === 0xd8 || marker === 0xd9 || (marker >= 0xd0 && marker <= 0xd7)) throw corrupt();
      const length = header.readUInt16BE(2);
      if (length < 2 || pos + 2 + length > size) throw corrupt();
      if (isSof(marker)) sawFrame = true;
      pos += 2 + length;
      if (marker === 0xda) {
        scanStart = pos;
        break;
      }
    }
    if (!sawFrame || scanStart < 0) throw corrupt();
    // Entropy-coded data never holds FF D9 (FF is always stuffed), so any FF D9 after the
    // first scan is a genuine end of image; search backwards, where it normally sits.
    let end = size;
    while (end > scanStart) {
      const start = Math.max(scanStart, end - TAIL_CHUNK);
      // One byte past `end`, so that a marker across two chunks is found.
      const tail = await readAt(file, start, Math.min(end + 1, size) - start);
      if (tail.indexOf(EOI) >= 0) return;
      end = start;
    }
    throw corrupt();
  } finally {
    await file.close();
  }
}
