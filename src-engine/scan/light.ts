/**
 * Evens out the light of a flattened page: the paper's brightness is estimated in blocks
 * (the brightest pixels of each block are paper, text is darker), and every pixel is divided
 * by it, so shadows and a grey cast turn white while the ink keeps its contrast and its
 * colour (the same gain on the three channels). The levels are read on the small page the
 * checks measure (about 1000 px); the gain, smooth between block centres, is applied by the
 * warp itself as it writes each pixel of the full page: no second pass over it.
 */
import { placeOf, type Homography, type RawImage, type RowGain } from './homography';

/** Block side, in pixels of the full page (at 212 dpi: about 3 mm, a few letters). */
const BLOCK = 24;
/** Paper is brought to this level, not 255: a touch under white keeps faint strokes visible. */
const PAPER = 248;
const MAX_GAIN = 3;

export interface PaperLevels {
  /** Paper brightness of each block, row by row. */
  levels: Uint8Array;
  /** Blocks across and down. */
  bw: number;
  bh: number;
}

/** Points read across and down each block: 16 a block (as even a paper as 36, in half the time). */
const SAMPLES = 4;

/**
 * The paper level of each BLOCK×BLOCK block of the `full`-sized page `outToSource` maps
 * into `source`: the second brightest of SAMPLES² points of the block (a speck of noise does
 * not set it). A block all ink (a photo, a dark heading) borrows the brightest of its
 * neighbours. Read straight from the photo, so that the full page's warp need not wait for the
 * preview the checks measure; a point outside the photo counts as white, as the page leaves it.
 */
export function paperLevels(source: RawImage, outToSource: Homography, full: { width: number; height: number }): PaperLevels {
  const { width: sw, height: sh, channels, data } = source;
  // Points are in the photo's coordinates; the pixels read are those of `source`, from its place in it.
  const { left, top } = placeOf(source);
  const bw = Math.ceil(full.width / BLOCK);
  const bh = Math.ceil(full.height / BLOCK);
  const h = outToSource;
  const raw = new Uint8Array(bw * bh);
  // Where each sample column and row falls on the page (a sample never past the page's edge).
  const us = Float64Array.from({ length: bw * SAMPLES }, (_, i) => Math.min(full.width, ((i + 0.5) / SAMPLES) * BLOCK));
  const vs = Float64Array.from({ length: bh * SAMPLES }, (_, i) => Math.min(full.height, ((i + 0.5) / SAMPLES) * BLOCK));
  const stride = sw * channels;
  const green = channels >= 3 ? 1 : 0;
  const blue = channels >= 3 ? 2 : 0;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      // The second brightest, kept exact (a histogram's bins showed as bands across a
      // shadow's gradient).
      let brightest = 0;
      let second = 0;
      for (let j = by * SAMPLES; j < (by + 1) * SAMPLES; j++) {
        const v = vs[j]!;
        for (let i = bx * SAMPLES; i < (bx + 1) * SAMPLES; i++) {
          const u = us[i]!;
          const w = h[6]! * u + h[7]! * v + h[8]!;
          const x = (h[0]! * u + h[1]! * v + h[2]!) / w - 0.5 - left;
          const y = (h[3]! * u + h[4]! * v + h[5]!) / w - 0.5 - top;
          let luma = 255;
          if (x >= 0 && y >= 0 && x < sw - 1 && y < sh - 1) {
            // The mean of the four pixels around the point: noise averaged a little, as on
            // the preview the levels were first read on.
            const o = (y | 0) * stride + (x | 0) * channels;
            const p = o + channels;
            const q = o + stride;
            const r = q + channels;
            const red = data[o]! + data[p]! + data[q]! + data[r]!;
            const grn = data[o + green]! + data[p + green]! + data[q + green]! + data[r + green]!;
            const blu = data[o + blue]! + data[p + blue]! + data[q + blue]! + data[r + blue]!;
            luma = (red * 77 + grn * 150 + blu * 29) >> 10;
          }
          if (luma > second) {
            if (luma > brightest) {
              second = brightest;
              brightest = luma;
            } else second = luma;
          }
        }
      }
      raw[by * bw + bx] = second;
    }
  }
  const levels = new Uint8Array(raw.length);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let best = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = bx + dx;
          const y = by + dy;
          if (x >= 0 && y >= 0 && x < bw && y < bh) best = Math.max(best, raw[y * bw + x]!);
        }
      }
      levels[by * bw + bx] = best;
    }
  }
  return { levels, bw, bh };
}

/** The gain of a page, as data: what a worker thread is sent to even its band of rows. */
export interface Gain {
  /** PAPER / paper level of each block, within 1..MAX_GAIN. */
  gains: Float32Array;
  bw: number;
  bh: number;
  block: number;
  /** For each column: the block centre on its left, and the weight of the one on its right. */
  left: Int32Array;
  weight: Float32Array;
}

/** The gain of each pixel of a `width`-wide page, bilinear between block centres (see `gainRow`). */
export function gainOf({ levels, bw, bh }: PaperLevels, width: number): Gain {
  const gains = Float32Array.from(levels, (level) => Math.min(MAX_GAIN, Math.max(1, PAPER / Math.max(1, level))));
  const left = new Int32Array(width);
  const weight = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const g = Math.max(0, Math.min(bw - 1, (x + 0.5) / BLOCK - 0.5));
    left[x] = bw > 1 ? Math.min(bw - 2, Math.floor(g)) : 0;
    weight[x] = bw > 1 ? g - left[x]! : 0;
  }
  return { gains, bw, bh, block: BLOCK, left, weight };
}

/**
 * Fills `row` with the gain of each pixel of row `y` (`line`: room for one gain per block).
 * Self-contained, like the warp's row: a worker thread runs the very same code.
 */
export function gainRow(gain: Gain, y: number, row: Float32Array, line: Float32Array): void {
  const { gains, bw, bh, block, left, weight } = gain;
  const g = Math.max(0, Math.min(bh - 1, (y + 0.5) / block - 0.5));
  const top = Math.min(Math.max(0, bh - 2), Math.floor(g));
  const fy = bh > 1 ? g - top : 0;
  const bottom = bh > 1 ? top + 1 : top;
  for (let bx = 0; bx < bw; bx++) line[bx] = gains[top * bw + bx]! * (1 - fy) + gains[bottom * bw + bx]! * fy;
  for (let x = 0; x < row.length; x++) {
    const l = left[x]!;
    const r = bw > 1 ? l + 1 : l;
    row[x] = line[l]! * (1 - weight[x]!) + line[r]! * weight[x]!;
  }
}

/** The gain row by row, as the warp takes it. */
export function rowGainOf(gain: Gain): RowGain {
  const line = new Float32Array(gain.bw);
  return (y, row) => gainRow(gain, y, row, line);
}
