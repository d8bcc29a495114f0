/**
 * The document engine's work, in-process: what a worker process runs. Turns what a person
 * has into exactly what the piece accepts (design.md section 3), or refuses it with a code.
 */
import { AppError, ENGINE_DETAILS } from '../src-shared/errors';
import { encodeBilevelPage, encodePage, ladderFor, PHOTO_LADDER, thumbnailOf, type EncodedPage, type Level, type Rotation } from './encode';
import { readJpegHeader, readJpegLayout, stripJpegMetadata } from '../src-formats';
import { writeImagePdf, type ImagePage } from './pdf-images';
import { MAX_PAGES, THUMBNAIL_LONG_SIDE } from './limits';
import type { OpenedPdf } from './pdf-read';
import { openRaster, type RasterSource } from './raster';
import { loadSharp } from './sharp';
import { sniff, type InputKind } from './sniff';
import { summarise, type Facts } from './summary';
import type { ScannedPage } from './scan/page';
import type { Corners, EngineInputFile, NormalisedDocument, NormaliseRequest, PagePicture, PagePreview, PageRef, PictureRequest, PreparedPage, ProgressListener } from './types';

/** A page of the output: where it comes from, the person's turn, and corners if given. */
interface Ref {
  file: number;
  page: number;
  rotate: Rotation;
  /** Chosen by the person; null: keep the whole photo; undefined: found by the engine. */
  corners?: Corners | null;
  /** A photo sent in black and white. */
  bw?: boolean;
}

/** Photographed pages made scans, by `file/page`. */
type Scans = Map<string, ScannedPage>;
type Built = Omit<NormalisedDocument, 'report'>;
const scanKey = (ref: { file: number; page: number }): string => `${ref.file}/${ref.page}`;

type Loaded =
  | { type: 'raster'; kind: InputKind; file: EngineInputFile; raster: RasterSource }
  | { type: 'pdf'; kind: 'pdf'; file: EngineInputFile; pdf: OpenedPdf };

async function load(file: EngineInputFile): Promise<Loaded> {
  const kind = await sniff(file.bytes);
  if (kind === 'pdf') {
    // PDF code (pdf-lib, crypto, zlib) is loaded only when a PDF is involved.
    const { openPdf } = await import('./pdf-read');
    return { type: 'pdf', kind, file, pdf: await openPdf(file.bytes) };
  }
  return { type: 'raster', kind, file, raster: await openRaster(kind, file.bytes) };
}

async function loadAll(files: EngineInputFile[]): Promise<Loaded[]> {
  // The request may come from the renderer through IPC: its shape is checked, not trusted.
  if (!Array.isArray(files) || files.length === 0 || files.length > MAX_PAGES) throw new AppError('validation_failed');
  for (const file of files) {
    if (!file || typeof file.name !== 'string' || !(file.bytes instanceof Uint8Array)) throw new AppError('validation_failed');
  }
  const loaded: Loaded[] = [];
  for (const file of files) loaded.push(await load(file));
  return loaded;
}

function pageCountOf(l: Loaded): number {
  return l.type === 'pdf' ? l.pdf.pageCount : l.raster.pages.length;
}

function isCorners(value: unknown): value is Corners {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    value.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= 1e6))
  );
}

function cornersOf(ref: PageRef, request: NormaliseRequest): Corners | null | undefined {
  if (ref.corners !== undefined) {
    if (ref.corners !== null && !isCorners(ref.corners)) throw new AppError('validation_failed');
    return ref.corners;
  }
  const given = request.corners?.find((c) => c.file === ref.file && c.page === ref.page);
  if (given && given.corners !== null && !isCorners(given.corners)) throw new AppError('validation_failed');
  return given?.corners;
}

