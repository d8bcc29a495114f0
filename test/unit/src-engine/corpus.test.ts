/**
 * Every file of the shared corpus held to its expected outcome (../shared/corpus/MANIFEST.tsv),
 * through the engine's in-process core (the process boundary has its own integration test).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../../src-engine/core';
import { jpegScanData } from '../../../src-formats/jpeg/segments';
import { openPdf } from '../../../src-engine/pdf-read';
import { refusal } from '../../support/refusal';
import { corpusDir } from '../../support/paths';

const corpus = corpusDir;
const rows = readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .map((cols) => ({ file: cols[0]!, outcome: cols[8]! }));

/** Where our policy differs from the manifest's proposal, on purpose (none today). */
const POLICY: Record<string, { code: string }> = {};

/** The 200 Mpx HEIC is decoded tile by tile (768 tiles): it takes seconds, not milliseconds. */
const SLOW = new Set(['phone/heic-samsung-s24ultra-200mp-16320x12240.heic']);

const BUDGET = 10 * 1024 * 1024;


describe('corpus: every file meets its expected outcome', () => {
  it('reads a manifest with rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  for (const { file, outcome } of rows) {
    it(`${file} → ${POLICY[file] ? `refused (${POLICY[file].code}, policy)` : outcome}`, { timeout: SLOW.has(file) ? 180_000 : 30_000 }, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(corpus, file)));
      const run = () => normalise({ files: [{ name: path.basename(file), bytes }], maxBytes: BUDGET });
      const policy = POLICY[file];
      if (policy) {
        const error = await refusal(run());
        expect(error.code).toBe(policy.code);
        expect(error.message).toMatch(/[a-zé]/);
        return;
      }
      switch (outcome) {
        case 'reject-with-clear-error': {
          const error = await refusal(run());
          expect(['file_corrupt', 'file_type_not_allowed', 'image_too_large', 'file_empty']).toContain(error.code);
          expect(error.message.length).toBeGreaterThan(30);
          break;
        }
        case 'needs-password': {
          const error = await refusal(run());
          expect(error.code).toBe('pdf_encrypted');
          break;
        }
        case 'accept-as-is': {
          const out = await run();
          if (out.mediaType === 'application/pdf') {
            expect(Buffer.from(out.bytes).equals(Buffer.from(bytes))).toBe(true);
          } else {
            // Only metadata segments may go: the compressed picture is the same, byte for byte.
            expect(Buffer.from(jpegScanData(out.bytes)!).equals(Buffer.from(jpegScanData(bytes)!))).toBe(true);
            const meta = await sharp(out.bytes).metadata();
            expect(meta.exif).toBeUndefined();
          }
          break;
        }
        case 'convert-to-jpeg': {
          const out = await run();
          expect(out.mediaType).toBe('image/jpeg');
          expect(out.filename).toMatch(/\.jpg$/);
          expect(out.bytes.length).toBeLessThanOrEqual(BUDGET);
          const meta = await sharp(out.bytes).metadata();
          expect(meta.format).toBe('jpeg');
          expect(meta.depth).toBe('uchar');
          expect(['srgb', 'b-w']).toContain(meta.space);
          expect(meta.hasAlpha).toBe(false);
          expect(meta.exif).toBeUndefined();
          expect(meta.orientation ?? 1).toBe(1);
          break;
        }
        case 'convert-to-pdf': {
          const out = await run();
          expect(out.mediaType).toBe('application/pdf');
          expect(Buffer.from(out.bytes).equals(Buffer.from(bytes))).toBe(false);
          const reopened = await openPdf(out.bytes);
          expect(reopened.activeContent).toEqual([]);
          expect(reopened.pageCount).toBe(out.pages);
          break;
        }
        default:
          throw new Error(`unknown outcome ${outcome}`);
      }
    });
  }
});
