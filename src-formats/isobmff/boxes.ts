/**
 * HEIC and AVIF live in ISO-BMFF boxes (ISO/IEC 14496-12): a 32-bit size (1: a 64-bit size
 * follows; 0: to the end) and a four-letter type. One walker for the whole-file check and for
 * the engine's HEIC grid reader, which walks the boxes inside `meta`.
 */

export interface Box {
  type: string;
  /** Offset of the box's first byte. */
  start: number;
  /** Offset of the box's content, after its header. */
  body: number;
  /** Offset just after the box. */
  end: number;
}

/**
 * The boxes from `start` to `end`, and how many bytes are left after the last one (fewer
 * than a box header); undefined when a box claims more bytes than there are, or fewer than
 * its own header.
 */
export function readBoxes(bytes: Uint8Array, start = 0, end = bytes.length): { boxes: Box[]; rest: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return undefined;
      const big = view.getBigUint64(at + 8);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      size = Number(big);
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) return undefined;
    boxes.push({ type: String.fromCharCode(...bytes.subarray(at + 4, at + 8)), start: at, body: at + header, end: at + size });
    at += size;
  }
  return { boxes, rest: end - at };
}

/**
 * A file cut short (an interrupted transfer from a phone) has a last box that claims more
 * bytes than there are; decoders may still show part of it, so the cut is caught here.
 */
export function isobmffIsWhole(bytes: Uint8Array): boolean {
  const read = readBoxes(bytes);
  return read !== undefined && read.boxes.length > 0 && read.rest === 0;
}