function selectPages(loaded: Loaded[], request: NormaliseRequest): Ref[] {
  const pages = request.pages;
  const all: PageRef[] = pages ?? loaded.flatMap((l, file) => Array.from({ length: pageCountOf(l) }, (_, page) => ({ file, page })));
  if (all.length === 0 || all.length > MAX_PAGES) throw new AppError('validation_failed');
  return all.map((ref) => {
    if (!ref || !Number.isInteger(ref.file)) throw new AppError('validation_failed');
    const l = loaded[ref.file];
    const rotate = ref.rotate ?? 0;
    if (!l || !Number.isInteger(ref.page) || ref.page < 0 || ref.page >= pageCountOf(l) || ![0, 90, 180, 270].includes(rotate))
      throw new AppError('validation_failed');
    const corners = cornersOf(ref, request);
    if (ref.bw !== undefined && typeof ref.bw !== 'boolean') throw new AppError('validation_failed');
    const bw = ref.bw ?? request.bw === true;
    return { file: ref.file, page: ref.page, rotate: rotate as Rotation, ...(corners !== undefined ? { corners } : {}), ...(bw ? { bw } : {}) };
  });
}

/**
 * Photographed pages found, flattened and checked once, before any encoding: the ladder's
 * steps then only re-encode the flat page.
 */
async function scanPages(loaded: Loaded[], refs: Ref[], scan: 'auto' | 'off'): Promise<Scans> {
  const scans: Scans = new Map();
  for (const ref of refs) {
    const l = loaded[ref.file]!;
    if (l.type !== 'raster' || scans.has(scanKey(ref))) continue;
    const { scanPage } = await import('./scan/page');
    const request = ref.corners === null ? { scan: 'off' as const } : ref.corners ? { scan: 'auto' as const, corners: ref.corners } : { scan };
    scans.set(scanKey(ref), await scanPage(l.raster, ref.page, { ...request, bw: ref.bw === true }));
  }
  return scans;
}

/** The long side of a flattened page's thumbnail: as the inspected pages' thumbnails. */
const FLAT_THUMBNAIL_DPI_PROBE = 100;

async function reportOf(refs: Ref[], scans: Scans, thumbnails: boolean): Promise<PreparedPage[]> {
  const report: PreparedPage[] = [];
  for (const ref of refs) {
    const scanned = scans.get(scanKey(ref));
    const entry: PreparedPage = { source: { file: ref.file, page: ref.page }, corners: scanned?.corners ?? null, checks: scanned?.checks ?? [] };
    if (thumbnails && scanned?.flat && scanned.shape) {
      // Drawn by the same code as the page sent, at the resolution that gives a thumbnail's size.
      const { encodeFlat } = await import('./scan/page');
      const probe = scanned.shape.atDpi(scanned.flat, FLAT_THUMBNAIL_DPI_PROBE);
      const dpi = (FLAT_THUMBNAIL_DPI_PROBE * THUMBNAIL_LONG_SIDE) / Math.max(probe.width, probe.height, 1);
      let small = await encodeFlat(scanned, 0, dpi, 70);
      // A card keeps a minimum resolution whatever is asked: its thumbnail is shrunk after.
      if (Math.max(small.width, small.height) > THUMBNAIL_LONG_SIDE) small = await thumbnailOfJpeg(small.bytes);
      entry.flattened = { thumbnail: small.bytes, width: small.width, height: small.height, card: scanned.shape.kind === 'card' };
    }
    report.push(entry);
  }
  return report;
}

/**
 * What PDFium is given to draw a PDF's pages: PDFium draws no form field without a form
 * environment, so a form is drawn once flattened (the answers then show in the thumbnails and
 * in a page asked as a JPEG). An owner-password file is drawn as it is: saved again it would
 * keep an /Encrypt entry over streams already decrypted.
 */
async function drawableBytes(l: Extract<Loaded, { type: 'pdf' }>): Promise<Uint8Array> {
  if (l.pdf.form !== 'fields' || l.pdf.encryption) return l.file.bytes;
  const [{ flattenForm }, { savePdf }] = await Promise.all([import('./pdf-form'), import('./pdf-build')]);
  await flattenForm(l.pdf.doc);
  return savePdf(l.pdf.doc);
}

