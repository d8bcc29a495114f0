/**
 * Light evening: a page under a smooth shadow comes out evenly white, without bands where the
 * paper level of neighbouring blocks steps (a 32-bin histogram made 3 % steps, seen as bands
 * across a shadow's gradient).
 */
import { describe, expect, it } from 'vitest';
import { homography, rectangle, warp, type RawImage } from '../../../../src-engine/scan/homography';
import { gainOf, paperLevels, rowGainOf } from '../../../../src-engine/scan/light';

/** Blank paper whose brightness falls from 230 on the left to 150 on the right, with a little noise. */
function shadowedPaper(width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  let seed = 11;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const v = Math.round(230 - (80 * x) / (width - 1) + ((seed >>> 29) - 3.5));
      data.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { data, width, height, channels: 3 };
}

describe('paperLevels and the gain', () => {
  it('turns a shadowed blank page evenly white, with no step between neighbouring columns', () => {
    const source = shadowedPaper(1200, 600);
    const width = 1200;
    const height = 600;
    const h = homography(rectangle(width, height), rectangle(width, height));
    const gain = gainOf(paperLevels(source, h, { width, height }), width);
    const page = warp(source, h, width, height, { gain: rowGainOf(gain) });
    // The mean of each column of the middle rows (the noise averaged out).
    const columns = Array.from({ length: width }, (_, x) => {
      let sum = 0;
      for (let y = 200; y < 400; y++) sum += page.data[(y * width + x) * 3]!;
      return sum / 200;
    });
    expect(Math.min(...columns)).toBeGreaterThan(236);
    expect(Math.max(...columns)).toBeLessThan(256);
    let steepest = 0;
    for (let x = 8; x < width; x += 8) steepest = Math.max(steepest, Math.abs(columns[x]! - columns[x - 8]!));
    expect(steepest).toBeLessThan(3);
  });
});
