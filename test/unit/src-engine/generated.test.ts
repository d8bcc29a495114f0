/**
 * Generated cases the corpus does not cover: the eight EXIF orientations, alpha, absurd
 * dimensions declared in a tiny file, empty files, wrong extensions, page editing, several
 * files into one PDF, and the size budget.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspect, normalise } from '../../../src-engine/core';
import { openPdf } from '../../../src-engine/pdf-read';
import { JAVASCRIPT_NAME_TREE } from '../../support/hand-made-pdf';
import { refusal } from '../../support/refusal';
import { corpusDir } from '../../support/paths';

const W = 60;
const H = 40;

/** The upright picture: white, with a red block in its top-left corner. */
function isRed(x: number, y: number): boolean {
  return x < 20 && y < 10;
}

/**
 * Stored pixels for EXIF orientation n: where each displayed pixel (dx, dy) lives in the
 * file (TIFF/EXIF 2.32, tag 0x0112, "0th row / 0th column" table).
 */
function storedAt(n: number, dx: number, dy: number): { sx: number; sy: number; sw: number; sh: number } {
  switch (n) {
    case 1: return { sx: dx, sy: dy, sw: W, sh: H };
    case 2: return { sx: W - 1 - dx, sy: dy, sw: W, sh: H };
    case 3: return { sx: W - 1 - dx, sy: H - 1 - dy, sw: W, sh: H };
    case 4: return { sx: dx, sy: H - 1 - dy, sw: W, sh: H };
    case 5: return { sx: dy, sy: dx, sw: H, sh: W };
    case 6: return { sx: dy, sy: W - 1 - dx, sw: H, sh: W };
    case 7: return { sx: H - 1 - dy, sy: W - 1 - dx, sw: H, sh: W };
    default: return { sx: H - 1 - dy, sy: dx, sw: H, sh: W };
  }
}

async function jpegWithOrientation(n: number): Promise<Uint8Array> {
  const { sw, sh } = storedAt(n, 0, 0);
  const raw = Buffer.alloc(sw * sh * 3, 255);
  for (let dy = 0; dy < H; dy++)
    for (let dx = 0; dx < W; dx++) {
      if (!isRed(dx, dy)) continue;
      const { sx, sy } = storedAt(n, dx, dy);
      raw.set([255, 0, 0], (sy * sw + sx) * 3);
    }
  return sharp(raw, { raw: { width: sw, height: sh, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: n }).toBuffer();
}

async function pixel(jpeg: Uint8Array, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}


function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A few hundred bytes that claim a 100000 x 100000 picture: a decompression bomb's header. */
function bombPng(): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const BUDGET = 10 * 1024 * 1024;

describe('orientation', () => {
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`EXIF orientation ${n} comes out upright, once`, async () => {
      const out = await normalise({ files: [{ name: `o${n}.jpg`, bytes: await jpegWithOrientation(n) }], maxBytes: BUDGET });
      expect(out.mediaType).toBe('image/jpeg');
      const meta = await sharp(out.bytes).metadata();
      expect([meta.width, meta.height]).toEqual([W, H]);
      expect(meta.orientation ?? 1).toBe(1);
      const [r, g] = await pixel(out.bytes, 5, 5);
      expect(r).toBeGreaterThan(200);
      expect(g).toBeLessThan(60);
      const [r2, g2] = await pixel(out.bytes, 55, 35);
      expect(r2).toBeGreaterThan(200);
      expect(g2).toBeGreaterThan(200);
    });
  }
});

describe('orientation and a turn asked by the person', () => {
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`EXIF orientation ${n}, then turned a quarter clockwise`, async () => {
      const out = await normalise({
        files: [{ name: `o${n}.jpg`, bytes: await jpegWithOrientation(n) }],
        maxBytes: BUDGET,
        pages: [{ file: 0, page: 0, rotate: 90 }],
      });
      const meta = await sharp(out.bytes).metadata();
      expect([meta.width, meta.height]).toEqual([H, W]);
      // The red corner, top-left when upright, is top-right after a quarter turn clockwise.
      const [r, g] = await pixel(out.bytes, H - 5, 5);
      expect(r).toBeGreaterThan(200);
      expect(g).toBeLessThan(60);
      const [r2, g2] = await pixel(out.bytes, 5, W - 5);
      expect(Math.min(r2!, g2!)).toBeGreaterThan(200);
    });
  }
});

