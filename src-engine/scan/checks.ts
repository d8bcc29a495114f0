/**
 * Quality measures of a flattened page (the 1000 px preview, before its light is evened) and
 * the warnings they raise. Thresholds chosen on the tuning set of generated photos
 * (bench/scan.mjs --calibrate prints each measure for clean and damaged photos); see the README.
 */
import type { ScanCheckCode } from '../../src-shared/errors';
import type { RawImage } from './homography';

export interface PageMeasures {
  /** Mean brightness of the page, 0-255. */
  brightness: number;
  /** Share of the page burnt white (≥ 250 on every channel). */
  glare: number;
  /** Mean absolute Laplacian over the strongest 2 % of pixels, on the page at 1000 px on its long side: edge sharpness. */
  sharpness: number;
  /** Share of the page darker than its surroundings by a quarter: ink. */
  ink: number;
  /** The share of the photo's edge the paper reaches past the outline (cutoff.ts). */
  paperAtFrame?: number;
  warnings: ScanCheckCode[];
}

/**
 * Chosen on the tuning set (bench/scan.mjs --calibrate), about midway between the worst clean
 * photo and the mildest damaged one. Measured on the 1000 px preview (seeds 1-20): brightness
 * clean ≥ 126, dark ≤ 52; burnt share clean ≤ 0.0016, glare ≥ 0.029; sharpness clean ≥ 49.5,
 * blurred ≤ 17.1; ink clean ≥ 0.057, blank ≤ 0.0048 (one blank page of twenty above the
 * threshold). Held-out seeds and real photos: src-engine/README.md.
 */
export const THRESHOLDS = {
  /** Under this mean brightness: too_dark. */
  dark: 85,
  /** Over this share of burnt pixels: glare. */
  glare: 0.022,
  /** Under this edge sharpness: blurred (only with enough ink to judge, and not when too dark, which hides it). */
  sharpness: 25,
  /** Under this share of ink: blank_page. */
  ink: 0.002,
} as const;

const SIDE = 1000;

function greyAt(image: RawImage, width: number, height: number): Float32Array {
  // Nearest sampling onto a fixed size: measures do not depend on the page's resolution.
  const grey = new Float32Array(width * height);
  const { data, channels } = image;
  const columns = Int32Array.from({ length: width }, (_, x) => Math.min(image.width - 1, Math.floor(((x + 0.5) * image.width) / width)) * channels);
  for (let y = 0; y < height; y++) {
    const row = Math.min(image.height - 1, Math.floor(((y + 0.5) * image.height) / height)) * image.width * channels;
    const out = y * width;
    if (channels >= 3) {
      for (let x = 0; x < width; x++) {
        const i = row + columns[x]!;
        grey[out + x] = data[i]! * 0.299 + data[i + 1]! * 0.587 + data[i + 2]! * 0.114;
      }
    } else {
      for (let x = 0; x < width; x++) grey[out + x] = data[row + columns[x]!]!;
    }
  }
  return grey;
}

export function measure(image: RawImage, kind: string): PageMeasures {
  const scale = SIDE / Math.max(image.width, image.height);
  const width = Math.max(8, Math.round(image.width * scale));
  const height = Math.max(8, Math.round(image.height * scale));
  const grey = greyAt(image, width, height);
  let sum = 0;
  let burnt = 0;
  const { data, channels } = image;
  const pixels = image.width * image.height;
  for (let i = 0; i < pixels; i += 3) {
    const o = i * channels;
    if (data[o]! >= 250 && data[o + (1 % channels)]! >= 250 && data[o + (2 % channels)]! >= 250) burnt++;
  }
  // Laplacian magnitudes in a histogram (0-1020, integers): the strongest 2 % without sorting a million numbers.
  const laplace = new Uint32Array(1021);
  let ink = 0;
  const R = 6;
  const far = R * width;
  for (let y = R; y < height - R; y++) {
    for (let x = R, i = y * width + R; x < width - R; x++, i++) {
      const v = grey[i]!;
      sum += v;
      const lap = 4 * v - grey[i - width]! - grey[i + width]! - grey[i - 1]! - grey[i + 1]!;
      laplace[Math.min(1020, Math.round(Math.abs(lap)))]!++;
      // Ink: darker by a quarter than the brightest of four pixels R away, tested as four
      // comparisons or'ed together rather than branches (text makes them unpredictable).
      ink += +(v < grey[i - far]! * 0.75) | +(v < grey[i + far]! * 0.75) | +(v < grey[i - R]! * 0.75) | +(v < grey[i + R]! * 0.75);
    }
  }
  const inner = Math.max(1, (width - 2 * R) * (height - 2 * R));
  const wanted = Math.max(1, Math.floor(inner * 0.02));
  let taken = 0;
  let total = 0;
  for (let v = 1020; v >= 0 && taken < wanted; v--) {
    const n = Math.min(laplace[v]!, wanted - taken);
    taken += n;
    total += n * v;
  }
  const sharpness = total / Math.max(1, taken);
  const brightness = sum / inner;
  const glare = burnt / Math.ceil(pixels / 3);
  const inkShare = ink / inner;
  const warnings: ScanCheckCode[] = [];
  const dark = brightness < THRESHOLDS.dark;
  if (dark) warnings.push('too_dark');
  if (glare > THRESHOLDS.glare) warnings.push('glare');
  if (inkShare < THRESHOLDS.ink && kind !== 'card') warnings.push('blank_page');
  else if (sharpness < THRESHOLDS.sharpness && !dark) warnings.push('blurred');
  return { brightness, glare, sharpness, ink: inkShare, warnings };
}
