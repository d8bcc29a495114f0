/**
 * PDF pages drawn as pictures, for previews: PDFium (Chrome's PDF renderer) compiled to
 * WebAssembly, so a hostile file stays inside the WebAssembly sandbox and the worker's
 * limits. It honours /Rotate and opens owner-password files as any reader does.
 */
import type { PDFiumLibrary } from '@hyzyla/pdfium';
import { AppError } from '../src-shared/errors';
import { a4Box, type Level, type Rotation } from './encode';
import { THUMBNAIL_LONG_SIDE } from './limits';
import { loadSharp } from './sharp';

let library: Promise<PDFiumLibrary> | undefined;

function pdfium(): Promise<PDFiumLibrary> {
  library ??= import('@hyzyla/pdfium').then(({ PDFiumLibrary }) => PDFiumLibrary.init());
  return library;
}

export interface RenderedPage {
  /** Size as shown, in points (after /Rotate). */
  width: number;
  height: number;
  thumbnail: Uint8Array;
}

async function openDocument(bytes: Uint8Array) {
  const lib = await pdfium();
  try {
    // PDFium keeps a reference to the bytes it is given: hand it its own copy.
    return await lib.loadDocument(new Uint8Array(bytes));
  } catch (error) {
    const text = error instanceof Error ? error.message : '';
    throw new AppError(/password/i.test(text) ? 'pdf_encrypted' : 'file_corrupt');
  }
}

/** PDFium draws in BGRA: to RGB order, without alpha. */
async function bgraToRgb(render: { data: Uint8Array; width: number; height: number }) {
  const sharp = await loadSharp();
  return sharp(render.data, { raw: { width: render.width, height: render.height, channels: 4 } })
    .removeAlpha()
    .recomb([
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
}

/**
 * One page as a JPEG drawn at `level` on an A4 sheet (for a piece that takes a JPEG and a
 * one-page PDF, such as a scanned card saved as PDF).
 */
export async function renderPageJpeg(bytes: Uint8Array, index: number, rotate: Rotation, level: Level): Promise<Uint8Array> {
  const doc = await openDocument(bytes);
  try {
    const page = doc.getPage(index);
    const { originalWidth, originalHeight } = page.getOriginalSize();
    const box = a4Box({ width: originalWidth, height: originalHeight }, level.dpi);
    const scale = Math.min(box.width / originalWidth, box.height / originalHeight);
    const render = await page.render({ scale, render: 'bitmap', colorSpace: 'BGRA', transparent: false });
    const pipeline = await bgraToRgb(render);
    if (rotate) pipeline.rotate(rotate);
    const jpeg = await pipeline.jpeg({ quality: level.quality, mozjpeg: false, optimiseCoding: level.optimise === true }).toBuffer();
    return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  } finally {
    doc.destroy();
  }
}

/** Thumbnails of every page, one at a time (a 117-page thesis stays small in memory). */
export async function renderThumbnails(bytes: Uint8Array, onPage?: (index: number) => void): Promise<RenderedPage[]> {
  const doc = await openDocument(bytes);
  try {
    const pages: RenderedPage[] = [];
    const count = doc.getPageCount();
    for (let index = 0; index < count; index++) {
      const page = doc.getPage(index);
      const { originalWidth, originalHeight } = page.getOriginalSize();
      const scale = Math.min(1, THUMBNAIL_LONG_SIDE / Math.max(originalWidth, originalHeight, 1));
      const render = await page.render({ scale, render: 'bitmap', colorSpace: 'BGRA', transparent: false });
      const thumbnail = await (await bgraToRgb(render)).jpeg({ quality: 70 }).toBuffer();
      // PDFium gives the size as shown, /Rotate applied.
      pages.push({
        width: Math.round(originalWidth),
        height: Math.round(originalHeight),
        thumbnail: new Uint8Array(thumbnail.buffer, thumbnail.byteOffset, thumbnail.byteLength),
      });
      onPage?.(index);
    }
    return pages;
  } finally {
    doc.destroy();
  }
}