describe('pictures that are not plain JPEG', () => {
  it('flattens transparency on white, not black', async () => {
    const png = await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const out = await normalise({ files: [{ name: 'transparent.png', bytes: png }], maxBytes: BUDGET });
    expect(out.mediaType).toBe('image/jpeg');
    const [r, g, b] = await pixel(out.bytes, 25, 25);
    expect(Math.min(r!, g!, b!)).toBeGreaterThan(240);
  });

  it('refuses a picture that declares huge dimensions, before decoding it', async () => {
    const error = await refusal(normalise({ files: [{ name: 'bomb.png', bytes: bombPng() }], maxBytes: BUDGET }));
    expect(error.code).toBe('image_too_large');
  });

  it('checks the shape of a request that came through IPC', async () => {
    const bad = [
      { files: [], maxBytes: BUDGET },
      { files: [{ name: 'a.jpg', bytes: 'not bytes' }], maxBytes: BUDGET },
      { files: [{ name: 'a.jpg', bytes: await jpegWithOrientation(1) }], maxBytes: -1 },
      { files: [{ name: 'a.jpg', bytes: await jpegWithOrientation(1) }], maxBytes: BUDGET, to: 'png' },
      { files: [{ name: 'a.jpg', bytes: await jpegWithOrientation(1) }], maxBytes: BUDGET, pages: [{ file: 1, page: 0 }] },
    ];
    for (const request of bad) {
      const error = await refusal(normalise(request as never));
      expect(error.code).toBe('validation_failed');
    }
  });

  it('refuses an empty file', async () => {
    const error = await refusal(normalise({ files: [{ name: 'vide.pdf', bytes: new Uint8Array(0) }], maxBytes: BUDGET }));
    expect(error.code).toBe('file_empty');
  });

  it('reads the type from the bytes, whatever the name says', async () => {
    const jpeg = await jpegWithOrientation(1);
    const out = await normalise({ files: [{ name: 'scan.pdf', bytes: jpeg }], maxBytes: BUDGET });
    expect(out.mediaType).toBe('image/jpeg');
    expect(out.filename).toBe('scan.jpg');
    const text = await refusal(normalise({ files: [{ name: 'photo.jpg', bytes: new TextEncoder().encode('Bonjour, ceci est du texte.') }], maxBytes: BUDGET }));
    expect(text.code).toBe('file_type_not_allowed');
  });
});

