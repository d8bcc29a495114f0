/**
 * What the corner editor gets from the engine: a larger picture of the upright photo, and
 * each flattened page's thumbnail as it will be sent.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { normalise, picture } from '../../../src-engine/core';
import { generatePhoto } from '../../support/scan-photos';

describe('the corner editor picture', () => {
  it('is the upright photo, its long side as asked, the whole photo in it', async () => {
    // A photo stored sideways (EXIF orientation 6 or 8): the picture is drawn upright.
    let photo = await generatePhoto(1, { kind: 'page', longSide: 2000 });
    for (let seed = 2; photo.orientation < 5; seed++) photo = await generatePhoto(seed, { kind: 'page', longSide: 2000 });
    const meta = await sharp(photo.bytes).metadata();
    const upright = meta.orientation && meta.orientation >= 5 ? { w: meta.height, h: meta.width } : { w: meta.width, h: meta.height };
    const drawn = await picture({ file: { name: photo.name, bytes: photo.bytes }, page: 0, longSide: 1000 });
    expect(Math.max(drawn.width, drawn.height)).toBe(1000);
    expect(drawn.width / drawn.height).toBeCloseTo(upright.w / upright.h, 2);
    const info = await sharp(drawn.picture).metadata();
    expect([info.format, info.width, info.height]).toEqual(['jpeg', drawn.width, drawn.height]);
  });

  it('refuses a PDF page (there are no corners to place on it)', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF');
    await expect(picture({ file: { name: 'a.pdf', bytes: pdf }, page: 0, longSide: 1000 })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('the prepared pages thumbnails', () => {
  it('show a flattened photo page as sent (its shape, not the photo), only when asked', async () => {
    const photo = await generatePhoto(7, { kind: 'page', longSide: 2000 });
    const files = [{ name: photo.name, bytes: photo.bytes }];
    const asked = await normalise({ files, maxBytes: 5_000_000, thumbnails: true });
    const entry = asked.report[0]!;
    expect(entry.corners).not.toBeNull();
    const flat = entry.flattened!;
    expect(Math.max(flat.width, flat.height)).toBeLessThanOrEqual(256);
    // An A4 page, upright: its thumbnail has the page's proportions.
    expect(flat.height / flat.width).toBeCloseTo(297 / 210, 1);
    expect(flat.card).toBe(false);
    const sent = await sharp(asked.bytes).metadata();
    expect(flat.width / flat.height).toBeCloseTo(sent.width! / sent.height!, 2);
    const plain = await normalise({ files: [{ name: photo.name, bytes: photo.bytes }], maxBytes: 5_000_000 });
    expect(plain.report[0]!.flattened).toBeUndefined();
  });

  it('say when the page is an ID card (its colours are kept)', async () => {
    const photo = await generatePhoto(11, { kind: 'card', longSide: 2000 });
    const done = await normalise({ files: [{ name: photo.name, bytes: photo.bytes }], maxBytes: 5_000_000, thumbnails: true });
    const flat = done.report[0]!.flattened!;
    expect(flat.card).toBe(true);
    expect(Math.max(flat.width, flat.height) / Math.min(flat.width, flat.height)).toBeCloseTo(85.6 / 53.98, 1);
  });

  it('are not given for a photo kept whole', async () => {
    const photo = await generatePhoto(7, { kind: 'page', longSide: 2000 });
    const kept = await normalise({ files: [{ name: photo.name, bytes: photo.bytes }], maxBytes: 5_000_000, thumbnails: true, pages: [{ file: 0, page: 0, corners: null }] });
    expect(kept.report[0]!.corners).toBeNull();
    expect(kept.report[0]!.flattened).toBeUndefined();
  });
});
