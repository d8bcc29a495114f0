/**
 * Damaged files, generated: truncations, flipped bytes and overwritten runs of real corpus
 * files. Whatever the damage, the engine answers a document or a refusal with a known code,
 * never another exception (in-process; the worker's limits are tested in integration).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, isErrorCode } from '../../../src-shared/errors';
import { normalise } from '../../../src-engine/core';
import { corpusDir } from '../../support/paths';

const corpus = corpusDir;
const seeds = [
  'images/jpeg-exif-orientation-6-landscape.jpg',
  'images/png-16bit-rgba-pngsuite.png',
  'images/gif-animated-multiframe.gif',
  'images/bmp-24bit-photo.bmp',
  'images/webp-lossy-photo.webp',
  'images/tiff-multipage-2-pages-different-sizes-g3-fax.tif',
  'pdf/pdf-simple-text-pdflatex.pdf',
  'pdf/pdf-javascript-document-level.pdf',
].map((file) => ({ file, bytes: new Uint8Array(readFileSync(path.join(corpus, file))) }));

type Damage = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; mask: number } | { kind: 'overwrite'; at: number; run: number[] };

function damage(bytes: Uint8Array, d: Damage): Uint8Array {
  const at = Math.floor(d.at * bytes.length);
  if (d.kind === 'truncate') return bytes.slice(0, at);
  const out = bytes.slice();
  if (d.kind === 'flip') out[at] = (out[at] ?? 0) ^ d.mask;
  else out.set(d.run.slice(0, Math.max(0, out.length - at)), at);
  return out;
}

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    // The first bytes hold the headers, where damage is most interesting.
    at: fc.double({ min: 0, max: 0.05, noNaN: true }),
    run: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }),
  }),
);

describe('damaged files', () => {
  it('always end in a document or a refusal with a known code', { timeout: 120_000 }, async () => {
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: seeds.length - 1 }), damageArb, async (seed, d) => {
        const { file, bytes } = seeds[seed]!;
        const input = damage(bytes, d);
        try {
          const out = await normalise({ files: [{ name: path.basename(file), bytes: input }], maxBytes: 10 * 1024 * 1024 });
          expect(['image/jpeg', 'application/pdf']).toContain(out.mediaType);
          expect(out.bytes.length).toBeGreaterThan(0);
          count('document');
        } catch (error) {
          if (!(error instanceof AppError) || !isErrorCode(error.code) || error.code === 'internal_error') {
            throw new Error(`${file} with ${JSON.stringify(d)}: ${String(error)}`);
          }
          count(error.code);
        }
      }),
      { numRuns: 120, seed: 20261129 },
    );
    // Both paths were taken: some damage is survivable, some is refused.
    expect(outcomes.get('document') ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('file_corrupt') ?? 0).toBeGreaterThan(0);
  });
});
