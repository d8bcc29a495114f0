/**
 * The perspective maths: a homography maps its corners exactly, and a grid warped into
 * perspective then flattened back with the same corners comes out straight (line
 * straightness measured on the pixels); a colour page written tile by tile is the same to the
 * byte as written row by row, a corner outside the photo included.
 */
import { describe, expect, it } from 'vitest';
import { apply, homography, rectangle, SPAN, warp, warpRowRgb, type Quad, type RawImage } from '../../../../src-engine/scan/homography';

function grid(width: number, height: number, step: number): RawImage {
  const data = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (x % step < 2 || y % step < 2) data[y * width + x] = 0;
  return { data, width, height, channels: 1 };
}

/** For the dark horizontal line near `row`, its centre in each column; then the largest gap from the straight line through them. */
function rowStraightness(image: RawImage, row: number, band: number, skip?: number): number {
  const centres: Array<[number, number]> = [];
  for (let x = 10; x < image.width - 10; x += 3) {
    // Columns crossing a vertical line would pull the centre to the middle of the band.
    if (skip && (x % skip < 6 || x % skip > skip - 6)) continue;
    let sum = 0;
    let weight = 0;
    for (let y = row - band; y <= row + band; y++) {
      const ink = 255 - image.data[y * image.width + x]!;
      sum += ink * y;
      weight += ink;
    }
    if (weight > 200) centres.push([x, sum / weight]);
  }
  const n = centres.length;
  const mx = centres.reduce((a, [x]) => a + x, 0) / n;
  const my = centres.reduce((a, [, y]) => a + y, 0) / n;
  const slope = centres.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / centres.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return Math.max(...centres.map(([x, y]) => Math.abs(y - (my + slope * (x - mx)))));
}

describe('homography', () => {
  it('maps each corner onto its partner', () => {
    const from: Quad = [[12, 30], [400, 10], [420, 500], [5, 460]];
    const h = homography(from, rectangle(210, 297));
    rectangle(210, 297).forEach((corner, i) => {
      const [x, y] = apply(h, from[i]!);
      expect(x).toBeCloseTo(corner[0], 6);
      expect(y).toBeCloseTo(corner[1], 6);
    });
  });

  it('flattens a grid seen in perspective back to straight lines (under 1 pixel off)', () => {
    const flat = grid(420, 594, 40);
    const seen: Quad = [[180, 90], [560, 140], [600, 700], [90, 640]];
    const photo = warp(flat, homography(seen, rectangle(420, 594)), 700, 760, { fill: 128 });
    const back = warp(photo, homography(rectangle(420, 594), seen), 420, 594);
    // Without the warp the lines are slanted and far from their place: the check can fail.
    expect(rowStraightness(photo, 200, 25)).toBeGreaterThan(3);
    for (const row of [40, 200, 320, 480]) expect(rowStraightness(back, row + 1, 8, 40)).toBeLessThan(1);
  });

  it('writes a colour page tile by tile exactly as row by row', () => {
    const source: RawImage = { data: new Uint8Array(900 * 700 * 3), width: 900, height: 700, channels: 3 };
    let seed = 3;
    for (let i = 0; i < source.data.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      source.data[i] = (i % 251) ^ (seed >>> 24);
    }
    const width = 333;
    const height = 470;
    const h = homography(rectangle(width, height), [[120, -30], [820, 60], [760, 690], [40, 600]]);
    const gain = (y: number, row: Float32Array) => row.forEach((_, x) => (row[x] = 1 + ((x + y) % 7) / 10));
    const tiled = warp(source, h, width, height, { gain });
    const byRows = new Uint8Array(width * height * 3).fill(255);
    const row = new Float32Array(width);
    for (let y = 0; y < height; y++) {
      gain(y, row);
      warpRowRgb(source.data, 0, 0, source.width * 3, source.width, source.height, h, byRows, y * width * 3, y, row, SPAN, 0, width);
    }
    expect(Buffer.compare(Buffer.from(tiled.data), Buffer.from(byRows))).toBe(0);
    expect(tiled.data.some((v) => v < 200)).toBe(true);
  });
});
