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
}

/**
 * Fills a `width`×`height` picture by sampling `source` where `outToSource` sends each
 * output pixel centre (bilinear). Outside the source: `fill` (or the pixel is left as it is
 * in `into`, when given, which is how a page is laid onto a background).
 */
export function warp(
  source: RawImage,
  outToSource: Homography,
  width: number,
  height: number,
  options: { fill?: number; into?: RawImage } = {},
): RawImage {
  const { channels, data: src, width: sw, height: sh } = source;
  const out = options.into ?? { data: new Uint8Array(width * height * channels).fill(options.fill ?? 255), width, height, channels };
  const dst = out.data;
  const h = outToSource;
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    for (let x = 0; x < width; x++) {
      const cx = x + 0.5;
      const w = h[6]! * cx + h[7]! * cy + h[8]!;
      const sx = (h[0]! * cx + h[1]! * cy + h[2]!) / w - 0.5;
      const sy = (h[3]! * cx + h[4]! * cy + h[5]!) / w - 0.5;
      if (sx < -0.5 || sy < -0.5 || sx > sw - 0.5 || sy > sh - 0.5) continue;
      const x0 = Math.max(0, Math.min(sw - 1, Math.floor(sx)));
      const y0 = Math.max(0, Math.min(sh - 1, Math.floor(sy)));
      const x1 = Math.min(sw - 1, x0 + 1);
      const y1 = Math.min(sh - 1, y0 + 1);
      const fx = Math.max(0, Math.min(1, sx - x0));
      const fy = Math.max(0, Math.min(1, sy - y0));
      const i00 = (y0 * sw + x0) * channels;
      const i10 = (y0 * sw + x1) * channels;
      const i01 = (y1 * sw + x0) * channels;
      const i11 = (y1 * sw + x1) * channels;
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        const top = src[i00 + c]! + (src[i10 + c]! - src[i00 + c]!) * fx;
        const bottom = src[i01 + c]! + (src[i11 + c]! - src[i01 + c]!) * fx;
        dst[o + c] = top + (bottom - top) * fy + 0.5;
      }
    }
  }
  return out;
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
