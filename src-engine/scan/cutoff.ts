/**
 * Is a corner of the paper outside the photo? The network, asked for four corners, puts one
 * it cannot see inside the frame, often far inside (tuning set: up to half the photo away
 * from the edge the paper runs off), where it cannot be told from a clean photo's corner.
 * What tells them apart is the paper itself: when a corner is cut, the paper runs on past
 * the outline to the edge of the photo; on a clean photo the edge shows the table. So the
 * paper is grown from inside the outline, over pixels of its colour, on the small picture
 * the network reads, and the photo's edge it reaches beyond the outline is measured.
 */
import type { Quad } from './homography';

/** How far the paper may grow past the outline's bounding box, as a share of the picture's side. */
const GROW = 0.35;

interface Rgb {
  r: number;
  g: number;
  b: number;
}

const lum = (c: Rgb): number => 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;

/** Paper seen again: about as bright (shade allowed for), about the same tint. */
function samePaper(paper: Rgb, r: number, g: number, b: number): boolean {
  const ratio = (0.299 * r + 0.587 * g + 0.114 * b) / Math.max(1, lum(paper));
  const tint = Math.abs(r - g - (paper.r - paper.g)) + Math.abs(b - g - (paper.b - paper.g));
  return ratio >= 0.72 && ratio <= 1.25 && tint <= 30;
}

/** For each row, the columns [from, to) inside the (convex) outline: pixel centres tested once per row. */
function rowSpans(q: Quad, size: number): { from: Int32Array; to: Int32Array } {
  const from = new Int32Array(size).fill(size);
  const to = new Int32Array(size);
  for (let y = 0; y < size; y++) {
    const cy = y + 0.5;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < 4; i++) {
      const [ax, ay] = q[i]!;
      const [bx, by] = q[(i + 1) % 4]!;
      if ((cy < ay && cy < by) || (cy > ay && cy > by) || ay === by) continue;
      const x = ax + ((cy - ay) * (bx - ax)) / (by - ay);
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    if (lo > hi) continue;
    from[y] = Math.max(0, Math.ceil(lo - 0.5));
    to[y] = Math.min(size, Math.floor(hi - 0.5) + 1);
  }
  return { from, to };
}

/**
 * The share of the picture's outer edge (its four sides, pixels on the frame) that the
 * paper reaches past the outline. `rgb`: `size`×`size` RGB (the network's picture); `quad`
 * in its pixels.
 */
export function paperAtFrame(rgb: Uint8Array, size: number, quad: Quad): number {
  const { from, to } = rowSpans(quad, size);
  const insideAt = (x: number, y: number): boolean => x >= from[y]! && x < to[y]!;
  // The paper's colour: the pixels inside the outline between the median and the 90th
  // percentile of brightness (text is darker, a reflection brighter).
  const histogram = new Uint32Array(256);
  let count = 0;
  for (let y = 0; y < size; y++) {
    for (let x = from[y]!, i = (y * size + x) * 3; x < to[y]!; x++, i += 3) {
      histogram[(rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8]!++;
      count++;
    }
  }
  if (count < 16) return 0;
  const level = (share: number): number => {
    let seen = 0;
    for (let v = 0; v < 256; v++) if ((seen += histogram[v]!) >= count * share) return v;
    return 255;
  };
  const [low, high] = [level(0.5), level(0.9)];
  const paper = { r: 0, g: 0, b: 0 };
  let n = 0;
  for (let y = 0; y < size; y++) {
    for (let x = from[y]!, i = (y * size + x) * 3; x < to[y]!; x++, i += 3) {
      const v = (rgb[i]! * 77 + rgb[i + 1]! * 150 + rgb[i + 2]! * 29) >> 8;
      if (v < low || v > high) continue;
      paper.r += rgb[i]!;
      paper.g += rgb[i + 1]!;
      paper.b += rgb[i + 2]!;
      n++;
    }
  }
  paper.r /= n;
  paper.g /= n;
  paper.b /= n;
  // Grown four-connected from the paper inside the outline, within the outline's bounding
  // box widened by GROW of the picture.
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const grow = GROW * size;
  const box = {
    x0: Math.max(0, Math.floor(Math.min(...xs) - grow)),
    x1: Math.min(size - 1, Math.ceil(Math.max(...xs) + grow)),
    y0: Math.max(0, Math.floor(Math.min(...ys) - grow)),
    y1: Math.min(size - 1, Math.ceil(Math.max(...ys) + grow)),
  };
  const reached = new Uint8Array(size * size);
  const stack = new Int32Array(size * size);
  let top = 0;
  const like = (p: number): boolean => samePaper(paper, rgb[p * 3]!, rgb[p * 3 + 1]!, rgb[p * 3 + 2]!);
  for (let y = 0; y < size; y++) {
    for (let x = from[y]!; x < to[y]!; x++) {
      const p = y * size + x;
      if (!like(p)) continue;
      reached[p] = 1;
      stack[top++] = p;
    }
  }
  let beyond = 0;
  const visit = (nx: number, ny: number): void => {
    if (nx < box.x0 || ny < box.y0 || nx > box.x1 || ny > box.y1) return;
    const n = ny * size + nx;
    if (reached[n] || !like(n)) return;
    reached[n] = 1;
    stack[top++] = n;
    if ((nx === 0 || ny === 0 || nx === size - 1 || ny === size - 1) && !insideAt(nx, ny)) beyond++;
  };
  while (top > 0) {
    const p = stack[--top]!;
    const x = p % size;
    const y = (p - x) / size;
    visit(x + 1, y);
    visit(x - 1, y);
    visit(x, y + 1);
    visit(x, y - 1);
  }
  return beyond / (4 * (size - 1));
}
