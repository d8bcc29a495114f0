/**
 * Perspective maths for flattening a photographed page: the 3×3 homography between two
 * quadrilaterals, and a bilinear warp of raw pixels through it. sharp (libvips) has affine
 * transforms only; OpenCV.js would bring ~10 MB of WebAssembly and a copy of every picture
 * into its heap for one function of ~60 lines, run here on a picture already shrunk to the
 * output size (a few Mpx), where plain JavaScript takes tens of milliseconds.
 */

export type Point = readonly [number, number];
/** Top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];
/** Row-major 3×3, h[8] = 1. */
export type Homography = Float64Array;

/** Solves A x = b (n×n, partial pivoting); throws on a degenerate system. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12) throw new Error('degenerate quadrilateral');
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** The homography taking each `from` corner to the matching `to` corner. */
export function homography(from: Quad, to: Quad): Homography {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  return Float64Array.from([...solve(a, b), 1]);
}

export function apply(h: Homography, [x, y]: Point): [number, number] {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

export function rectangle(width: number, height: number): Quad {
  return [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ];
}

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
  /**
   * These pixels are a window of a larger photo (3 channels): where it sits in it, and the
   * photo's size. Maps into the photo keep the photo's coordinates, so that a page read from a
   * window is the same to the byte as one read from the whole photo.
   */
  window?: PhotoWindow;
}

export interface PhotoWindow {
  left: number;
  top: number;
  photoWidth: number;
  photoHeight: number;
}

/** Where `image`'s pixels sit in their photo, and the photo's size (the image itself when it is whole). */
export function placeOf(image: RawImage): PhotoWindow {
  return image.window ?? { left: 0, top: 0, photoWidth: image.width, photoHeight: image.height };
}

/** Fills `row` (one gain per output pixel of row `y`): the light evened in the same pass as the warp. */
export type RowGain = (y: number, row: Float32Array) => void;

/**
 * The homography is exact at every SPAN-th pixel of a row and linear in between: the
 * division per pixel goes, and the error stays under a hundredth of a pixel (the map's
 * curvature over 16 pixels, even for a page seen at a steep angle).
 */
export const SPAN = 16;
/** A tile of the output: rows, and columns (a multiple of SPAN, so that a row's spans, and its pixels, stay the same). */
export const TILE_ROWS = 16;
export const TILE_COLUMNS = 128;

/**
 * Fills a `width`×`height` picture by sampling `source` where `outToSource` sends each
 * output pixel centre (bilinear), each value multiplied by `gain` when given. Outside the
 * source: `fill` (or the pixel is left as it is in `into`, when given, which is how a page
 * is laid onto a background). `rows`: only these output rows are written. One pass over
 * typed arrays: a 12 MP photo gives an A4 page at 212 dpi (4.3 Mpx) in a few tens of
 * milliseconds.
 */
export function warp(
  source: RawImage,
  outToSource: Homography,
  width: number,
  height: number,
  options: { fill?: number; into?: RawImage; gain?: RowGain; rows?: readonly [number, number] } = {},
): RawImage {
  const { channels } = source;
  const out = options.into ?? { data: new Uint8Array(width * height * channels).fill(options.fill ?? 255), width, height, channels };
  const raw = out.data;
  const [from, to] = options.rows ?? [0, height];
  if (channels !== 3) {
    // A gain may push paper past white: 255 then (colour pictures, the usual case, are
    // clamped by hand in their row function, a little faster than through this view).
    const dst = new Uint8ClampedArray(raw.buffer, raw.byteOffset, raw.byteLength);
    const gain = new Float32Array(width).fill(1);
    for (let y = from; y < to; y++) {
      options.gain?.(y, gain);
      warpRows(source, outToSource, dst, width, y, gain);
    }
    return out;
  }
  // In tiles, not whole rows: a tile's pixels read a small patch of the photo, which stays in
  // the cache, where a whole row of a page seen askew reads a slanted line across hundreds of
  // the photo's rows (the preview, which reads every second or third pixel, most of all).
  const gains = Array.from({ length: TILE_ROWS }, () => new Float32Array(width).fill(1));
  const stride = source.width * 3;
  const { left, top, photoWidth, photoHeight } = placeOf(source);
  for (let y0 = from; y0 < to; y0 += TILE_ROWS) {
    const y1 = Math.min(to, y0 + TILE_ROWS);
    if (options.gain) for (let y = y0; y < y1; y++) options.gain(y, gains[y - y0]!);
    for (let x0 = 0; x0 < width; x0 += TILE_COLUMNS) {
      const x1 = Math.min(width, x0 + TILE_COLUMNS);
      for (let y = y0; y < y1; y++) warpRowRgb(source.data, top, left, stride, photoWidth, photoHeight, outToSource, raw, y * width * 3, y, gains[y - y0]!, SPAN, x0, x1);
    }
  }
  return out;
}

