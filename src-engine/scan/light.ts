/**
 * Evens out the light of a flattened page: the paper's brightness is estimated in blocks
 * (the brightest pixels of each block are paper, text is darker), and every pixel is divided
 * by it, so shadows and a grey cast turn white while the ink keeps its contrast and its
 * colour (the same gain on the three channels). The levels are read on the small page the
 * checks measure (about 1000 px); the gain, smooth between block centres, is applied by the
 * warp itself as it writes each pixel of the full page: no second pass over it.
 */
import type { RawImage, RowGain } from './homography';

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

/**
 * The paper level of each BLOCK×BLOCK block of a `full`-sized page, read on `preview` (the
 * same page, smaller): the 95th percentile of its brightness (noise does not set it). A
 * block all ink (a photo, a dark heading) borrows the brightest of its neighbours.
 */
export function paperLevels(preview: RawImage, full: { width: number; height: number }): PaperLevels {
  const { width, height, channels, data } = preview;
  const bw = Math.ceil(full.width / BLOCK);
  const bh = Math.ceil(full.height / BLOCK);
  // Preview pixels per block (at least one pixel per block, however small the preview).
  const kx = (BLOCK * width) / full.width;
  const ky = (BLOCK * height) / full.height;
  const raw = new Uint8Array(bw * bh);
  const histogram = new Uint32Array(32);
  for (let by = 0; by < bh; by++) {
    const y0 = Math.min(height - 1, Math.floor(by * ky));
    const y1 = Math.max(y0 + 1, Math.min(height, Math.floor((by + 1) * ky)));
    for (let bx = 0; bx < bw; bx++) {
      const x0 = Math.min(width - 1, Math.floor(bx * kx));
      const x1 = Math.max(x0 + 1, Math.min(width, Math.floor((bx + 1) * kx)));
      histogram.fill(0);
      let count = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * width + x) * channels;
          const v = channels >= 3 ? (data[i]! * 77 + data[i + 1]! * 150 + data[i + 2]! * 29) >> 8 : data[i]!;
          histogram[v >> 3]!++;
          count++;
        }
      }
      let seen = 0;
      let level = 31;
      for (; level > 0; level--) {
        seen += histogram[level]!;
        if (seen >= count * 0.05) break;
      }
      raw[by * bw + bx] = level * 8 + 4;
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
