/**
 * Evens out the light of a flattened page: the paper's brightness is estimated in blocks
 * (the brightest pixels of each block are paper, text is darker), and every pixel is divided
 * by it, so shadows and a grey cast turn white while the ink keeps its contrast and its
 * colour (the same gain on the three channels). The division is libvips' colour dodge
 * (base / (1 − overlay)) with a smooth overlay made from the block levels: done in C, a
 * 5 Mpx page takes tens of milliseconds instead of hundreds in JavaScript.
 */
import { loadSharp } from '../sharp';
import type { RawImage } from './homography';

const BLOCK = 24;
/** Paper is brought to this level, not 255: a touch under white keeps faint strokes visible. */
const PAPER = 248;
const MAX_GAIN = 3;

/** The paper level of each block: the 95th percentile of its brightness (noise does not set it). */
function paperLevels(image: RawImage): { levels: Uint8Array; bw: number; bh: number } {
  const { width, height, channels, data } = image;
  const bw = Math.ceil(width / BLOCK);
  const bh = Math.ceil(height / BLOCK);
  const raw = new Uint8Array(bw * bh);
  const histogram = new Uint32Array(32);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      histogram.fill(0);
      let count = 0;
      for (let y = by * BLOCK; y < Math.min(height, (by + 1) * BLOCK); y += 2) {
        for (let x = bx * BLOCK; x < Math.min(width, (bx + 1) * BLOCK); x += 2) {
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
  // Blocks all ink (a photo, a dark heading) borrow the brightest of their neighbours.
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

export async function evenLight(image: RawImage): Promise<RawImage> {
  const sharp = await loadSharp();
  const { width, height, channels } = image;
  const { levels, bw, bh } = paperLevels(image);
  // Overlay o with base / (1 − o) = base × PAPER / level, the gain kept within 1..MAX_GAIN.
  const overlay = new Uint8Array(bw * bh * 3);
  for (let i = 0; i < levels.length; i++) {
    const gain = Math.min(MAX_GAIN, Math.max(1, PAPER / Math.max(1, levels[i]!)));
    overlay.fill(Math.round(255 * (1 - 1 / gain)), i * 3, i * 3 + 3);
  }
  const smooth = await sharp(overlay, { raw: { width: bw, height: bh, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  const { data, info } = await sharp(image.data, { raw: { width, height, channels: channels as 3 } })
    .composite([{ input: smooth, raw: { width, height, channels: 3 }, blend: 'colour-dodge' }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels };
}
