/**
 * JPEG at the marker level: enough to check that a file is whole and to drop metadata
 * segments without touching the compressed picture (no re-encoding, no quality loss).
 */
import { FIRST_MARKER, hasEoiAfter, isFrameMarker, JpegMarkerWalk, startsWithSoi, type JpegSegment } from './markers';

const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;
const COM = 0xfe;

export interface JpegLayout {
  segments: JpegSegment[];
  /** Offset of the first SOS marker: everything from there is picture data. */
  scanStart: number;
  /** True when an EOI marker closes the data (a cut download has none). */
  complete: boolean;
}

/** The header segments up to the first scan; undefined when the structure is broken. */
export function readJpegLayout(bytes: Uint8Array): JpegLayout | undefined {
  if (bytes.length < 4 || !startsWithSoi(bytes)) return undefined;
  const segments: JpegSegment[] = [];
  const walk = new JpegMarkerWalk();
  let offset = FIRST_MARKER;
  while (offset + 4 <= bytes.length) {
    const step = walk.step(bytes.subarray(offset, offset + 4), offset, bytes.length);
    if (step === 'corrupt') return undefined;
    if ('scan' in step) return { segments, scanStart: step.scan.start, complete: hasEoiAfter(bytes, step.scan.end) };
    if (step.segment) segments.push(step.segment);
    offset = step.next;
  }
  return undefined;
}

function startsWith(bytes: Uint8Array, offset: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Keeps what decoding needs and drops what tells about the person or the camera: EXIF
 * (GPS, camera, date), XMP, IPTC/Photoshop, comments, maker segments. Kept: JFIF (APP0),
 * the ICC colour profile (APP2 ICC_PROFILE) and Adobe's APP14, which says how to read the
 * colours. Everything from the first scan on is copied as it is.
 */
export function stripJpegMetadata(bytes: Uint8Array, layout: JpegLayout): Uint8Array {
  const keep: Array<[number, number]> = [[0, 2]];
  for (const s of layout.segments) {
    const isApp = s.marker >= APP0 && s.marker <= 0xef;
    const payload = s.start + 4;
    const keepApp =
      s.marker === APP0 || s.marker === APP14 || (s.marker === APP2 && startsWith(bytes, payload, 'ICC_PROFILE\0'));
    if ((isApp && !keepApp) || s.marker === COM) continue;
    keep.push([s.start, s.end]);
  }
  keep.push([layout.scanStart, bytes.length]);
  // Nothing to drop: the very same bytes (no copy of a large picture).
  if (keep.length === layout.segments.length + 2) return bytes;
  const size = keep.reduce((n, [a, b]) => n + (b - a), 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const [a, b] of keep) {
    out.set(bytes.subarray(a, b), at);
    at += b - a;
  }
  return out;
}

/** The picture data (first scan to the end): equal data means an untouched picture. */
export function jpegScanData(bytes: Uint8Array): Uint8Array | undefined {
  const layout = readJpegLayout(bytes);
  return layout ? bytes.subarray(layout.scanStart) : undefined;
}

export interface JpegHeader {
  width: number;
  height: number;
  components: number;
  precision: number;
  /** EXIF orientation, 1 when absent. */
  orientation: number;
  /** The embedded ICC profile (APP2 chunks joined), if any. */
  icc?: Uint8Array;
}

function readExifOrientation(bytes: Uint8Array, start: number, end: number): number {
  // "Exif\0\0" then a TIFF header: byte order, 42, offset of IFD0.
  const tiff = start + 6;
  if (end - tiff < 8) return 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[tiff] === 0x49 && bytes[tiff + 1] === 0x49;
  if (!little && !(bytes[tiff] === 0x4d && bytes[tiff + 1] === 0x4d)) return 1;
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return 1;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return 1;
    if (view.getUint16(entry, little) === 0x0112) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/**
 * Size, components and orientation from the markers alone: a JPEG that goes into a PDF as
 * it is never needs an image library, which keeps that path fast.
 */
export function readJpegHeader(bytes: Uint8Array, layout: JpegLayout): JpegHeader | undefined {
  let header: Omit<JpegHeader, 'orientation'> | undefined;
  let orientation = 1;
  const iccChunks: Array<[number, Uint8Array]> = [];
  for (const s of layout.segments) {
    const payload = s.start + 4;
    if (isFrameMarker(s.marker)) {
      if (s.end - payload < 6) return undefined;
      header = {
        precision: bytes[payload]!,
        height: (bytes[payload + 1]! << 8) | bytes[payload + 2]!,
        width: (bytes[payload + 3]! << 8) | bytes[payload + 4]!,
        components: bytes[payload + 5]!,
      };
    } else if (s.marker === 0xe1 && startsWith(bytes, payload, 'Exif\0\0') && orientation === 1) {
      orientation = readExifOrientation(bytes, payload, s.end);
    } else if (s.marker === APP2 && startsWith(bytes, payload, 'ICC_PROFILE\0')) {
      iccChunks.push([bytes[payload + 12] ?? 0, bytes.subarray(payload + 14, s.end)]);
    }
  }
  if (!header || header.width === 0 || header.height === 0) return undefined;
  let icc: Uint8Array | undefined;
  if (iccChunks.length) {
    iccChunks.sort((a, b) => a[0] - b[0]);
    icc = new Uint8Array(iccChunks.reduce((n, [, c]) => n + c.length, 0));
    let at = 0;
    for (const [, c] of iccChunks) {
      icc.set(c, at);
      at += c.length;
    }
  }
  return { ...header, orientation, icc };
}
