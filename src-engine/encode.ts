/**
 * Pages as JPEG at a given legibility level: turned upright, fitted to an A4 page at the
 * level's resolution (never enlarged), alpha flattened on white, sRGB or grey, 8-bit, no
 * metadata (sharp writes none unless asked).
 */
import type { Sharp } from 'sharp';
import { AppError } from '../src-shared/errors';
import { A4_INCHES, THUMBNAIL_LONG_SIDE } from './limits';
import type { PageInfo, RasterSource } from './raster';

export interface Level {
  dpi: number;
  quality: number;
  /**
   * Optimised Huffman tables: about 1.5 % smaller for a second pass over the data. Worth it
   * only once the budget is tight; the first try favours speed.
   */
  optimise?: boolean;
}

/**
 * From the best to the least still legible. Photos start at about 212 dpi on A4 (2480 px on
 * the long side, what people send by mail); black-and-white scans start at 300 dpi, where
 * small print stays sharp.
 */
export const PHOTO_LADDER: readonly Level[] = [
  { dpi: 212, quality: 85 },
  { dpi: 212, quality: 75, optimise: true },
  { dpi: 200, quality: 65, optimise: true },
  { dpi: 200, quality: 55, optimise: true },
  { dpi: 170, quality: 50, optimise: true },
];
export const SCAN_LADDER: readonly Level[] = [
  { dpi: 300, quality: 80 },
  { dpi: 250, quality: 70, optimise: true },
  { dpi: 200, quality: 65, optimise: true },
  { dpi: 200, quality: 55, optimise: true },
  { dpi: 170, quality: 50, optimise: true },
];

export function ladderFor(info: PageInfo): readonly Level[] {
  return info.bilevel ? SCAN_LADDER : PHOTO_LADDER;
}

export type Rotation = 0 | 90 | 180 | 270;

/** Size after a user rotation. */
export function turned(info: { width: number; height: number }, rotate: Rotation): { width: number; height: number } {
  return rotate === 90 || rotate === 270 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
}

/** The pixel box of an A4 page at `dpi`, in the picture's own orientation. */
export function a4Box(size: { width: number; height: number }, dpi: number): { width: number; height: number } {
  const landscape = size.width > size.height;
  const long = Math.round(A4_INCHES.long * dpi);
  const short = Math.round(A4_INCHES.short * dpi);
  return landscape ? { width: long, height: short } : { width: short, height: long };
}

/**
 * The turn that shows a stored picture upright and then applies the person's rotation
 * (EXIF 2.32 orientation table). sharp mirrors before it rotates, so the person's turn
 * simply adds to the angle, mirrored or not.
 */
function orientationOps(orientation: number, rotate: Rotation): { angle: number; flop: boolean } {
  const base: Record<number, [number, boolean]> = {
    1: [0, false],
    2: [0, true],
    3: [180, false],
    4: [180, true],
    5: [270, true],
    6: [90, false],
    7: [90, true],
    8: [270, false],
  };
  const [angle, flop] = base[orientation] ?? [0, false];
  return { angle: (angle + rotate) % 360, flop };
}

/**
 * Shrinks first, then turns: rotating a 12 MP picture before shrinking it costs a full copy
 * in memory and defeats sequential reading; the same turn on the shrunk picture is cheap.
 */
export function shrinkThenTurn(pipeline: Sharp, info: PageInfo, rotate: Rotation, box: { width: number; height: number }, fast = true, fit: 'inside' | 'fill' = 'inside'): Sharp {
  const { angle, flop } = orientationOps(info.orientation, rotate);
  const sideways = angle === 90 || angle === 270;
  pipeline.resize({
    width: sideways ? box.height : box.width,
    height: sideways ? box.width : box.height,
    fit,
    withoutEnlargement: fit === 'inside',
    fastShrinkOnLoad: fast,
  });
  if (angle) pipeline.rotate(angle);
  if (flop) pipeline.flop();
  return pipeline;
}

export function finish(pipeline: Sharp, info: PageInfo): Sharp {
  if (info.hasAlpha) pipeline.flatten({ background: '#ffffff' });
  return pipeline.toColourspace(info.grey ? 'b-w' : 'srgb');
}

export interface EncodedPage {
  bytes: Uint8Array;
  width: number;
  height: number;
}

async function run(pipeline: Sharp): Promise<EncodedPage> {
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (error) {
    const text = error instanceof Error ? error.message : '';
    if (/pixel limit/i.test(text)) throw new AppError('image_too_large');
    throw new AppError('file_corrupt');
  }
}

export async function encodePage(source: RasterSource, index: number, rotate: Rotation, level: Level): Promise<EncodedPage> {
  const info = source.pages[index]!;
  const box = a4Box(turned(info, rotate), level.dpi);
  const pipeline = shrinkThenTurn(await source.open(index), info, rotate, box);
  finish(pipeline, info).jpeg({ quality: level.quality, mozjpeg: false, chromaSubsampling: '4:2:0', optimiseCoding: level.optimise === true });
  return run(pipeline);
}

/** The upright picture fitted in a square of `longSide` (the page cards' thumbnails; the corner editor's larger view). */
export async function thumbnailOf(source: RasterSource, index: number, longSide = THUMBNAIL_LONG_SIDE): Promise<EncodedPage> {
  const info = source.pages[index]!;
  const box = { width: longSide, height: longSide };
  const pipeline = shrinkThenTurn(await source.open(index), info, 0, box);
  finish(pipeline, info).jpeg({ quality: 70, mozjpeg: false });
  return run(pipeline);
}

export interface BilevelPage {
  /** Rows of packed bits, most significant first, each row padded to a byte; 1 = white. */
  packed: Uint8Array;
  width: number;
  height: number;
}

/**
 * A black-and-white scan kept black and white: one bit per pixel, deflated in the PDF. It
 * is sharper than a JPEG of the same page and many times smaller (a fax page: tens of Ko).
 */
export async function encodeBilevelPage(source: RasterSource, index: number, rotate: Rotation, level: Level): Promise<BilevelPage> {
  const info = source.pages[index]!;
  const box = a4Box(turned(info, rotate), level.dpi);
  const pipeline = shrinkThenTurn(await source.open(index), info, rotate, box, false);
  pipeline.flatten({ background: '#ffffff' }).toColourspace('b-w').threshold(128);
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    raw = await pipeline.raw().toBuffer({ resolveWithObject: true });
  } catch {
    throw new AppError('file_corrupt');
  }
  return packBits(raw.data, raw.info);
}

/** Raw pixels (first channel read) packed one bit per pixel, 1 = white (128 or more). */
export function packBits(data: Uint8Array, { width, height, channels }: { width: number; height: number; channels: number }): BilevelPage {
  const stride = Math.ceil(width / 8);
  const packed = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * width * channels;
    const out = y * stride;
    for (let x = 0; x < width; x++) {
      if (data[row + x * channels]! >= 128) packed[out + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return { packed, width, height };
}
