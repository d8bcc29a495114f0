/**
 * The full page's warp on two threads: the rows are the same to the byte as one thread's, with
 * the light evened, for a page wholly inside the photo and for one whose corner lies outside
 * it (rows the helper must leave white), whether this thread's other work is quick (it writes
 * most rows) or long (the helper writes most).
 */
import { describe, expect, it } from 'vitest';
import { homography, rectangle, warp, type Quad, type RawImage } from '../../../../src-engine/scan/homography';
import { gainOf, paperLevels, rowGainOf } from '../../../../src-engine/scan/light';
import { warpShared } from '../../../../src-engine/scan/warp-threads';

/** A photo of noise and gradients: any row or column taken from the wrong place shows. */
function photo(width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const p = Math.floor(i / 3);
    data[i] = (((p % width) + Math.floor(p / width)) % 200) + (seed >>> 27);
  }
  return { data, width, height, channels: 3 };
}

describe('warpShared', () => {
  const source = photo(2000, 1500);
  const cases: Array<[string, Quad]> = [
    ['inside the photo', [[400, 80], [1650, 200], [1700, 1420], [300, 1300]]],
    ['a corner outside the photo', [[400, -120], [1650, 200], [2150, 1420], [300, 1300]]],
  ];
  const busy = (ms: number) => () => {
    const until = performance.now() + ms;
    while (performance.now() < until);
    return `measured for ${ms} ms`;
  };
  for (const [name, quad] of cases) {
    for (const [what, meanwhile] of [
      ['nothing else to do', busy(0)],
      ['a long measure meanwhile', busy(300)],
    ] as const) {
      it(`gives the same page as one thread, ${name}, ${what}`, async () => {
        const width = 1000;
        const height = 1400;
        const h = homography(rectangle(width, height), quad);
        const gain = gainOf(paperLevels(source, h, { width, height }), width);
        const one = warp(source, h, width, height, { gain: rowGainOf(gain) });
        const two = await warpShared(source, h, width, height, gain, meanwhile);
        expect(two.meanwhile).toMatch(/^measured for/);
        expect(two.page.width).toBe(width);
        expect(two.page.height).toBe(height);
        expect(Buffer.compare(Buffer.from(two.page.data), Buffer.from(one.data))).toBe(0);
        // The rows are not blank: the band was filled, not left white.
        expect(two.page.data.subarray(two.page.data.length / 2).some((v) => v < 200)).toBe(true);
      });
    }
  }
});
