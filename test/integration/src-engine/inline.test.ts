/**
 * The engine on the caller's own thread (the `normalise` command's path for pictures libvips
 * decodes): the same answers as a worker gives, and its time limit still holds, since the
 * decoding runs on libvips' threads and leaves the caller's timers free to fire.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src-engine/index';
import { canRunInline, spawnInline } from '../../../src-engine/inline';
import { corpusDir as corpus } from '../../support/paths';
import { refusal } from '../../support/refusal';
import { buildEngine, workerScript } from '../../support/engine-build';

const photo = path.join(corpus, 'images', 'jpeg-exif-orientation-6-landscape.jpg');
const file = async (name: string, at: string) => ({ name, bytes: new Uint8Array(await readFile(at)) });

describe('canRunInline', () => {
  it('keeps on this thread only pictures libvips decodes', async () => {
    expect(canRunInline([await file('p.jpg', photo), await file('g.gif', path.join(corpus, 'images', 'gif-animated-multiframe.gif'))])).toBe(true);
    expect(canRunInline([await file('h.heic', path.join(corpus, 'phone', 'heic-iphone8plus-exif-orientation-6-irot.heic'))])).toBe(false);
    expect(canRunInline([await file('p.jpg', photo), { name: 'd.pdf', bytes: new TextEncoder().encode('%PDF-1.7\n') }])).toBe(false);
    expect(canRunInline([{ name: 'w.docx', bytes: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]) }])).toBe(false);
  });
});

describe('engine on this thread', () => {
  it('answers byte for byte what the worker answers, with progress', async () => {
    await buildEngine();
    const inline = createEngine({ spawn: spawnInline });
    const worker = createEngine({ workerScript });
    try {
      const progress: number[] = [];
      const here = await inline.normalise({ files: [await file('p.jpg', photo)], maxBytes: 10 * 1024 * 1024 }, (done) => progress.push(done));
      const there = await worker.normalise({ files: [await file('p.jpg', photo)], maxBytes: 10 * 1024 * 1024 });
      expect(here.mediaType).toBe('image/jpeg');
      expect(Buffer.from(here.bytes).equals(Buffer.from(there.bytes))).toBe(true);
      expect(here.summary).toBe(there.summary);
      expect(progress.length).toBeGreaterThan(0);
      const refused = await refusal(inline.normalise({ files: [{ name: 'x.jpg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 2]) }], maxBytes: 1e7 }));
      expect(refused.code).toBe('file_corrupt');
    } finally {
      await inline.close();
      await worker.close();
    }
  });

  it('stops waiting at the time limit, since the caller\'s timers still fire, and a new engine serves the next request', async () => {
    // A sideways 12 MP photo: it must be decoded and turned, a few hundred milliseconds of
    // libvips work, far past the limit.
    const big = await sharp(await readFile(photo)).resize({ width: 4000, height: 3000, fit: 'fill' }).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
    const engine = createEngine({ spawn: spawnInline, timeoutMs: 20 });
    try {
      const error = await refusal(engine.normalise({ files: [{ name: 'big.jpg', bytes: new Uint8Array(big) }], maxBytes: 1e7 }));
      expect(error.code).toBe('document_too_complex');
    } finally {
      await engine.close();
    }
    const next = createEngine({ spawn: spawnInline });
    try {
      expect((await next.normalise({ files: [await file('p.jpg', photo)], maxBytes: 1e7 })).mediaType).toBe('image/jpeg');
    } finally {
      await next.close();
    }
  });
});