export async function inspect(files: EngineInputFile[], onProgress?: ProgressListener): Promise<PagePreview[]> {
  const loaded = await loadAll(files);
  const total = loaded.reduce((n, l) => n + pageCountOf(l), 0);
  if (total > MAX_PAGES) throw new AppError('validation_failed');
  const previews: PagePreview[] = [];
  let done = 0;
  onProgress?.(0, total);
  for (const [file, l] of loaded.entries()) {
    if (l.type === 'raster') {
      const { scanPage } = await import('./scan/page');
      for (const [page, info] of l.raster.pages.entries()) {
        const thumb = await thumbnailOf(l.raster, page);
        // The outline the person will check (and move) over the photo, with the warnings.
        const { corners, checks } = await scanPage(l.raster, page, { scan: 'auto' }, { measureOnly: true });
        previews.push({ file, page, width: info.width, height: info.height, thumbnail: thumb.bytes, corners, checks });
        onProgress?.(++done, total);
      }
    } else {
      const { renderThumbnails } = await import('./pdf-render');
      const rendered = await renderThumbnails(await drawableBytes(l), () => onProgress?.(++done, Math.max(total, done)));
      for (const [page, r] of rendered.entries()) previews.push({ file, page, width: r.width, height: r.height, thumbnail: r.thumbnail });
    }
  }
  return previews;
}

