/**
 * Page detection on generated phone photos whose true corners are known: each outline
 * overlaps the truth (SmartDoc 2015 Jaccard) by 0.9 or more, and its true shape is found
 * (an A4 page is not taken for a card, nor a card for a page).
 */
import { describe, expect, it } from 'vitest';
import { openRaster } from '../../../../src-engine/raster';
import { scanPage } from '../../../../src-engine/scan/page';
import { jaccard } from '../../../support/quad-overlap';
import { generatePhoto, TUNING_SEEDS } from '../../../support/scan-photos';

describe('page detection', () => {
  for (let seed = TUNING_SEEDS.first; seed < TUNING_SEEDS.first + 8; seed++) {
    it(`finds the document of tuning photo ${seed}`, async () => {
      const photo = await generatePhoto(seed);
      const scanned = await scanPage(await openRaster('jpeg', photo.bytes), 0, { scan: 'auto' });
      expect(jaccard(scanned.corners, photo.corners!, photo.document)).toBeGreaterThanOrEqual(0.9);
      expect(scanned.shape?.kind).toBe(photo.kind === 'card' ? 'card' : 'a4');
      expect(scanned.flat!.width > scanned.flat!.height).toBe(photo.kind === 'card');
    }, 30_000);
  }

  it('finds no document where there is none, and says so', async () => {
    const photo = await generatePhoto(3, { defects: ['no_document'] });
    const scanned = await scanPage(await openRaster('jpeg', photo.bytes), 0, { scan: 'auto' });
    expect(scanned.corners).toBeNull();
    expect(scanned.checks.map((c) => c.code)).toEqual(['no_document_found']);
  }, 30_000);

  it('uses the corners given by the person, and looks for none with scan off', async () => {
    const photo = await generatePhoto(2);
    const raster = await openRaster('jpeg', photo.bytes);
    const given = await scanPage(raster, 0, { scan: 'auto', corners: photo.corners! });
    expect(jaccard(given.corners, photo.corners!, photo.document)).toBeGreaterThan(0.995);
    const off = await scanPage(raster, 0, { scan: 'off' });
    expect(off).toEqual({ corners: null, checks: [] });
  }, 30_000);
});
