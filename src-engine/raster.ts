/**
 * Every image kind opened the same way: page count, upright size, and a sharp pipeline per
 * page. sharp reads most kinds itself; HEIC (HEVC, which the prebuilt libvips cannot decode)
 * and BMP go through small decoders and reach sharp as raw pixels.
 */
import type { Metadata, Sharp, SharpOptions } from 'sharp';
import { AppError, ENGINE_DETAILS } from '../src-shared/errors';
import { MAX_BMP_PIXELS, MAX_HEIC_PIXELS, MAX_INPUT_PIXELS } from './limits';
import { loadSharp } from './sharp';
import type { InputKind } from './sniff';
import { isobmffIsWhole, readJpegHeader, readJpegLayout } from '../src-formats';

export interface PageInfo {
  /** Upright size (after EXIF orientation). */
  width: number;
  height: number;
  /** 1 = upright; other EXIF values need turning. */
  orientation: number;
  grey: boolean;
  /** One bit per pixel: a fax or a black-and-white scan. */
  bilevel: boolean;
  hasAlpha: boolean;
  /** 8-bit sRGB (or no profile, which readers take as sRGB), or grey. */
  srgbOrGrey: boolean;
  eightBit: boolean;
}

export interface RasterSource {
  kind: Exclude<InputKind, 'pdf'>;
  pages: PageInfo[];
  /**
   * A pipeline that reads page `index` as stored: `orientation` says how to turn it upright
   * (encode.ts does, after shrinking, which is cheaper than turning the full picture).
   */
  open(index: number): Promise<Sharp>;
}

function pixelsAllowed(width: number, height: number, limit: number): void {
  if (!(width > 0 && height > 0)) throw new AppError('file_corrupt');
  if (width * height > limit) throw new AppError('image_too_large');
}

function iccIsSrgb(icc: Uint8Array | undefined): boolean {
  if (!icc) return true;
  // The profile description of every common sRGB profile names it; P3, Adobe RGB and CMYK
  // profiles do not.
  const text = Buffer.from(icc.buffer, icc.byteOffset, icc.byteLength);
  return text.includes('sRGB') || text.includes('s\0R\0G\0B');
}

function pageInfo(meta: Metadata, width: number, height: number): PageInfo {
  const orientation = meta.orientation ?? 1;
  const swap = orientation >= 5 && orientation <= 8;
  const grey = meta.space === 'b-w' || meta.space === 'grey16' || meta.channels === 1 || (meta.channels === 2 && meta.hasAlpha === true);
  const eightBit = meta.depth === 'uchar' || meta.depth === 'char';
  return {
    width: swap ? height : width,
    height: swap ? width : height,
    orientation,
    grey,
    bilevel: meta.bitsPerSample === 1,
    hasAlpha: meta.hasAlpha === true,
    srgbOrGrey: grey ? meta.space !== 'cmyk' : (meta.space === 'srgb' && iccIsSrgb(meta.icc)),
    eightBit,
  };
}

function corrupt(error: unknown): never {
  if (error instanceof AppError) throw error;
  const text = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(text)) throw new AppError('image_too_large');
  throw new AppError('file_corrupt');
}

const READ: SharpOptions = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', sequentialRead: true };

async function sharpSource(kind: RasterSource['kind'], bytes: Uint8Array): Promise<RasterSource> {
  const sharp = await loadSharp();
  let first: Metadata;
  try {
    first = await sharp(bytes, READ).metadata();
  } catch (error) {
    corrupt(error);
  }
  if (kind === 'avif' && !isobmffIsWhole(bytes)) throw new AppError('file_corrupt');
  // Only TIFF pages are pages of a document; a GIF's frames are an animation: its first frame
  // is the picture.
  const count = kind === 'tiff' ? Math.max(1, first.pages ?? 1) : 1;
  const pages: PageInfo[] = [];
  for (let page = 0; page < count; page++) {
    let meta = first;
    if (page > 0) {
      try {
        meta = await sharp(bytes, { ...READ, page }).metadata();
      } catch (error) {
        corrupt(error);
      }
    }
    // Multi-page TIFF metadata reports the first page's size: ask each page for its own.
    pixelsAllowed(meta.width, meta.height, MAX_INPUT_PIXELS);
    pages.push(pageInfo(meta, meta.width, meta.height));
  }
  return {
    kind,
    pages,
    open: async (index) => sharp(bytes, { ...READ, page: index }),
  };
}