describe('several files, page editing and the budget', () => {
  const photo = async (width: number, height: number, colour: string) =>
    sharp({ create: { width, height, channels: 3, background: colour } }).jpeg().toBuffer();

  it('makes one A4 PDF of several pictures, in the order chosen, with pages turned and removed', async () => {
    const files = [
      { name: 'recto.jpg', bytes: await photo(600, 400, '#ff0000') },
      { name: 'verso.png', bytes: await sharp({ create: { width: 300, height: 500, channels: 3, background: '#00ff00' } }).png().toBuffer() },
      { name: 'extra.jpg', bytes: await photo(200, 200, '#0000ff') },
    ];
    const out = await normalise({
      files,
      maxBytes: BUDGET,
      pages: [
        { file: 1, page: 0 },
        { file: 0, page: 0, rotate: 90 },
      ],
    });
    expect(out.mediaType).toBe('application/pdf');
    expect(out.pages).toBe(2);
    const pdf = await openPdf(out.bytes);
    expect(pdf.pageCount).toBe(2);
    const [first, second] = pdf.doc.getPages();
    expect(Math.round(first!.getWidth())).toBe(595);
    expect(Math.round(first!.getHeight())).toBe(842);
    // The landscape photo sits on a landscape A4 page, turned a quarter by the page itself.
    expect(Math.round(second!.getWidth())).toBe(842);
    expect(second!.getRotation().angle).toBe(90);
  });

  it('refuses a JPEG of several pages, and a page that does not exist', async () => {
    const files = [
      { name: 'a.jpg', bytes: await photo(100, 100, '#ff0000') },
      { name: 'b.jpg', bytes: await photo(100, 100, '#00ff00') },
    ];
    expect((await refusal(normalise({ files, to: 'jpeg', maxBytes: BUDGET }))).code).toBe('jpeg_not_possible');
    expect((await refusal(normalise({ files, maxBytes: BUDGET, pages: [{ file: 0, page: 3 }] }))).code).toBe('validation_failed');
  });

  it('lowers resolution and quality to meet the budget, and refuses what cannot fit', async () => {
    const noise = Buffer.alloc(2400 * 1800 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const bytes = await sharp(noise, { raw: { width: 2400, height: 1800, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
    const loose = await normalise({ files: [{ name: 'bruit.png', bytes }], maxBytes: BUDGET });
    const tight = await normalise({ files: [{ name: 'bruit.png', bytes }], maxBytes: Math.floor(loose.bytes.length * 0.6) });
    expect(tight.bytes.length).toBeLessThanOrEqual(Math.floor(loose.bytes.length * 0.6));
    expect(tight.bytes.length).toBeLessThan(loose.bytes.length);
    const error = await refusal(normalise({ files: [{ name: 'bruit.png', bytes }], maxBytes: 20_000 }));
    expect(error.code).toBe('file_too_large');
    expect(error.message).toContain('20 Ko');
  });

  it('inspects pages of different sizes in a multi-page TIFF, with thumbnails', async () => {
    const a = await sharp({ create: { width: 400, height: 600, channels: 3, background: '#fff' } }).tiff().toBuffer();
    const previews = await inspect([{ name: 'a.tif', bytes: a }, { name: 'b.jpg', bytes: await photo(300, 100, '#123456') }]);
    expect(previews.map((p) => [p.file, p.page, p.width, p.height])).toEqual([
      [0, 0, 400, 600],
      [1, 0, 300, 100],
    ]);
    for (const p of previews) expect((await sharp(p.thumbnail).metadata()).format).toBe('jpeg');
  });

  it('reads each page of a fax TIFF at its own size', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const file = path.join(corpusDir, 'images', 'tiff-multipage-2-pages-different-sizes-g3-fax.tif');
    const previews = await inspect([{ name: 'fax.tif', bytes: readFileSync(file) }]);
    expect(previews.map((p) => [p.width, p.height])).toEqual([
      [2464, 3248],
      [1232, 1624],
    ]);
  });
});

describe('previews of PDF pages', () => {
  it('draws each page of a PDF, turned as its /Rotate says, including an owner-password file', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const corpus = path.join(corpusDir, 'pdf');
    const rotated = await inspect([{ name: 'r.pdf', bytes: readFileSync(path.join(corpus, 'pdf-page-rotate-90-180-270-360.pdf')) }]);
    // Portrait A4 pages with /Rotate 90, 180, 270 and 360: shown landscape, portrait, landscape, portrait.
    expect(rotated.map((p) => p.width > p.height)).toEqual([true, false, true, false]);
    for (const p of rotated) {
      const meta = await sharp(p.thumbnail).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.width! > meta.height!).toBe(p.width > p.height);
      // A drawn page is not blank: some pixels are dark (the text).
      const { channels } = await sharp(p.thumbnail).stats();
      expect(channels[0]!.min).toBeLessThan(220);
    }
    const owner = await inspect([{ name: 'o.pdf', bytes: readFileSync(path.join(corpus, 'pdf-encrypted-owner-password-only-acrobat.pdf')) }]);
    expect(owner).toHaveLength(1);
    expect([owner[0]!.width, owner[0]!.height]).toEqual([612, 792]);
  });
});

describe('a one-page PDF asked as a JPEG', () => {
  it('draws the page at a legible resolution; several pages are refused', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const corpus = path.join(corpusDir, 'pdf');
    const bytes = readFileSync(path.join(corpus, 'pdf-simple-text-pdflatex.pdf'));
    const out = await normalise({ files: [{ name: 'attestation.pdf', bytes }], to: 'jpeg', maxBytes: BUDGET });
    expect(out.mediaType).toBe('image/jpeg');
    expect(out.filename).toBe('attestation.jpg');
    const meta = await sharp(out.bytes).metadata();
    // An A4-sized page at about 200 dpi.
    expect(meta.height).toBeGreaterThan(2200);
    expect(meta.height).toBeLessThanOrEqual(2480);
    const { channels } = await sharp(out.bytes).stats();
    expect(channels[0]!.min).toBeLessThan(100);
    const many = readFileSync(path.join(corpus, 'pdf-mixed-page-sizes-6-pages.pdf'));
    expect((await refusal(normalise({ files: [{ name: 'm.pdf', bytes: many }], to: 'jpeg', maxBytes: BUDGET }))).code).toBe('jpeg_not_possible');
  });
});

