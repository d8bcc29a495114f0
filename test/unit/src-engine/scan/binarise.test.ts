/**
 * Black and white for photographed text pages: the text stays (its share of dark pixels in
 * the body text matches the colour page's), the paper around it is white (shadow and grey
 * cast gone), and the file is several times smaller than in colour. The person's choice on
 * a page wins over the request's.
 */
import { describe, expect, it } from 'vitest';
import { normalise } from '../../../../src-engine/core';
import { openRaster } from '../../../../src-engine/raster';
import { scanPage } from '../../../../src-engine/scan/page';
import type { RawImage } from '../../../../src-engine/scan/homography';
import { generatePhoto } from '../../../support/scan-photos';

/** Share of pixels darker than `level` in a box given in shares of the page. */
function darkShare(image: RawImage, box: { x0: number; x1: number; y0: number; y1: number }, level: number): number {
  const { width, height, channels, data } = image;
  let dark = 0;
  let count = 0;
  for (let y = Math.round(box.y0 * height); y < Math.round(box.y1 * height); y++) {
    for (let x = Math.round(box.x0 * width); x < Math.round(box.x1 * width); x++) {
      const i = (y * width + x) * channels;
      const v = channels >= 3 ? (data[i]! + data[i + 1]! + data[i + 2]!) / 3 : data[i]!;
      if (v < level) dark++;
      count++;
    }
  }
  return dark / count;
}

// Where the generated page has its body text, and a margin with nothing printed.
const TEXT = { x0: 0.1, x1: 0.6, y0: 0.135, y1: 0.28 };
const MARGIN = { x0: 0.025, x1: 0.075, y0: 0.15, y1: 0.85 };

describe('black and white', () => {
  it.each([2, 4, 5])('keeps the text and whitens the paper of tuning photo %i', async (seed) => {
    const photo = await generatePhoto(seed, { kind: 'page' });
    const raster = await openRaster('jpeg', photo.bytes);
    const colour = await scanPage(raster, 0, { scan: 'auto' });
    const bw = await scanPage(raster, 0, { scan: 'auto', bw: true });
    expect(bw.bw).toBe(true);
    expect(bw.corners).toEqual(colour.corners);
    const flat = bw.flat!;
    expect(flat.channels).toBe(1);
    expect(flat.data.every((v) => v === 0 || v === 255)).toBe(true);
    // The text: on the colour page, pixels darker than halfway between its paper (about 248)
    // and its ink (about 80); every stroke's dark core (under 128) is kept.
    const inkColour = darkShare(colour.flat!, TEXT, 165);
    const inkBw = darkShare(flat, TEXT, 128);
    expect(inkColour).toBeGreaterThan(0.08);
    expect(inkBw).toBeGreaterThan(darkShare(colour.flat!, TEXT, 128));
    expect(inkBw).toBeGreaterThan(inkColour * 0.75);
    expect(inkBw).toBeLessThan(inkColour * 1.25);
    // The colour page's paper is not pure white (grey cast, shadow, noise); here it is.
    expect(darkShare(colour.flat!, MARGIN, 250)).toBeGreaterThan(0.5);
    expect(darkShare(flat, MARGIN, 128)).toBeLessThan(0.002);
  }, 30_000);

  it('sends a lighter PDF than in colour, one bit per pixel, and says so', async () => {
    const photo = await generatePhoto(4, { kind: 'page' });
    const files = [{ name: 'attestation.jpg', bytes: photo.bytes }];
    const colour = await normalise({ files, to: 'pdf', maxBytes: 10_000_000 });
    const bw = await normalise({ files, maxBytes: 10_000_000, bw: true });
    expect(bw.mediaType).toBe('application/pdf');
    expect(Buffer.from(bw.bytes).toString('latin1')).toContain('/BitsPerComponent 1');
    expect(bw.bytes.length).toBeLessThan(colour.bytes.length / 4);
    expect(bw.summary).toContain('noir et blanc');
    expect(bw.report[0]!.corners).toEqual(colour.report[0]!.corners);
  }, 30_000);

  it('leaves in colour a page the person kept in colour, and makes a whole photo black and white when asked', async () => {
    const photo = await generatePhoto(4, { kind: 'page' });
    const files = [{ name: 'attestation.jpg', bytes: photo.bytes }];
    const kept = await normalise({ files, maxBytes: 10_000_000, bw: true, pages: [{ file: 0, page: 0, bw: false }] });
    expect(kept.mediaType).toBe('image/jpeg');
    expect(kept.summary).not.toContain('noir et blanc');
    const whole = await normalise({ files, to: 'pdf', maxBytes: 10_000_000, pages: [{ file: 0, page: 0, corners: null, bw: true }] });
    expect(whole.report[0]!.corners).toBeNull();
    expect(Buffer.from(whole.bytes).toString('latin1')).toContain('/BitsPerComponent 1');
  }, 30_000);
});
