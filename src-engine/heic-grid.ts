/**
 * Very large HEIC photos (a Samsung "200 MP" picture is a grid of 768 tiles of 512 x 512)
 * decoded tile by tile and shrunk as they come, so memory stays bounded: the whole picture
 * in RGBA would need about 800 MB, twice over. The grid layout and the turn are read from
 * the file's boxes (ISO/IEC 23008-12: pitm, iref/dimg, iloc, idat, iprp/ipco/ipma); each
 * tile is decoded by libheif (WebAssembly, the decoder heic-decode ships).
 */
import { createRequire } from 'node:module';
import { AppError } from '../src-shared/errors';
import { readBoxes, type Box } from '../src-formats';
import { loadSharp } from './sharp';

/** The boxes from `start` to `end` (bytes left after the last one are ignored, as decoders do). */
function boxes(b: Uint8Array, start: number, end: number): Box[] {
  const read = readBoxes(b, start, end);
  if (!read) throw new AppError('file_corrupt');
  return read.boxes;
}

export interface GridLayout {
  rows: number;
  columns: number;
  width: number;
  height: number;
  tiles: number[];
  /** In the order the file lists them: counter-clockwise quarter turns, or a mirror axis. */
  transforms: Array<{ rotateCcw: number } | { mirrorAxis: number }>;
}

/** The primary image's grid, or undefined when the primary image is not a grid. */
export function readGridLayout(b: Uint8Array): GridLayout | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const uint = (at: number, size: number): number =>
    size === 0 ? 0 : size === 1 ? b[at]! : size === 2 ? view.getUint16(at) : size === 4 ? view.getUint32(at) : Number(view.getBigUint64(at));
  const meta = boxes(b, 0, b.length).find((x) => x.type === 'meta');
  if (!meta) return undefined;
  const kids = boxes(b, meta.body + 4, meta.end);
  const find = (type: string) => kids.find((k) => k.type === type);
  const pitm = find('pitm');
  const iref = find('iref');
  const iloc = find('iloc');
  const iprp = find('iprp');
  if (!pitm || !iref || !iloc || !iprp) return undefined;
  const primary = b[pitm.body] === 0 ? view.getUint16(pitm.body + 4) : view.getUint32(pitm.body + 4);

  // iref: dimg from the primary item lists its tiles, in raster order.
  const irefLarge = b[iref.body] !== 0;
  let tiles: number[] | undefined;
  for (const ref of boxes(b, iref.body + 4, iref.end)) {
    const idSize = irefLarge ? 4 : 2;
    if (ref.type !== 'dimg' || uint(ref.body, idSize) !== primary) continue;
    const count = view.getUint16(ref.body + idSize);
    tiles = Array.from({ length: count }, (_, i) => uint(ref.body + idSize + 2 + i * idSize, idSize));
  }
  if (!tiles) return undefined;

  // iloc: where the grid's own few bytes are (usually in idat).
  const version = b[iloc.body]!;
  let at = iloc.body + 4;
  const offsetSize = b[at]! >> 4;
  const lengthSize = b[at]! & 15;
  const baseOffsetSize = b[at + 1]! >> 4;
  const indexSize = version >= 1 ? b[at + 1]! & 15 : 0;
  at += 2;
  const itemCount = version < 2 ? view.getUint16(at) : view.getUint32(at);
  at += version < 2 ? 2 : 4;
  let grid: { method: number; offset: number; length: number } | undefined;
  for (let i = 0; i < itemCount && at < iloc.end; i++) {
    const id = version < 2 ? view.getUint16(at) : view.getUint32(at);
    at += version < 2 ? 2 : 4;
    const method = version >= 1 ? view.getUint16(at) & 15 : 0;
    if (version >= 1) at += 2;
    at += 2; // data_reference_index
    const base = uint(at, baseOffsetSize);
    at += baseOffsetSize;
    const extents = view.getUint16(at);
    at += 2;
    for (let e = 0; e < extents; e++) {
      at += indexSize;
      const offset = uint(at, offsetSize);
      at += offsetSize;
      const length = uint(at, lengthSize);
      at += lengthSize;
      if (id === primary && e === 0) grid = { method, offset: base + offset, length };
    }
  }
  if (!grid) return undefined;
  let start = grid.offset;
  if (grid.method === 1) {
    const idat = find('idat');
    if (!idat) return undefined;
    start = idat.body + grid.offset;
  } else if (grid.method !== 0) {
    return undefined;
  }
  const large = (b[start + 1]! & 1) === 1;
  const rows = b[start + 2]! + 1;
  const columns = b[start + 3]! + 1;
  const width = large ? view.getUint32(start + 4) : view.getUint16(start + 4);
  const height = large ? view.getUint32(start + 8) : view.getUint16(start + 6);
  if (rows * columns !== tiles.length) throw new AppError('file_corrupt');

  // ipma/ipco: the turns and mirrors that apply to the primary item.
  const parts = boxes(b, iprp.body, iprp.end);
  const ipco = parts.find((p) => p.type === 'ipco');
  const ipma = parts.find((p) => p.type === 'ipma');
  const transforms: GridLayout['transforms'] = [];
  if (ipco && ipma) {
    const properties = boxes(b, ipco.body, ipco.end);
    const ipmaVersion = b[ipma.body]!;
    const wide = (b[ipma.body + 3]! & 1) === 1;
    let p = ipma.body + 4;
    const entries = view.getUint32(p);
    p += 4;
    for (let i = 0; i < entries && p < ipma.end; i++) {
      const id = ipmaVersion < 1 ? view.getUint16(p) : view.getUint32(p);
      p += ipmaVersion < 1 ? 2 : 4;
      const count = b[p]!;
      p += 1;
      for (let a = 0; a < count; a++) {
        const index = wide ? view.getUint16(p) & 0x7fff : b[p]! & 0x7f;
        p += wide ? 2 : 1;
        if (id !== primary || index === 0) continue;
        const property = properties[index - 1];
        if (property?.type === 'irot') transforms.push({ rotateCcw: b[property.body]! & 3 });
        if (property?.type === 'imir') transforms.push({ mirrorAxis: b[property.body]! & 1 });
      }
    }
  }
  return { rows, columns, width, height, tiles, transforms };
}