describe('PDFs over budget', () => {
  it('recompresses the pictures of a scanned PDF (JPEG and deflated ones) to meet the budget', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const noise = (width: number, height: number) => {
      const raw = Buffer.alloc(width * height * 3);
      let x = 12345;
      for (let i = 0; i < raw.length; i++) raw[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
      return sharp(raw, { raw: { width, height, channels: 3 } });
    };
    const doc = await PDFDocument.create();
    const jpeg = await doc.embedJpg(await noise(2480, 3508).jpeg({ quality: 95 }).toBuffer());
    const png = await doc.embedPng(await noise(1240, 1754).png({ compressionLevel: 1 }).toBuffer());
    for (const image of [jpeg, png]) {
      const page = doc.addPage([595.28, 841.89]);
      page.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
    }
    const original = await doc.save();
    const budget = Math.floor(original.length * 0.6);
    const out = await normalise({ files: [{ name: 'scan.pdf', bytes: original }], maxBytes: budget });
    expect(out.mediaType).toBe('application/pdf');
    expect(out.bytes.length).toBeLessThanOrEqual(budget);
    expect(out.pages).toBe(2);
    expect(out.summary).toContain('images allégées');
    const reopened = await PDFDocument.load(out.bytes);
    expect(reopened.getPageCount()).toBe(2);
    const error = await refusal(normalise({ files: [{ name: 'scan.pdf', bytes: original }], maxBytes: 30_000 }));
    expect(error.code).toBe('file_too_large');
  });
});

describe('black-and-white scans', () => {
  it('keeps a bilevel TIFF scan black and white in the PDF: one bit per pixel, small', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const file = path.join(corpusDir, 'images', 'tiff-scanner-bilevel-g4-hp-photosmart.tif');
    const out = await normalise({ files: [{ name: 'scan.tif', bytes: readFileSync(file) }], maxBytes: BUDGET });
    expect(out.mediaType).toBe('application/pdf');
    expect(out.filename).toBe('scan.pdf');
    expect(Buffer.from(out.bytes).toString('latin1')).toMatch(/\/BitsPerComponent 1 \/Filter \/FlateDecode/);
    // A 300 dpi letter page: a grey JPEG of it weighs about 1.7 Mo.
    expect(out.bytes.length).toBeLessThan(400_000);
    const pdf = await openPdf(out.bytes);
    expect(pdf.pageCount).toBe(1);
  });
});

describe('a PDF whose only active content is a document-level JavaScript name tree', () => {
  it.each(Object.entries(JAVASCRIPT_NAME_TREE))('written %s: rebuilt without it', async (_form, bytes) => {
    expect((await openPdf(new Uint8Array(bytes))).activeContent).toEqual(['JavaScript']);
    const out = await normalise({ files: [{ name: 'avec-script.pdf', bytes: new Uint8Array(bytes) }], maxBytes: 10 * 1024 * 1024 });
    expect(out.mediaType).toBe('application/pdf');
    expect(out.summary).toContain('éléments actifs (programme, fichier joint) retirés');
    expect(Buffer.from(out.bytes).includes('/JavaScript')).toBe(false);
    expect((await openPdf(out.bytes)).activeContent).toEqual([]);
  });
});