/**
 * One output row `y` of a 3-channel picture, the common case (every flattened page), kept
 * apart so that its loop is compiled for exactly these types; same arithmetic as `warpRows`.
 * Self-contained (no name from outside but Math), so that a worker thread can run the very
 * same code on a band of rows (warp-threads.ts): `src` may hold only a window of the photo
 * (`stride` bytes a row, from row `firstRow` and column `firstCol`; `sw`×`sh` is the whole
 * photo's size, whose edges the bounds are tested against), `rowStart` is where row `y`
 * begins in `raw`, and only its pixels `fromX`..`toX` are written (`fromX` a multiple of `span`).
 */
export function warpRowRgb(
  src: Uint8Array,
  firstRow: number,
  firstCol: number,
  stride: number,
  sw: number,
  sh: number,
  h: Float64Array,
  raw: Uint8Array,
  rowStart: number,
  y: number,
  gain: Float32Array,
  span: number,
  fromX: number,
  toX: number,
): void {
  const maxX = sw - 1;
  const maxY = sh - 1;
  const cy = y + 0.5;
  const c0 = fromX + 0.5;
  let w = h[6]! * c0 + h[7]! * cy + h[8]!;
  let ex = (h[0]! * c0 + h[1]! * cy + h[2]!) / w - 0.5;
  let ey = (h[3]! * c0 + h[4]! * cy + h[5]!) / w - 0.5;
  for (let xs = fromX; xs < toX; xs += span) {
    const xe = Math.min(toX, xs + span);
    let sx = ex;
    let sy = ey;
    const cx = xe + 0.5;
    w = h[6]! * cx + h[7]! * cy + h[8]!;
    ex = (h[0]! * cx + h[1]! * cy + h[2]!) / w - 0.5;
    ey = (h[3]! * cx + h[4]! * cy + h[5]!) / w - 0.5;
    const dx = (ex - sx) / (xe - xs);
    const dy = (ey - sy) / (xe - xs);
    for (let x = xs, o = rowStart + xs * 3; x < xe; x++, sx += dx, sy += dy, o += 3) {
      let x0: number;
      let y0: number;
      let fx: number;
      let fy: number;
      let nx = 3;
      let ny = stride;
      if (sx >= 0 && sy >= 0 && sx < maxX && sy < maxY) {
        x0 = sx | 0;
        y0 = sy | 0;
        fx = sx - x0;
        fy = sy - y0;
      } else {
        if (!(sx >= -0.5 && sy >= -0.5 && sx <= sw - 0.5 && sy <= sh - 0.5)) continue;
        x0 = Math.max(0, Math.min(maxX, Math.floor(sx)));
        y0 = Math.max(0, Math.min(maxY, Math.floor(sy)));
        fx = Math.max(0, Math.min(1, sx - x0));
        fy = Math.max(0, Math.min(1, sy - y0));
        if (x0 === maxX) nx = 0;
        if (y0 === maxY) ny = 0;
      }
      const i00 = (y0 - firstRow) * stride + (x0 - firstCol) * 3;
      const g = gain[x]!;
      const w11 = fx * fy * g;
      const w10 = fx * g - w11;
      const w01 = fy * g - w11;
      const w00 = g - w10 - w01 - w11;
      const i10 = i00 + nx;
      const i01 = i00 + ny;
      const i11 = i01 + nx;
      const r = src[i00]! * w00 + src[i10]! * w10 + src[i01]! * w01 + src[i11]! * w11 + 0.5;
      const gg = src[i00 + 1]! * w00 + src[i10 + 1]! * w10 + src[i01 + 1]! * w01 + src[i11 + 1]! * w11 + 0.5;
      const b = src[i00 + 2]! * w00 + src[i10 + 2]! * w10 + src[i01 + 2]! * w01 + src[i11 + 2]! * w11 + 0.5;
      raw[o] = r < 255 ? r : 255;
      raw[o + 1] = gg < 255 ? gg : 255;
      raw[o + 2] = b < 255 ? b : 255;
    }
  }
}