function baseName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const stem = last.replace(/\.[^.]*$/, '');
  const clean = stem.replace(/[\u0000-\u001f<>:"|?*]+/g, '').trim();
  return clean || 'document';
}

/** A JPEG that is upright, sRGB or grey, 8-bit and whole: kept, only its metadata dropped. */
function compliantJpeg(l: Loaded): Uint8Array | undefined {
  if (l.type !== 'raster' || l.kind !== 'jpeg') return undefined;
  const info = l.raster.pages[0]!;
  if (info.orientation !== 1 || !info.srgbOrGrey || !info.eightBit || info.hasAlpha) return undefined;
  const layout = readJpegLayout(l.file.bytes);
  if (!layout || !layout.complete) return undefined;
  return stripJpegMetadata(l.file.bytes, layout);
}

function pictureOf(jpeg: Uint8Array, rotate: Rotation): Extract<ImagePage, { kind: 'jpeg' }> {
  const layout = readJpegLayout(jpeg);
  const header = layout ? readJpegHeader(jpeg, layout) : undefined;
  if (!header || (header.components !== 1 && header.components !== 3)) throw new AppError('internal_error');
  return { kind: 'jpeg', jpeg, width: header.width, height: header.height, components: header.components, rotate };
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('file_too_large', ENGINE_DETAILS.tooLargeEvenCompressed(maxBytes));
}

/**
 * Encodes at each level of the ladder, best first, until the result fits the piece's budget;
 * progress is told per step. None fits: the person is told the file is too large.
 */
async function firstThatFits<T extends { bytes: Uint8Array }>(
  ladder: readonly Level[],
  maxBytes: number,
  onProgress: ProgressListener | undefined,
  encode: (level: Level) => Promise<T>,
): Promise<T> {
  for (const [step, level] of ladder.entries()) {
    const encoded = await encode(level);
    onProgress?.(step + 1, ladder.length);
    if (encoded.bytes.length <= maxBytes) {
      onProgress?.(ladder.length, ladder.length);
      return encoded;
    }
  }
  throw tooLarge(maxBytes);
}

async function toJpeg(
  l: Extract<Loaded, { type: 'raster' }>,
  ref: Ref,
  maxBytes: number,
  scans: Scans,
  onProgress?: ProgressListener,
): Promise<Built> {
  const filename = `${baseName(l.file.name)}.jpg`;
  const info = l.raster.pages[ref.page]!;
  const ladder = ladderFor(info);
  onProgress?.(0, ladder.length);
  const scanned = scans.get(scanKey(ref));
  if (scanned?.flat) {
    const { encodeFlat } = await import('./scan/page');
    const page = await firstThatFits(ladder, maxBytes, onProgress, (level) =>
      encodeFlat(scanned, ref.rotate, level.dpi, level.quality, level.optimise),
    );
    const facts: Facts = {
      output: 'jpeg',
      bytes: page.bytes.length,
      pages: 1,
      flattened: scanned.corners !== null,
      blackAndWhite: scanned.bw === true,
      turnedUpright: info.orientation !== 1 || ref.rotate !== 0,
    };
    return { bytes: page.bytes, mediaType: 'image/jpeg', pages: 1, summary: summarise(facts), filename };
  }
  if (ref.rotate === 0) {
    const kept = compliantJpeg(l);
    if (kept && kept.length <= maxBytes) {
      onProgress?.(ladder.length, ladder.length);
      const facts: Facts = { output: 'jpeg', bytes: kept.length, pages: 1, keptAsIs: true, metadataRemoved: kept.length !== l.file.bytes.length };
      return { bytes: kept, mediaType: 'image/jpeg', pages: 1, summary: summarise(facts), filename };
    }
  }
  const page = await firstThatFits(ladder, maxBytes, onProgress, (level) => encodePage(l.raster, ref.page, ref.rotate, level));
  const facts: Facts = {
    output: 'jpeg',
    bytes: page.bytes.length,
    pages: 1,
    turnedUpright: info.orientation !== 1 || ref.rotate !== 0,
    coloursConverted: !info.srgbOrGrey && l.kind === 'jpeg',
    reduced: page.width < (ref.rotate % 180 ? info.height : info.width),
  };
  return { bytes: page.bytes, mediaType: 'image/jpeg', pages: 1, summary: summarise(facts), filename };
}

/** A one-page PDF asked as a JPEG: the page drawn at a legible resolution, within budget. */
async function pdfPageToJpeg(
  l: Extract<Loaded, { type: 'pdf' }>,
  ref: Ref,
  maxBytes: number,
  onProgress?: ProgressListener,
): Promise<Built> {
  const { renderPageJpeg } = await import('./pdf-render');
  onProgress?.(0, PHOTO_LADDER.length);
  const drawable = await drawableBytes(l);
  const { bytes } = await firstThatFits(PHOTO_LADDER, maxBytes, onProgress, async (level) => ({
    bytes: await renderPageJpeg(drawable, ref.page, ref.rotate, level),
  }));
  const summary = summarise({ output: 'jpeg', bytes: bytes.length, pages: 1, fromPdf: true, turnedUpright: ref.rotate !== 0 });
  return { bytes, mediaType: 'image/jpeg', pages: 1, summary, filename: `${baseName(l.file.name)}.jpg` };
}

function isWholePdf(loaded: Loaded[], refs: Ref[]): boolean {
  const first = loaded[0];
  if (loaded.length !== 1 || !first || first.type !== 'pdf' || refs.length !== first.pdf.pageCount) return false;
  return refs.every((ref, i) => ref.file === 0 && ref.page === i && ref.rotate === 0);
}

async function toPdf(
  loaded: Loaded[],
  refs: Ref[],
  maxBytes: number,
  scans: Scans,
  onProgress?: ProgressListener,
): Promise<Built> {
  const filename = `${baseName(loaded[0]!.file.name)}.pdf`;
  const whole = isWholePdf(loaded, refs);
  const only = loaded[0]!;
  if (whole && only.type === 'pdf') {
    const { pdf } = only;
    // Clean, whole and small enough: the very bytes are sent (a signature stays valid, so a
    // signed form is kept too: its widgets show the answers as signed).
    const formKept = pdf.form === 'none' || pdf.signed;
    if (pdf.activeContent.length === 0 && formKept && pdf.wellFormed && only.file.bytes.length <= maxBytes) {
      onProgress?.(refs.length, refs.length);
      const facts: Facts = { output: 'pdf', bytes: only.file.bytes.length, pages: pdf.pageCount, keptAsIs: true };
      return { bytes: only.file.bytes, mediaType: 'application/pdf', pages: pdf.pageCount, summary: summarise(facts), filename };
    }
  }
  for (const ref of refs) {
    const l = loaded[ref.file]!;
    if (l.type === 'pdf' && l.pdf.encryption && !l.pdf.encryption.decrypted) throw new AppError('pdf_encrypted', ENGINE_DETAILS.pdfRestricted);
  }
  const anyPdf = refs.some((ref) => loaded[ref.file]!.type === 'pdf');
  const forms = [...new Set(refs.map((ref) => loaded[ref.file]!))].filter((l) => l.type === 'pdf' && l.pdf.form === 'fields');
  if (forms.length > 0) {
    // Once per file, before its pages are copied: the answers become page content.
    const { flattenForm } = await import('./pdf-form');
    for (const l of forms) if (l.type === 'pdf') await flattenForm(l.pdf.doc);
  }
  const encoded = new Map<string, EncodedPage>();
  // Attempt 0 keeps compliant JPEGs and PDF pictures as they are; the next ones re-encode
  // every picture one step lower each time.
  for (let attempt = 0; attempt <= PHOTO_LADDER.length; attempt++) {
    let reduced = false;
    const pictures: ImagePage[] = [];
    const pdf = anyPdf ? await import('./pdf-build') : undefined;
    const doc = pdf ? await pdf.newPdf() : undefined;
    for (const [i, ref] of refs.entries()) {
      const l = loaded[ref.file]!;
      if (l.type === 'pdf') {
        await pdf!.copyPdfPage(doc!, l.pdf.doc, ref.page, ref.rotate);
      } else {
        const scanned = scans.get(scanKey(ref));
        const kept = attempt === 0 && !scanned?.flat ? compliantJpeg(l) : undefined;
        const info = l.raster.pages[ref.page]!;
        let picture: ImagePage;
        if (scanned?.flat && scanned.bw && !doc) {
          // One bit per pixel, deflated: sharper and several times smaller than a JPEG of it.
          const step = Math.min(Math.max(0, attempt - 1), PHOTO_LADDER.length - 1);
          const { encodeFlatBilevel } = await import('./scan/page');
          reduced ||= step > 0;
          picture = { kind: 'bilevel', rotate: 0, ...(await encodeFlatBilevel(scanned, ref.rotate, PHOTO_LADDER[step]!.dpi)) };
        } else if (scanned?.flat) {
          const step = Math.min(Math.max(0, attempt - 1), PHOTO_LADDER.length - 1);
          const key = `${ref.file}/${ref.page}/${ref.rotate}/${step}/flat`;
          let page = encoded.get(key);
          if (!page) {
            const { encodeFlat } = await import('./scan/page');
            const level = PHOTO_LADDER[step]!;
            page = await encodeFlat(scanned, ref.rotate, level.dpi, level.quality, level.optimise);
            encoded.set(key, page);
          }
          reduced ||= step > 0;
          picture = pictureOf(page.bytes, 0);
        } else if (info.bilevel && !doc) {
          const ladder = ladderFor(info);
          const step = Math.min(Math.max(0, attempt - 1), ladder.length - 1);
          reduced ||= step > 0;
          picture = { kind: 'bilevel', rotate: 0, ...(await encodeBilevelPage(l.raster, ref.page, ref.rotate, ladder[step]!)) };
        } else if (kept) {
          // A picture kept byte for byte is turned by its page, not by re-encoding it.
          picture = pictureOf(kept, ref.rotate);
        } else {
          const ladder = ladderFor(l.raster.pages[ref.page]!);
          const step = Math.min(Math.max(0, attempt - 1), ladder.length - 1);
          const key = `${ref.file}/${ref.page}/${ref.rotate}/${step}`;
          let page = encoded.get(key);
          if (!page) {
            page = await encodePage(l.raster, ref.page, ref.rotate, ladder[step]!);
            encoded.set(key, page);
          }
          reduced ||= step > 0;
          picture = pictureOf(page.bytes, 0);
        }
        if (pdf && doc && picture.kind === 'jpeg') await pdf.addJpegPage(doc, picture.jpeg, picture.rotate);
        else pictures.push(picture);
      }
      if (attempt === 0) onProgress?.(i + 1, refs.length + 1);
    }
    let recompressed = 0;
    let bytes: Uint8Array;
    if (pdf && doc) {
      await pdf.sanitise(doc);
      if (attempt > 0) recompressed = await pdf.recompressImages(doc, PHOTO_LADDER[attempt - 1]!);
      bytes = await pdf.savePdf(doc);
    } else {
      bytes = writeImagePdf(pictures);
    }
    if (bytes.length <= maxBytes) {
      onProgress?.(refs.length + 1, refs.length + 1);
      const activeContentRemoved = refs.some((ref) => {
        const l = loaded[ref.file]!;
        // A static form's XFA packet goes with the form: that is said by `formFlattened`.
        return l.type === 'pdf' && l.pdf.activeContent.some((reason) => reason !== 'XFA' || l.pdf.form !== 'fields');
      });
      const facts: Facts = {
        output: 'pdf',
        bytes: bytes.length,
        pages: refs.length,
        merged: loaded.length > 1 || !anyPdf,
        fromPictures: refs.some((ref) => loaded[ref.file]!.type === 'raster'),
        fromPdfs: anyPdf,
        activeContentRemoved,
        formFlattened: forms.length > 0,
        imagesRecompressed: recompressed > 0,
        reduced,
        pagesEdited: anyPdf && !whole && loaded.length === 1,
        repaired: whole && only.type === 'pdf' && !only.pdf.wellFormed,
        flattened: [...scans.values()].some((scanned) => scanned.flat !== undefined && scanned.corners !== null),
        blackAndWhite: [...scans.values()].some((scanned) => scanned.bw === true),
      };
      return { bytes, mediaType: 'application/pdf', pages: refs.length, summary: summarise(facts), filename };
    }
  }
  throw tooLarge(maxBytes);
}

export async function normalise(request: NormaliseRequest, onProgress?: ProgressListener): Promise<NormalisedDocument> {
  if (!request || !(Number.isFinite(request.maxBytes) && request.maxBytes > 0)) throw new AppError('validation_failed');
  if (request.to !== undefined && !['pdf', 'jpeg', 'auto'].includes(request.to)) throw new AppError('validation_failed');
  if (request.pages !== undefined && !Array.isArray(request.pages)) throw new AppError('validation_failed');
  if (request.scan !== undefined && request.scan !== 'auto' && request.scan !== 'off') throw new AppError('validation_failed');
  if (request.corners !== undefined && !Array.isArray(request.corners)) throw new AppError('validation_failed');
  if (request.bw !== undefined && typeof request.bw !== 'boolean') throw new AppError('validation_failed');
  const loaded = await loadAll(request.files);
  const refs = selectPages(loaded, request);
  const scans = await scanPages(loaded, refs, request.scan ?? 'auto');
  const built = await build(loaded, refs, scans, request, onProgress);
  return { ...built, report: await reportOf(refs, scans, request.thumbnails === true) };
}

async function thumbnailOfJpeg(jpeg: Uint8Array): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(jpeg)
    .resize({ width: THUMBNAIL_LONG_SIDE, height: THUMBNAIL_LONG_SIDE, fit: 'inside' })
    .jpeg({ quality: 70 })
    .toBuffer({ resolveWithObject: true });
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** The corner editor's picture: the upright photo, larger than its thumbnail. */
export async function picture(request: PictureRequest): Promise<PagePicture> {
  if (!request || !Number.isInteger(request.page) || request.page < 0 || !(Number.isInteger(request.longSide) && request.longSide > 0 && request.longSide <= 4096))
    throw new AppError('validation_failed');
  const [l] = await loadAll([request.file]);
  if (l!.type !== 'raster' || request.page >= l!.raster.pages.length) throw new AppError('validation_failed');
  const drawn = await thumbnailOf(l!.raster, request.page, request.longSide);
  return { picture: drawn.bytes, width: drawn.width, height: drawn.height };
}

async function build(loaded: Loaded[], refs: Ref[], scans: Scans, request: NormaliseRequest, onProgress?: ProgressListener): Promise<Built> {
  const to = request.to ?? 'auto';
  const single = refs.length === 1 ? loaded[refs[0]!.file]! : undefined;
  if (to === 'jpeg' && single?.type === 'pdf') return pdfPageToJpeg(single, refs[0]!, request.maxBytes, onProgress);
  if (to === 'jpeg' && single?.type !== 'raster') throw new AppError('jpeg_not_possible');
  if (single?.type === 'raster') {
    // A black-and-white TIFF comes from a scanner or a fax: a document page, not a photo,
    // which a PDF keeps sharp.
    // A photo made black and white likewise.
    const scan = (single.kind === 'tiff' && single.raster.pages[refs[0]!.page]!.bilevel) || scans.get(scanKey(refs[0]!))?.bw === true;
    if (to === 'jpeg' || (to === 'auto' && !scan)) return toJpeg(single, refs[0]!, request.maxBytes, scans, onProgress);
  }
  return toPdf(loaded, refs, request.maxBytes, scans, onProgress);
}
