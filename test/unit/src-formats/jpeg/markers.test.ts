/**
 * One JPEG marker walk for the server's check and the engine (issue 13), with libjpeg's rules:
 * a real photo with bytes spliced in right after SOI is judged the same by both sides.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJpeg, readJpegLayout } from '../../../../src-formats';
import { corpusDir } from '../../../support/paths';
import { checkOutcomes } from '../../../support/check-outcome';

const { outcome: serverSays } = checkOutcomes('depot-jpeg-markers-', '.jpg', (file) => checkJpeg(file));
const photo = readFileSync(path.join(corpusDir, 'images/jpeg-exif-orientation-6-landscape.jpg'));

/** The photo with `inserted` right after its SOI. */
const spliced = (inserted: number[]) => Buffer.concat([photo.subarray(0, 2), Buffer.from(inserted), photo.subarray(2)]);

/** The photo's own frame header (SOF), to repeat it. */
function frameHeader(): number[] {
  const layout = readJpegLayout(photo);
  const sof = layout!.segments.find((s) => s.marker >= 0xc0 && s.marker <= 0xc3)!;
  return [...photo.subarray(sof.start, sof.end)];
}

const engineSays = (bytes: Buffer) => (readJpegLayout(bytes)?.complete ? 'ok' : 'file_corrupt');

const CASES: Array<[string, number[], string]> = [
  ['nothing inserted', [], 'ok'],
  ['fill bytes before a marker', [0xff, 0xff, 0xff, 0xfe, 0x00, 0x04, 0x41, 0x42], 'ok'],
  ['a restart marker before the scan (parameterless in libjpeg)', [0xff, 0xd0], 'ok'],
  ['a TEM marker', [0xff, 0x01], 'ok'],
  ['a second SOI', [0xff, 0xd8], 'file_corrupt'],
  ['an EOI before any scan', [0xff, 0xd9], 'file_corrupt'],
  ['a reserved marker (JPG0)', [0xff, 0xf0, 0x00, 0x04, 0x00, 0x00], 'file_corrupt'],
  ['a reserved marker (RES)', [0xff, 0x02, 0x00, 0x04, 0x00, 0x00], 'file_corrupt'],
  ['a segment length below 2', [0xff, 0xfe, 0x00, 0x01], 'file_corrupt'],
  ['a byte that is not a marker', [0x00, 0xff, 0xfe, 0x00, 0x02], 'file_corrupt'],
];

describe('the JPEG marker walk, shared by the server and the engine', () => {
  for (const [name, inserted, expected] of CASES) {
    it(`${name}: ${expected} on both sides`, async () => {
      const bytes = spliced(inserted);
      expect(await serverSays(bytes)).toBe(expected);
      expect(engineSays(bytes)).toBe(expected);
    });
  }

  it('a second frame header (SOF) is refused on both sides, as libjpeg does', async () => {
    const bytes = spliced(frameHeader());
    expect(await serverSays(bytes)).toBe('file_corrupt');
    expect(engineSays(bytes)).toBe('file_corrupt');
  });

  it('a file cut inside its picture has no EOI on either side', async () => {
    const bytes = photo.subarray(0, photo.length - 1000);
    expect(await serverSays(bytes)).toBe('file_corrupt');
    expect(engineSays(bytes)).toBe('file_corrupt');
  });
});