interface LibHeif {
  ready: Promise<void>;
  heif_context_alloc(): unknown;
  heif_context_free(ctx: unknown): void;
  heif_context_read_from_memory(ctx: unknown, data: Uint8Array): { code: unknown };
  heif_js_context_get_image_handle(ctx: unknown, id: number): { code?: unknown };
  heif_image_handle_get_width(handle: unknown): number;
  heif_image_handle_get_height(handle: unknown): number;
  heif_image_handle_release(handle: unknown): void;
  heif_js_decode_image2(handle: unknown, space: unknown, chroma: unknown): Promise<{
    code?: unknown;
    image: unknown;
    channels: Array<{ id: unknown; width: number; height: number; stride: number; data: Uint8Array }>;
  }>;
  heif_image_release(image: unknown): void;
  heif_error_code: { heif_error_Ok: unknown };
  heif_colorspace: { heif_colorspace_RGB: unknown };
  heif_chroma: { heif_chroma_interleaved_RGBA: unknown };
  heif_channel: { heif_channel_interleaved: unknown };
}

/**
 * The grid picture shrunk so that its long side is at most `maxLongSide`, upright (the
 * file's turns applied), as raw RGB.
 */
export async function decodeGridShrunk(
  bytes: Uint8Array,
  layout: GridLayout,
  maxLongSide: number,
): Promise<{ data: Buffer; width: number; height: number }> {
  const sharp = await loadSharp();
  // heic-decode's own libheif build (it has no typings of its own for this level).
  const lib = createRequire(import.meta.url)('libheif-js/wasm-bundle') as LibHeif;
  await lib.ready;
  const scale = Math.min(1, maxLongSide / Math.max(layout.width, layout.height));
  const ctx = lib.heif_context_alloc();
  try {
    if (lib.heif_context_read_from_memory(ctx, bytes).code !== lib.heif_error_code.heif_error_Ok) throw new AppError('file_corrupt');
    let tileWidth = 0;
    let tileHeight = 0;
    let canvas: Buffer | undefined;
    let canvasWidth = 0;
    let canvasHeight = 0;
    for (const [i, id] of layout.tiles.entries()) {
      const handle = lib.heif_js_context_get_image_handle(ctx, id);
      if (!handle || handle.code) throw new AppError('file_corrupt');
      try {
        if (!canvas) {
          tileWidth = lib.heif_image_handle_get_width(handle);
          tileHeight = lib.heif_image_handle_get_height(handle);
          canvasWidth = Math.max(1, Math.round(layout.columns * tileWidth * scale));
          canvasHeight = Math.max(1, Math.round(layout.rows * tileHeight * scale));
          canvas = Buffer.alloc(canvasWidth * canvasHeight * 3, 255);
        }
        const image = await lib.heif_js_decode_image2(handle, lib.heif_colorspace.heif_colorspace_RGB, lib.heif_chroma.heif_chroma_interleaved_RGBA);
        if (!image || image.code) throw new AppError('file_corrupt');
        try {
          const plane = image.channels.find((c) => c.id === lib.heif_channel.heif_channel_interleaved);
          if (!plane || plane.width !== tileWidth || plane.height !== tileHeight) throw new AppError('file_corrupt');
          const row = Math.floor(i / layout.columns);
          const column = i % layout.columns;
          const x0 = Math.round(column * tileWidth * scale);
          const x1 = Math.round((column + 1) * tileWidth * scale);
          const y0 = Math.round(row * tileHeight * scale);
          const y1 = Math.round((row + 1) * tileHeight * scale);
          if (x1 <= x0 || y1 <= y0) continue;
          const small = await sharp(plane.data, { raw: { width: plane.width, height: plane.height, channels: 4 } })
            .removeAlpha()
            .resize({ width: x1 - x0, height: y1 - y0, fit: 'fill' })
            .raw()
            .toBuffer();
          for (let y = 0; y < y1 - y0 && y0 + y < canvasHeight; y++) {
            const copy = Math.min(x1 - x0, canvasWidth - x0);
            small.copy(canvas, ((y0 + y) * canvasWidth + x0) * 3, y * (x1 - x0) * 3, y * (x1 - x0) * 3 + copy * 3);
          }
        } finally {
          lib.heif_image_release(image.image);
        }
      } finally {
        lib.heif_image_handle_release(handle);
      }
    }
    if (!canvas) throw new AppError('file_corrupt');
    // The grid is cropped to its declared size, then turned as the file says.
    const width = Math.min(canvasWidth, Math.max(1, Math.round(layout.width * scale)));
    const height = Math.min(canvasHeight, Math.max(1, Math.round(layout.height * scale)));
    let picture = sharp(canvas, { raw: { width: canvasWidth, height: canvasHeight, channels: 3 } }).extract({ left: 0, top: 0, width, height });
    for (const t of layout.transforms) {
      // Each transform needs its own pipeline: sharp applies one rotation per pipeline.
      const step = await picture.raw().toBuffer({ resolveWithObject: true });
      picture = sharp(step.data, { raw: { width: step.info.width, height: step.info.height, channels: 3 } });
      if ('rotateCcw' in t) {
        if (t.rotateCcw) picture.rotate(360 - t.rotateCcw * 90);
      } else if (t.mirrorAxis === 0) {
        // Mirrored about a vertical axis: left and right swap.
        picture.flop();
      } else {
        picture.flip();
      }
    }
    const out = await picture.raw().toBuffer({ resolveWithObject: true });
    return { data: out.data, width: out.info.width, height: out.info.height };
  } finally {
    lib.heif_context_free(ctx);
  }
}
