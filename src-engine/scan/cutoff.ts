/**
 * Is a corner of the paper outside the photo? The network, asked for four corners, puts one
 * it cannot see inside the frame, often far inside (tuning set: up to half the photo away
 * from the edge the paper runs off), where it cannot be told from a clean photo's corner.
 * What tells them apart is the paper itself: when a corner is cut, the paper runs on past
 * the outline to the edge of the photo; on a clean photo the edge shows the table. So the
 * paper is grown from inside the outline, over pixels of its colour, on the small picture
 * the network reads, and the photo's edge it reaches beyond the outline is measured.
 */
import type { Point, Quad } from './homography';

/** How far the paper may grow past the outline, as a share of the picture's side. */
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

function inside(q: Quad, x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = q[i]!;
    const [bx, by] = q[(i + 1) % 4]!;
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    if (cross === 0) continue;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return true;
}

function distanceToQuad(q: Quad, x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i < 4; i++) {
    const a: Point = q[i]!;
    const b: Point = q[(i + 1) % 4]!;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / Math.max(1e-9, dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(a[0] + t * dx - x, a[1] + t * dy - y));
  }
  return best;
}

/**
 * The share of the picture's outer edge (its four sides, pixels on the frame) that the
 * paper reaches past the outline. `rgb`: `size`×`size` RGB (the network's picture); `quad`
 * in its pixels.
 */
export function paperAtFrame(rgb: Uint8Array, size: number, quad: Quad): number {
  // The paper's colour: the brighter half of the outline's inside (text is darker).
  const values: Array<[number, number, number, number]> = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!inside(quad, x + 0.5, y + 0.5)) continue;
      const i = (y * size + x) * 3;
      values.push([0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!, rgb[i]!, rgb[i + 1]!, rgb[i + 2]!]);
    }
  }
  if (values.length < 16) return 0;
  values.sort((a, b) => a[0] - b[0]);
  const bright = values.slice(Math.floor(values.length * 0.5), Math.floor(values.length * 0.9));
  const paper = bright.reduce((sum, [, r, g, b]) => ({ r: sum.r + r / bright.length, g: sum.g + g / bright.length, b: sum.b + b / bright.length }), { r: 0, g: 0, b: 0 });
  // Grown four-connected from the paper inside the outline, at most GROW beyond it.
  const reached = new Uint8Array(size * size);
  const queue: number[] = [];
  const limit = GROW * size;
  const like = (p: number): boolean => samePaper(paper, rgb[p * 3]!, rgb[p * 3 + 1]!, rgb[p * 3 + 2]!);
  for (let p = 0; p < size * size; p++) {
    if (inside(quad, (p % size) + 0.5, Math.floor(p / size) + 0.5) && like(p)) {
      reached[p] = 1;
      queue.push(p);
    }
  }
  let beyond = 0;
  while (queue.length > 0) {
    const p = queue.pop()!;
    const x = p % size;
    const y = (p - x) / size;
    for (const [nx, ny] of [
      [x + 1, y],
      [x - 1, y],
      [x, y + 1],
      [x, y - 1],
    ] as const) {
      if (nx < 0 || ny < 0 || nx >= size || ny >= size) continue;
      const n = ny * size + nx;
      if (reached[n] || !like(n) || distanceToQuad(quad, nx + 0.5, ny + 0.5) > limit) continue;
      reached[n] = 1;
      queue.push(n);
      const onFrame = nx === 0 || ny === 0 || nx === size - 1 || ny === size - 1;
      if (onFrame && !inside(quad, nx + 0.5, ny + 0.5)) beyond++;
    }
  }
  return beyond / (4 * (size - 1));
}
