/**
 * The one walk over a JPEG's markers before its first scan, for the engine (whole file in
 * memory) and the server (a file read in chunks). Its rules are libjpeg's (jdmarker.c,
 * read_markers), so a file passes here only if a real decoder would read its header:
 * - the file opens with SOI; any number of 0xFF fill bytes may precede a marker;
 * - RST0-7 and TEM carry no length and are passed over;
 * - a second SOI, an EOI before any scan, a second frame header (SOF), a scan (SOS) before
 *   a frame, and a reserved marker (JPGn, DHP, EXP, RESn) are errors;
 * - every other marker before the scan has a 16-bit length of at least 2 that stays inside
 *   the file.
 * One stricter rule than libjpeg's: bytes that are not a marker where a marker must be are an
 * error (libjpeg skips them with a warning; here they mean a damaged or doctored file).
 */

export const SOI = 0xd8;
export const EOI = 0xd9;
export const SOS = 0xda;

export interface JpegSegment {
  marker: number;
  /** Offset of the marker's 0xFF. */
  start: number;
  /** Offset just after the segment. */
  end: number;
}

/** Where the walk goes next: on at `next`, the first scan's header found, or a broken file. */
export type MarkerStep = { next: number; segment?: JpegSegment } | { scan: JpegSegment } | 'corrupt';

/** Frame headers: SOF0-3, 5-7, 9-11, 13-15 (C4 is DHT, C8 JPG, CC DAC). */
export function isFrameMarker(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers libjpeg reads a length for before the first scan. */
function hasLength(marker: number): boolean {
  return (
    isFrameMarker(marker) ||
    marker === 0xc4 || // DHT
    marker === 0xcc || // DAC
    (marker >= 0xdb && marker <= 0xdd) || // DQT, DNL, DRI
    (marker >= 0xe0 && marker <= 0xef) || // APPn
    marker === 0xfe // COM
  );
}

/** True when the bytes open with SOI (FF D8), where every JPEG starts. */
export function startsWithSoi(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === SOI;
}

/** The position of the first marker after SOI. */
export const FIRST_MARKER = 2;

/** Walks the markers before the first scan; fed the bytes at each position it asks for. */
export class JpegMarkerWalk {
  private sawFrame = false;

  /**
   * One step from `pos`: `header` holds the bytes from `pos` (4, or fewer at the end of the
   * file), `size` is the file's size.
   */
  step(header: Uint8Array, pos: number, size: number): MarkerStep {
    if (header.length < 2 || header[0] !== 0xff) return 'corrupt';
    const marker = header[1]!;
    if (marker === 0xff) return { next: pos + 1 }; // a fill byte
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) return { next: pos + 2 }; // RSTn, TEM
    if (!hasLength(marker) && marker !== SOS) return 'corrupt'; // SOI, EOI, reserved
    if (header.length < 4) return 'corrupt';
    const length = (header[2]! << 8) | header[3]!;
    const end = pos + 2 + length;
    if (length < 2 || end > size) return 'corrupt';
    const segment = { marker, start: pos, end };
    if (marker === SOS) return this.sawFrame ? { scan: segment } : 'corrupt';
    if (isFrameMarker(marker)) {
      if (this.sawFrame) return 'corrupt';
      this.sawFrame = true;
    }
    return { next: end, segment };
  }
}

/**
 * Whether an EOI follows the first scan. Entropy-coded data never holds FF D9 (a data 0xFF is
 * always followed by a stuffed 00), so any FF D9 after the scan's header is a genuine end of
 * image; it is looked for from the end, where it normally sits.
 */
export function hasEoiAfter(bytes: Uint8Array, scanDataStart: number): boolean {
  for (let i = bytes.length - 2; i >= scanDataStart; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === EOI) return true;
  }
  return false;
}
