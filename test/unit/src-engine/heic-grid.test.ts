/**
 * The tile-by-tile HEIC path (used for photos too large to decode whole) against libheif's
 * own whole-picture decoding of an iPhone photo that is also a grid with an irot turn: the
 * two must show the same picture.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import heicDecode from 'heic-decode';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeGridShrunk, readGridLayout } from '../../../src-engine/heic-grid';
import { corpusDir } from '../../support/paths';

const corpus = path.join(corpusDir, 'phone');

describe('HEIC grids', () => {
  it('reads the grid of the 200 Mpx Samsung photo', () => {
    const layout = readGridLayout(readFileSync(path.join(corpus, 'heic-samsung-s24ultra-200mp-16320x12240.heic')))!;
    expect(layout).toMatchObject({ rows: 24, columns: 32, width: 16320, height: 12240 });
    expect(layout.tiles).toHaveLength(768);
    expect(layout.transforms).toEqual([{ rotateCcw: 3 }]);
  });

  it('assembles and turns tiles as libheif does for the whole picture', { timeout: 60_000 }, async () => {
    const bytes = new Uint8Array(readFileSync(path.join(corpus, 'heic-iphone8plus-exif-orientation-6-irot.heic')));
    const layout = readGridLayout(bytes)!;
    expect(layout.tiles).toHaveLength(48);
    const ours = await decodeGridShrunk(bytes, layout, 1008);
    const whole = await heicDecode({ buffer: bytes });
    expect([ours.width, ours.height]).toEqual([756, 1008]);
    expect([whole.width, whole.height]).toEqual([3024, 4032]);
    const small = { width: 189, height: 252, fit: 'fill' as const };
    const a = await sharp(ours.data, { raw: { width: ours.width, height: ours.height, channels: 3 } }).resize(small).raw().toBuffer();
    const b = await sharp(Buffer.from(whole.data.buffer), { raw: { width: whole.width, height: whole.height, channels: 4 } })
      .removeAlpha()
      .resize(small)
      .raw()
      .toBuffer();
    let difference = 0;
    for (let i = 0; i < a.length; i++) difference += Math.abs(a[i]! - b[i]!);
    // Same picture, same way up: only resampling differs (a turned or shifted one is far off).
    expect(difference / a.length).toBeLessThan(4);
  });
});
