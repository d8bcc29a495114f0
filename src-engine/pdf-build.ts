/**
 * Building the output PDF: image pages fitted to A4, pages of PDFs copied as they are into a
 * clean document (which leaves document-level JavaScript, attachments and forms behind),
 * then every copied object cleared of what could still act.
 */
import type { PDFDocument, PDFObject, PDFPage } from 'pdf-lib';
import { inflateSync } from 'node:zlib';
import { ACTIVE_ACTIONS, ACTIVE_ANNOTATIONS, ACTIVE_KEYS } from '../src-formats';
import { a4Placement } from './pdf-images';
import { a4Box, type Level, type Rotation } from './encode';
import { loadPdfLib, type PdfLib } from './pdf-lib';
import { loadSharp } from './sharp';

export async function newPdf(): Promise<PDFDocument> {
  const { PDFDocument } = await loadPdfLib();
  const doc = await PDFDocument.create({ updateMetadata: false });
  // Producer and dates would be the only metadata: the file says nothing about its maker.
  return doc;
}

/** An A4 page (portrait or landscape like the picture) with the JPEG fitted and centred. */
export async function addJpegPage(doc: PDFDocument, jpeg: Uint8Array, rotate: Rotation): Promise<PDFPage> {
  const { degrees } = await loadPdfLib();
  const image = await doc.embedJpg(jpeg);
  const at = a4Placement(image.width, image.height);
  const page = doc.addPage([at.pageWidth, at.pageHeight]);
  page.drawImage(image, { x: at.x, y: at.y, width: at.w, height: at.h });
  // A picture kept byte for byte is turned by the page, not by re-encoding it.
  if (rotate) page.setRotation(degrees(rotate));
  return page;
}

export async function copyPdfPage(doc: PDFDocument, source: PDFDocument, index: number, rotate: Rotation): Promise<PDFPage> {
  const { degrees } = await loadPdfLib();
  const [page] = await doc.copyPages(source, [index]);
  doc.addPage(page!);
  if (rotate) page!.setRotation(degrees((page!.getRotation().angle + rotate) % 360));
  return page!;
}

/** Keys removed wherever they are: the policy's, and the action run on opening. */
const DROPPED_KEYS = [...ACTIVE_KEYS, 'OpenAction'];

/** Removes every action that runs something, every attachment and every multimedia annotation. */
export async function sanitise(doc: PDFDocument): Promise<void> {
  const lib = await loadPdfLib();
  const { PDFArray, PDFDict, PDFName, PDFRawStream } = lib;
  // Through references: `/S 7 0 R` where 7 is /Launch is a Launch action for readers.
  const nameOf = (value: PDFObject | undefined) => {
    const resolved = value === undefined ? undefined : doc.context.lookup(value);
    return resolved instanceof PDFName ? resolved.decodeText() : undefined;
  };
  const isDropped = (value: PDFObject | undefined): boolean => {
    const dict = doc.context.lookup(value);
    return dict instanceof PDFDict && ACTIVE_ANNOTATIONS.has(nameOf(dict.get(PDFName.of('Subtype'))) ?? '');
  };
  const clean = (object: PDFObject | undefined, depth: number): void => {
    if (depth > 32 || object === undefined) return;
    if (object instanceof PDFArray) {
      for (let i = object.size() - 1; i >= 0; i--) {
        if (isDropped(object.get(i))) object.remove(i);
        else clean(object.get(i), depth + 1);
      }
      return;
    }
    const dict = object instanceof PDFDict ? object : object instanceof PDFRawStream ? object.dict : undefined;
    if (!dict) return;
    for (const key of DROPPED_KEYS) dict.delete(PDFName.of(key));
    const action = doc.context.lookup(dict.get(PDFName.of('A')));
    if (action instanceof PDFDict && ACTIVE_ACTIONS.has(nameOf(action.get(PDFName.of('S'))) ?? '')) dict.delete(PDFName.of('A'));
    if (ACTIVE_ACTIONS.has(nameOf(dict.get(PDFName.of('S'))) ?? '')) {
      dict.delete(PDFName.of('S'));
      dict.delete(PDFName.of('Next'));
    }
    for (const [, value] of dict.entries()) if (value instanceof PDFDict || value instanceof PDFArray) clean(value, depth + 1);
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) clean(object, 0);
  dropUnreachable(lib, doc);
}

/**
 * Objects nothing points to any more (a dropped annotation, the attachment of a cleared file
 * specification) are shown by no reader but still written to the file, where a scan of every
 * object (the server's) finds them: they go too.
 */