async function heicSource(bytes: Uint8Array): Promise<RasterSource> {
  if (!isobmffIsWhole(bytes)) throw new AppError('file_corrupt');
  const sharp = await loadSharp();
  const { default: heicDecode } = await import('heic-decode');
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    // libvips' libheif refuses very large photos (its security limits count grid tiles);
    // the decoder's header read still gives the size, enough to answer clearly.
    let images: HeicImages | undefined;
    try {
      images = await heicDecode.all({ buffer: bytes });
    } catch {
      throw new AppError('file_corrupt');
    }
    const first = images[0];
    images.dispose();
    if (!first) throw new AppError('file_corrupt');
    meta = { format: 'heif', width: first.width, height: first.height, channels: 3, space: 'srgb', depth: 'uchar', hasAlpha: false } as Metadata;
  }
  if (!(meta.width > 0 && meta.height > 0)) throw new AppError('file_corrupt');
  const megapixels = (meta.width * meta.height) / 1e6;
  if (meta.width * meta.height > MAX_HEIC_PIXELS) return largeHeicSource(bytes, megapixels);
  // libheif applies the HEIF transforms (irot/imir) while decoding, which is the picture's
  // true orientation; the EXIF tag repeats it and must not be applied a second time.
  const info: PageInfo = { ...pageInfo({ ...meta, orientation: 1 }, meta.width, meta.height), srgbOrGrey: false };
  let decoding: Promise<{ width: number; height: number; data: Uint8ClampedArray }> | undefined;
  const decodeOnce = async () => {
    let decoded: { width: number; height: number; data: Uint8ClampedArray } | undefined;
    let images: HeicImages;
    try {
      images = await heicDecode.all({ buffer: bytes });
    } catch {
      throw new AppError('file_corrupt');
    }
    try {
      const primary = images[meta.pagePrimary ?? 0] ?? images[0];
      if (!primary) throw new AppError('file_corrupt');
      decoded = await primary.decode();
    } catch (error) {
      corrupt(error);
    } finally {
      images.dispose();
    }
    return decoded;
  };
  // The scanner opens a photo twice at once (the network's small picture, the page's large
  // one): one decode for both, never two side by side.
  const decode = () => (decoding ??= decodeOnce());
  return {
    kind: 'heic',
    // libheif reports the size after its transforms; sharp's header read does too.
    pages: [{ ...info, width: meta.autoOrient?.width ?? meta.width, height: meta.autoOrient?.height ?? meta.height }],
    open: async () => {
      const image = await decode();
      return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
        raw: { width: image.width, height: image.height, channels: 4 },
      });
    },
  };
}

/**
 * A HEIC too large to decode whole: if it is a grid (phones make them so), decoded tile by
 * tile and shrunk on the way to what an A4 page at 300 dpi can use.
 */
async function largeHeicSource(bytes: Uint8Array, megapixels: number): Promise<RasterSource> {
  const { readGridLayout, decodeGridShrunk } = await import('./heic-grid');
  let layout: ReturnType<typeof readGridLayout>;
  try {
    layout = readGridLayout(bytes);
  } catch {
    throw new AppError('file_corrupt');
  }
  if (!layout || layout.width * layout.height > MAX_INPUT_PIXELS * 2)
    throw new AppError('image_too_large', ENGINE_DETAILS.imageTooLargeDecoded(megapixels));
  const quarterTurns = layout.transforms.reduce((n, t) => n + ('rotateCcw' in t ? t.rotateCcw : 0), 0);
  const sideways = quarterTurns % 2 === 1;
  const found = layout;
  let shrinking: ReturnType<typeof decodeGridShrunk> | undefined;
  const sharp = await loadSharp();
  return {
    kind: 'heic',
    pages: [
      {
        width: sideways ? found.height : found.width,
        height: sideways ? found.width : found.height,
        orientation: 1,
        grey: false,
        bilevel: false,
        hasAlpha: false,
        srgbOrGrey: false,
        eightBit: true,
      },
    ],
    open: async () => {
      // Opened twice at once by the scanner: one decode for both (the promise is kept).
      const shrunk = await (shrinking ??= decodeGridShrunk(bytes, found, GRID_LONG_SIDE));
      return sharp(shrunk.data, { raw: { width: shrunk.width, height: shrunk.height, channels: 3 } });
    },
  };
}

