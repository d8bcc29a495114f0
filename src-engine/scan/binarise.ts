/**
 * Black and white for a photographed text page (the person's choice, `bw`): each pixel of
 * the page, its light already evened, is ink when it is darker than the paper around it by a
 * share (a local-mean threshold, as Bradley and Roth's "adaptive thresholding using the
 * integral image", 2007): faint pencil next to a dark heading both stay, and what is left of
 * a shadow turns white. The mean around each pixel is a Gaussian blur done by libvips.
 */
import { loadSharp } from '../sharp';
import type { RawImage } from './homography';

/** The neighbourhood: a Gaussian of this sigma, in pixels of the page at 212 dpi (about 1 mm, a few strokes). */
const SIGMA = 8;
/** Ink: darker than the local mean by this share. */
const SHARE = 0.2;
/** Always ink (inside a large dark area the local mean is dark too). */
const ALWAYS_INK = 96;
/** Always paper (noise on evened white paper stays white). */
const ALWAYS_PAPER = 232;

/** One channel, 0 (ink) or 255 (paper). */
export async function binarise(page: RawImage): Promise<RawImage> {
  const { width, height, channels, data } = page;
  const pixels = width * height;
  const grey = new Uint8Array(pixels);
  if (channels >= 3) {
    for (let i = 0, o = 0; i < pixels; i++, o += channels) grey[i] = (data[o]! * 77 + data[o + 1]! * 150 + data[o + 2]! * 29 + 128) >> 8;
  } else {
    for (let i = 0, o = 0; i < pixels; i++, o += channels) grey[i] = data[o]!;
  }
  const sharp = await loadSharp();
  // sharp writes sRGB unless told: one channel asked back.
  const mean = await sharp(grey, { raw: { width, height, channels: 1 } }).blur(SIGMA).toColourspace('b-w').raw().toBuffer();
  for (let i = 0; i < pixels; i++) {
    const v = grey[i]!;
    grey[i] = v < ALWAYS_INK || (v < ALWAYS_PAPER && v < mean[i]! * (1 - SHARE)) ? 0 : 255;
  }
  return { data: grey, width, height, channels: 1 };
}
