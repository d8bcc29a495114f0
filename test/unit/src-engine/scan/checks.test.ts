/**
 * Quality checks on generated photos: each warning appears on the photo damaged that way
 * and stays quiet on clean photos (tuning seeds; thresholds in src-engine/scan/checks.ts,
 * page.ts and shape.ts).
 */
import { describe, expect, it } from 'vitest';
import { SCAN_CHECKS } from '../../../../src-shared/errors';
import { openRaster } from '../../../../src-engine/raster';
import { scanPage } from '../../../../src-engine/scan/page';
import { generatePhoto, type Defect } from '../../../support/scan-photos';

/** `kind: 'drawn'`: a page or a card as the seed draws it (the tuning set's photos). */
async function checksOf(seed: number, defects: Defect[] = [], kind: 'page' | 'drawn' = 'page'): Promise<string[]> {
  const photo = await generatePhoto(seed, { defects, ...(kind === 'page' ? { kind } : {}) });
  const scanned = await scanPage(await openRaster('jpeg', photo.bytes), 0, { scan: 'auto' });
  for (const check of scanned.checks) expect(check.message).toBe(SCAN_CHECKS[check.code]);
  return scanned.checks.map((c) => c.code);
}

describe('quality checks', () => {
  it.each([2, 3, 5])('stays quiet on clean photo %i', async (seed) => {
    expect(await checksOf(seed)).toEqual([]);
  }, 30_000);

  it.each([
    ['blurred', 2],
    ['too_dark', 3],
    ['glare', 2],
    ['cut_off', 3],
    ['too_small', 2],
    ['blank_page', 2],
  ] as const)('warns %s on its case', async (defect, seed) => {
    expect(await checksOf(seed, [defect])).toContain(defect);
  }, 30_000);

  // Pages and cards as the tuning set draws them. The network put the hidden corner 2.5 to 7 %
  // inside the frame on these (the former rule, a corner within 2 % of the edge, missed them
  // all); the paper running on past the outline to the photo's edge gives them away.
  it.each([1, 11, 12, 14, 50])('warns cut_off when the network puts the missing corner inside the frame (tuning photo %i)', async (seed) => {
    expect(await checksOf(seed, ['cut_off'], 'drawn')).toContain('cut_off');
  }, 30_000);

  // So dark the network finds no page (it said only no_document_found): the fix is the light.
  it.each([10, 12])('warns too_dark too when the darkness hides the page from the network (tuning photo %i)', async (seed) => {
    expect(await checksOf(seed, ['too_dark'], 'drawn')).toEqual(['no_document_found', 'too_dark']);
  }, 30_000);

  it.each([7, 8, 9, 16, 21])('stays quiet about cut_off on clean photo %i, cards included', async (seed) => {
    expect(await checksOf(seed, [], 'drawn')).not.toContain('cut_off');
  }, 30_000);
});