/** Where the homography sends the centre of output pixel (x, cy - 0.5), into `p` (source pixel centres). */
function sourceAt(h: Homography, x: number, cy: number, p: Float64Array): void {
  const cx = x + 0.5;
  const w = h[6]! * cx + h[7]! * cy + h[8]!;
  p[0] = (h[0]! * cx + h[1]! * cy + h[2]!) / w - 0.5;
  p[1] = (h[3]! * cx + h[4]! * cy + h[5]!) / w - 0.5;
}

const ends = new Float64Array(2);

/** One output row, any number of channels (grey and RGBA pictures of the test photos). */
function warpRows(source: RawImage, h: Homography, dst: Uint8ClampedArray, width: number, y: number, gain: Float32Array): void {
  const { channels, data: src, width: sw, height: sh } = source;
  const maxX = sw - 1;
  const maxY = sh - 1;
  const stride = sw * channels;
  const cy = y + 0.5;
  sourceAt(h, 0, cy, ends);
  let ex = ends[0]!;
  let ey = ends[1]!;
  for (let xs = 0; xs < width; xs += SPAN) {
    const xe = Math.min(width, xs + SPAN);
    let sx = ex;
    let sy = ey;
    sourceAt(h, xe, cy, ends);
    ex = ends[0]!;
    ey = ends[1]!;
    const dx = (ex - sx) / (xe - xs);
    const dy = (ey - sy) / (xe - xs);
    for (let x = xs, o = (y * width + xs) * channels; x < xe; x++, sx += dx, sy += dy, o += channels) {
      let x0: number;
      let y0: number;
      let fx: number;
      let fy: number;
      let nx = channels;
      let ny = stride;
      if (sx >= 0 && sy >= 0 && sx < maxX && sy < maxY) {
        x0 = sx | 0;
        y0 = sy | 0;
        fx = sx - x0;
        fy = sy - y0;
      } else {
        if (!(sx >= -0.5 && sy >= -0.5 && sx <= sw - 0.5 && sy <= sh - 0.5)) continue;
        // Within half a pixel of an edge the edge pixel is repeated.
        x0 = Math.max(0, Math.min(maxX, Math.floor(sx)));
        y0 = Math.max(0, Math.min(maxY, Math.floor(sy)));
        fx = Math.max(0, Math.min(1, sx - x0));
        fy = Math.max(0, Math.min(1, sy - y0));
        if (x0 === maxX) nx = 0;
        if (y0 === maxY) ny = 0;
      }
      const i00 = y0 * stride + x0 * channels;
      const g = gain[x]!;
      const w11 = fx * fy * g;
      const w10 = fx * g - w11;
      const w01 = fy * g - w11;
      const w00 = g - w10 - w01 - w11;
      const i10 = i00 + nx;
      const i01 = i00 + ny;
      const i11 = i01 + nx;
      for (let c = 0; c < channels; c++) dst[o + c] = src[i00 + c]! * w00 + src[i10 + c]! * w10 + src[i01 + c]! * w01 + src[i11 + c]! * w11;
    }
  }
}

/** Shoelace area (positive for either winding). */
export function area(points: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

export function isConvex(q: Quad): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = q[i]!;
    const [bx, by] = q[(i + 1) % 4]!;
    const [cx, cy] = q[(i + 2) % 4]!;
    const cross = (bx - ax) * (cy - by) - (by - ay) * (cx - bx);
    if (cross === 0) return false;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return true;
}