/** Long side a tiled HEIC is shrunk to while decoding: A4 at 350 dpi, more than any step needs. */
const GRID_LONG_SIDE = 4096;

type HeicImages = Awaited<ReturnType<typeof import('heic-decode').default.all>>;

function bmpHeaderSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 26) throw new AppError('file_corrupt');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint32(14, true);
  if (headerSize === 12) return { width: view.getUint16(18, true), height: view.getUint16(20, true) };
  return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
}

async function bmpSource(bytes: Uint8Array): Promise<RasterSource> {
  const size = bmpHeaderSize(bytes);
  pixelsAllowed(size.width, size.height, MAX_BMP_PIXELS);
  type FastBmp = typeof import('fast-bmp');
  const fastBmp = (await import('fast-bmp')) as Partial<FastBmp> & { default?: FastBmp };
  // Bundled from its CommonJS build, fast-bmp arrives as a default export only.
  const { decode } = (fastBmp.decode ? fastBmp : fastBmp.default) as FastBmp;
  let image: ReturnType<typeof decode>;
  try {
    image = decode(bytes);
  } catch {
    throw new AppError('file_corrupt');
  }
  const channels = image.channels as 1 | 2 | 3 | 4;
  const pixels = image.data as Uint8Array;
  if (![1, 3, 4].includes(channels) || !(pixels instanceof Uint8Array) || pixels.length < image.width * image.height * channels)
    throw new AppError('file_corrupt');
  const sharp = await loadSharp();
  const data = Buffer.from(pixels.buffer, pixels.byteOffset, image.width * image.height * channels);
  return {
    kind: 'bmp',
    pages: [
      {
        width: image.width,
        height: image.height,
        orientation: 1,
        grey: channels === 1,
        bilevel: image.bitsPerPixel === 1,
        hasAlpha: channels === 4,
        srgbOrGrey: false,
        eightBit: true,
      },
    ],
    open: async () => sharp(data, { raw: { width: image.width, height: image.height, channels } }),
  };
}

/**
 * A JPEG is described from its markers; sharp is loaded only if its pixels must change
 * (a compliant JPEG goes into a PDF byte for byte).
 */
async function jpegSource(bytes: Uint8Array): Promise<RasterSource> {
  const layout = readJpegLayout(bytes);
  const header = layout ? readJpegHeader(bytes, layout) : undefined;
  // A JPEG cut short still has a readable header: only the missing end marker tells.
  if (!layout || !header || !layout.complete) throw new AppError('file_corrupt');
  pixelsAllowed(header.width, header.height, MAX_INPUT_PIXELS);
  const swap = header.orientation >= 5;
  const grey = header.components === 1;
  const info: PageInfo = {
    width: swap ? header.height : header.width,
    height: swap ? header.width : header.height,
    orientation: header.orientation,
    grey,
    bilevel: false,
    hasAlpha: false,
    srgbOrGrey: grey || (header.components === 3 && iccIsSrgb(header.icc)),
    eightBit: header.precision === 8,
  };
  return {
    kind: 'jpeg',
    pages: [info],
    open: async () => (await loadSharp())(bytes, READ),
  };
}

export async function openRaster(kind: RasterSource['kind'], bytes: Uint8Array): Promise<RasterSource> {
  if (kind === 'jpeg') return jpegSource(bytes);
  if (kind === 'heic') return heicSource(bytes);
  if (kind === 'bmp') return bmpSource(bytes);
  return sharpSource(kind, bytes);
}
