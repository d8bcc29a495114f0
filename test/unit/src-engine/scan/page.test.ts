/**
 * A JPEG stored upright is read only where the page is (libvips skips the rest): the window,
 * decoded in two halves side by side, holds exactly the photo's pixels there, and the page
 * made from it is the same to the byte as the page made from the whole photo (the same pixels
 * given as a PNG, which is read whole), for a page inside the photo and for one cut by its
 * edge; with no outline, black and white is made of the whole photo.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openRaster } from '../../../../src-engine/raster';
import { readWindow, scanPage } from '../../../../src-engine/scan/page';
import type { Quad } from '../../../../src-engine/scan/homography';
import { generatePhoto } from '../../../support/scan-photos';

async function uprightJpegAndPng(): Promise<{ jpeg: Uint8Array; png: Uint8Array; corners: Quad; width: number; height: number }> {
  const photo = await generatePhoto(7, { longSide: 1600, kind: 'page' });
  const upright = await sharp(photo.bytes).rotate().raw().toBuffer({ resolveWithObject: true });
  const jpeg = await sharp(upright.data, { raw: upright.info }).jpeg({ quality: 92 }).toBuffer();
  // The PNG holds the JPEG's own decoded pixels: the two differ only in how they are read.
  const decoded = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const png = await sharp(decoded.data, { raw: decoded.info }).png({ compressionLevel: 1 }).toBuffer();
  return { jpeg: new Uint8Array(jpeg), png: new Uint8Array(png), corners: photo.corners!, width: decoded.info.width, height: decoded.info.height };
}

describe('scanPage on an upright JPEG', () => {
  it('reads a window holding exactly the photo pixels around the page', async () => {
    const { jpeg, corners, width } = await uprightJpegAndPng();
    const source = await openRaster('jpeg', jpeg);
    const image = await readWindow(source, 0, corners);
    const offset = [image.window!.left, image.window!.top] as const;
    const whole = await sharp(jpeg).raw().toBuffer();
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    expect(offset[0]).toBeLessThanOrEqual(Math.min(...xs));
    expect(offset[1]).toBeLessThanOrEqual(Math.min(...ys));
    expect(offset[0] + image.width).toBeGreaterThanOrEqual(Math.max(...xs) + 1);
    expect(offset[1] + image.height).toBeGreaterThanOrEqual(Math.max(...ys) + 1);
    // Every row: the window's two halves are decoded apart and joined.
    for (let y = 0; y < image.height; y++) {
      const row = image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3);
      const start = ((offset[1] + y) * width + offset[0]) * 3;
      expect(Buffer.compare(Buffer.from(row), whole.subarray(start, start + image.width * 3))).toBe(0);
    }
  });

  for (const [name, shift] of [
    ['a page inside the photo', 0],
    ['a page cut by the photo\'s left edge', -1],
  ] as const) {
    it(`makes the same page as from the whole photo: ${name}`, async () => {
      const { jpeg, png, corners } = await uprightJpegAndPng();
      const minX = Math.min(...corners.map((p) => p[0]));
      const given = corners.map(([x, y]) => [shift ? x - minX - 40 : x, y]) as unknown as Quad;
      const fromWindow = await scanPage(await openRaster('jpeg', jpeg), 0, { scan: 'auto', corners: given });
      const fromWhole = await scanPage(await openRaster('png', png), 0, { scan: 'auto', corners: given });
      expect(fromWindow.corners).toEqual(fromWhole.corners);
      expect(fromWindow.checks).toEqual(fromWhole.checks);
      expect(fromWindow.measures).toEqual(fromWhole.measures);
      expect(fromWindow.flat!.width).toBe(fromWhole.flat!.width);
      expect(Buffer.compare(Buffer.from(fromWindow.flat!.data), Buffer.from(fromWhole.flat!.data))).toBe(0);
    });
  }

  it('makes the whole photo black and white when no outline is used', async () => {
    const { jpeg, width, height } = await uprightJpegAndPng();
    const page = await scanPage(await openRaster('jpeg', jpeg), 0, { scan: 'off', bw: true });
    expect(page.corners).toBeNull();
    expect(page.flat).toMatchObject({ width, height, channels: 1 });
  });
});
