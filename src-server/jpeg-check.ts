/**
 * A cheap structural check of a JPEG already on disk: the marker segments up to the first scan
 * must chain correctly and include a frame header (SOF), and an end-of-image marker must follow
 * the scan. This catches files cut short by an interrupted download or transfer without
 * decoding a single pixel.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../src-shared/errors';

const TAIL_CHUNK = 64 * 1024;

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
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
    let pos = 2;
    let sawFrame = false;
    let scanStart = -1;
    while (pos + 4 <= size) {
      const header = await readAt(file, pos, 4);
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
      const chunk = await readAt(file, start, end - start + 1 > size - start ? size - start : end - start + 1);
      if (chunk.indexOf(Buffer.from([0xff, 0xd9])) >= 0) return;
      end = start;
    }
    throw corrupt();
  } finally {
    await file.close();
  }
}