function dropUnreachable(lib: PdfLib, doc: PDFDocument): void {
  const { PDFArray, PDFDict, PDFRef, PDFStream } = lib;
  const reached = new Set<string>();
  const pending: PDFObject[] = [doc.context.trailerInfo.Root, doc.context.trailerInfo.Info].filter((o) => o !== undefined);
  for (let object = pending.pop(); object !== undefined; object = pending.pop()) {
    if (object instanceof PDFRef) {
      if (reached.has(object.tag)) continue;
      reached.add(object.tag);
      const target = doc.context.lookup(object);
      if (target) pending.push(target);
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) pending.push(object.get(i));
    } else if (object instanceof PDFDict) {
      for (const [, value] of object.entries()) pending.push(value);
    } else if (object instanceof PDFStream) {
      pending.push(object.dict);
    }
  }
  for (const [ref] of doc.context.enumerateIndirectObjects()) if (!reached.has(ref.tag)) doc.context.delete(ref);
}

export async function savePdf(doc: PDFDocument): Promise<Uint8Array> {
  return doc.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
}

function imageFilter(lib: PdfLib, value: PDFObject | undefined): string | undefined {
  if (value instanceof lib.PDFName) return value.decodeText();
  if (value instanceof lib.PDFArray && value.size() === 1) return imageFilter(lib, value.get(0));
  return undefined;
}

/**
 * Re-encodes the big pictures of a PDF (scans) at `level`. Only what decodes for certain is
 * touched: 8-bit JPEG pictures and 8-bit deflated RGB or grey without predictor; masks,
 * palettes, 1-bit and CMYK with decode arrays are left alone. Returns how many changed.
 */
export async function recompressImages(doc: PDFDocument, level: Level): Promise<number> {
  const lib = await loadPdfLib();
  const sharp = await loadSharp();
  const { PDFArray, PDFName, PDFNumber, PDFRawStream, PDFBool } = lib;
  let changed = 0;
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const dict = object.dict;
    const get = (key: string) => doc.context.lookup(dict.get(PDFName.of(key)));
    if (!(get('Subtype') === PDFName.of('Image'))) continue;
    const mask = get('ImageMask');
    if ((mask instanceof PDFBool && mask.asBoolean()) || dict.has(PDFName.of('Decode'))) continue;
    const width = get('Width');
    const height = get('Height');
    const bpc = get('BitsPerComponent');
    if (!(width instanceof PDFNumber && height instanceof PDFNumber && bpc instanceof PDFNumber) || bpc.asNumber() !== 8) continue;
    const w = width.asNumber();
    const h = height.asNumber();
    if (w * h < 250_000 || object.contents.length < 50_000) continue;
    const filter = imageFilter(lib, dict.get(PDFName.of('Filter')));
    let input: ReturnType<typeof sharp>;
    try {
      if (filter === 'DCTDecode') {
        input = sharp(object.contents, { limitInputPixels: 268_402_689, failOn: 'error' });
      } else if (filter === 'FlateDecode' && !dict.has(PDFName.of('DecodeParms'))) {
        const space = get('ColorSpace');
        let channels: 1 | 3 | undefined;
        if (space === PDFName.of('DeviceRGB')) channels = 3;
        else if (space === PDFName.of('DeviceGray')) channels = 1;
        else if (space instanceof PDFArray && space.get(0) === PDFName.of('ICCBased')) {
          const profile = doc.context.lookup(space.get(1));
          const n = profile instanceof PDFRawStream ? profile.dict.get(PDFName.of('N')) : undefined;
          if (n instanceof PDFNumber && (n.asNumber() === 1 || n.asNumber() === 3)) channels = n.asNumber() as 1 | 3;
        }
        if (!channels) continue;
        const raw = inflateSync(object.contents, { maxOutputLength: w * h * channels + 1024 });
        if (raw.length < w * h * channels) continue;
        input = sharp(raw, { raw: { width: w, height: h, channels } });
      } else {
        continue;
      }
      const meta = await input.clone().metadata();
      const grey = meta.channels === 1;
      const box = a4Box({ width: w, height: h }, level.dpi);
      const { data, info } = await input
        .resize({ ...box, fit: 'inside', withoutEnlargement: true, fastShrinkOnLoad: true })
        .toColourspace(grey ? 'b-w' : 'srgb')
        .jpeg({ quality: level.quality, mozjpeg: false })
        .toBuffer({ resolveWithObject: true });
      if (data.length >= object.contents.length) continue;
      const replacement = doc.context.stream(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), {
        Type: 'XObject',
        Subtype: 'Image',
        Width: info.width,
        Height: info.height,
        ColorSpace: info.channels === 1 ? 'DeviceGray' : 'DeviceRGB',
        BitsPerComponent: 8,
        Filter: 'DCTDecode',
      });
      const smask = dict.get(PDFName.of('SMask'));
      if (smask) replacement.dict.set(PDFName.of('SMask'), smask);
      const interpolate = dict.get(PDFName.of('Interpolate'));
      if (interpolate) replacement.dict.set(PDFName.of('Interpolate'), interpolate);
      doc.context.assign(ref, replacement);
      changed += 1;
    } catch {
      // A picture that does not decode is left as it was: the page still shows what it showed.
      continue;
    }
  }
  return changed;
}
