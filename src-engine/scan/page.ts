/**
 * One photographed page made a scanned page: its corners found (or given by the person),
 * flattened to a rectangle of the document's true shape, its light evened out, and checked.
 */
import type { Corners, PageCheck } from '../../src-shared/documents';
import { SCAN_CHECKS, type ScanCheckCode } from '../../src-shared/errors';
import type { Rotation } from '../encode';
import { finish, packBits, shrinkThenTurn, type BilevelPage } from '../encode';
import type { RasterSource } from '../raster';
import { loadSharp } from '../sharp';
import { measure, type PageMeasures } from './checks';
import { detectCorners, loadDetector, MODEL_SIZE } from './detect';
import { homography, isConvex, rectangle, warp, type Point, type Quad, type RawImage } from './homography';
import { binarise } from './binarise';
import { paperAtFrame } from './cutoff';
import { gainOf, paperLevels } from './light';
import { prepareWarp, warpShared } from './warp-threads';
import { snapShape, type Shape } from './shape';

export type ScanCheck = PageCheck;

export interface ScanRequest {
  scan: 'auto' | 'off';
  /** Chosen by the person, in pixels of the upright photo. */
  corners?: Quad;
  /** A text page sent in black and white (the whole photo when no document is used). */
  bw?: boolean;
}

export interface ScannedPage {
  /** In pixels of the upright photo; null when none was looked for or found. */
  corners: Corners | null;
  checks: ScanCheck[];
  /** The flattened page, when corners were used (or black and white was asked). */
  flat?: RawImage;
  /** `flat` is black and white: one channel, 0 or 255. */
  bw?: boolean;
  shape?: Shape;
  measures?: PageMeasures;
}

/**
 * The photo is read whole up to WHOLE_LONG_SIDE (a 12 MP phone photo: no resampling, which
 * costs more than the decode); a larger one is shrunk to WORK_LONG_SIDE while decoding
 * (JPEG's 1/2, 1/4, 1/8 first), enough for an A4 page at 212 dpi filling 80 % of it, and
 * what keeps a 200 MP HEIC under 300 MB.
 */
const WHOLE_LONG_SIDE = 4096;
const WORK_LONG_SIDE = 3200;
/** The small flat page the checks measure and the paper levels are read on. */
const PREVIEW_LONG_SIDE = 1000;
/** Below this score the network says there is no document in the picture (see bench/scan.mjs). */
export const DOCUMENT_SCORE = 0.5;
/** A quadrilateral this close to the picture's own corners (share of the side): already flat. */
const FLAT_MARGIN = 0.02;
/**
 * A corner this close to an edge (share of the side) is taken as cut by the frame: the
 * network puts a corner it cannot see where the page's edges meet the frame, 1 to 1.5 % in
 * (tuning set); clean photos of the set keep their corners 2 % or more inside.
 */
const EDGE_MARGIN = 0.02;
/**
 * A photo this dark on average (0-255, the network's picture) where no document was found:
 * too_dark as well. Tuning seeds 1-20: the darkened photos average 18 to 45, the clean ones
 * 86 or more, photos of an empty table 44 to 170 (the one under 55, a dark empty table, is
 * told it is too dark as well).
 */
const DARK_PHOTO = 55;
/**
 * The paper runs on past the outline to this share of the photo's edge: cut (cutoff.ts).
 * Tuning seeds 1-60: 59 of 60 clean photos at 0 (the 60th, a card on a tablecloth of its
 * colour, 0.065); the cut photos it finds at 0.011 or more.
 */
const CUT_PAPER_RUN = 0.008;

function check(code: ScanCheckCode): ScanCheck {
  return { code, message: SCAN_CHECKS[code] };
}

function rawOf({ data, info }: { data: Buffer; info: { width: number; height: number; channels: number } }): RawImage {
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels };
}

/** The upright photo, no larger than `longSide`; `scale`: its pixels per pixel of the photo. */
async function readUpright(source: RasterSource, index: number, longSide: number): Promise<{ image: RawImage; scale: number }> {
  const info = source.pages[index]!;
  const scale = Math.min(1, longSide / Math.max(info.width, info.height));
  const box = { width: Math.max(1, Math.round(info.width * scale)), height: Math.max(1, Math.round(info.height * scale)) };
  const pipeline = finish(shrinkThenTurn(await source.open(index), info, 0, box), { ...info, grey: false }).removeAlpha();
  const image = rawOf(await pipeline.raw().toBuffer({ resolveWithObject: true }));
  return { image, scale: image.width / info.width };
}

/** Pixels around the page's outline read with it (the bilinear neighbour, rounding). */
const WINDOW_MARGIN = 4;
/** A window this short is decoded in one piece. */
const MIN_HALF_ROWS = 128;

/**
 * Whether only the page is read from the photo, once its outline is known: libvips skips what
 * lies outside an extract of a JPEG at a fraction of its cost (the bench's 12 MP photo: whole
 * 84 ms, its bottom half 45 ms, the page's columns 47 ms). Only for a JPEG stored upright and
 * read at its full size: a turned one must be decoded whole to be turned, a large one is
 * shrunk while it is decoded.
 */
function readsWindow(source: RasterSource, index: number, measureOnly: boolean): boolean {
  const info = source.pages[index]!;
  return !measureOnly && source.kind === 'jpeg' && info.orientation === 1 && workLongSide(false, info) === Math.max(info.width, info.height);
}

/** The part of the photo inside `quad` (its pixels), and a margin: a window of the photo (`RawImage.window`). */
export async function readWindow(source: RasterSource, index: number, quad: Quad): Promise<RawImage> {
  const info = source.pages[index]!;
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const left = Math.max(0, Math.min(info.width - 1, Math.floor(Math.min(...xs)) - WINDOW_MARGIN));
  const top = Math.max(0, Math.min(info.height - 1, Math.floor(Math.min(...ys)) - WINDOW_MARGIN));
  const right = Math.max(left + 1, Math.min(info.width, Math.ceil(Math.max(...xs)) + WINDOW_MARGIN));
  const bottom = Math.max(top + 1, Math.min(info.height, Math.ceil(Math.max(...ys)) + WINDOW_MARGIN));
  const width = right - left;
  const band = async (from: number, to: number) => {
    const pipeline = finish((await source.open(index)).extract({ left, top: from, width, height: to - from }), { ...info, grey: false }).removeAlpha();
    return rawOf(await pipeline.raw().toBuffer({ resolveWithObject: true }));
  };
  const window = { left, top, photoWidth: info.width, photoHeight: info.height };
  if (bottom - top < 2 * MIN_HALF_ROWS) return { ...(await band(top, bottom)), window };
  // Its two halves decoded side by side, on two of libvips' threads: a JPEG is decoded on one
  // thread, and the lower half skips the upper one's rows at little cost (the bench's page:
  // 45-53 ms whole, 32-36 ms in halves, the copy into one picture included).
  const middle = top + Math.floor((bottom - top) / 2);
  const [upper, lower] = await Promise.all([band(top, middle), band(middle, bottom)]);
  const data = new Uint8Array(upper.data.length + lower.data.length);
  data.set(upper.data);
  data.set(lower.data, upper.data.length);
  return { data, width, height: bottom - top, channels: upper.channels, window };
}

/** What the network reads: the upright photo stretched to 224×224, decoded small from the file. */
async function modelInput(source: RasterSource, index: number): Promise<Uint8Array> {
  const info = source.pages[index]!;
  const pipeline = shrinkThenTurn(await source.open(index), info, 0, { width: MODEL_SIZE, height: MODEL_SIZE }, true, 'fill');
  const small = await finish(pipeline, { ...info, grey: false }).removeAlpha().raw().toBuffer();
  return new Uint8Array(small.buffer, small.byteOffset, small.byteLength);
}

/**
 * A scan or a page already cropped: its edges are paper, bright and even all round. A photo
 * of a document has the table around it. (The network, trained on photos, would outline
 * the text block of such a page.) Measured on the 224×224 picture: the outer 4 pixels.
 */
export const PAPER_EDGE = { brightness: 190, spread: 40 } as const;

function edgesArePaper(rgb: Uint8Array): boolean {
  const values: number[] = [];
  for (let y = 0; y < MODEL_SIZE; y++) {
    for (let x = 0; x < MODEL_SIZE; x++) {
      if (x >= 4 && y >= 4 && x < MODEL_SIZE - 4 && y < MODEL_SIZE - 4) continue;
      const i = (y * MODEL_SIZE + x) * 3;
      values.push(rgb[i]! * 0.299 + rgb[i + 1]! * 0.587 + rgb[i + 2]! * 0.114);
    }
  }
  values.sort((a, b) => a - b);
  const low = values[Math.floor(values.length * 0.05)]!;
  const high = values[Math.floor(values.length * 0.95)]!;
  return low >= PAPER_EDGE.brightness && high - low <= PAPER_EDGE.spread;
}

function meanBrightness(rgb: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < rgb.length; i += 3) sum += rgb[i]! * 0.299 + rgb[i + 1]! * 0.587 + rgb[i + 2]! * 0.114;
  return sum / (rgb.length / 3);
}

function nearFrame(q: Quad, width: number, height: number, margin: number): boolean[] {
  return q.map(([x, y]) => x <= margin * width || y <= margin * height || x >= (1 - margin) * width || y >= (1 - margin) * height);
}

function isWholeFrame(q: Quad, width: number, height: number): boolean {
  const frame = rectangle(width, height);
  return q.every(([x, y], i) => Math.abs(x - frame[i]![0]) <= FLAT_MARGIN * width && Math.abs(y - frame[i]![1]) <= FLAT_MARGIN * height);
}

function scaled(q: Quad, s: number): Quad {
  return q.map(([x, y]) => [x * s, y * s] as Point) as unknown as Quad;
}

function rounded(q: Quad): Corners {
  const r = (p: Point): [number, number] => [Math.round(p[0]), Math.round(p[1])];
  return [r(q[0]), r(q[1]), r(q[2]), r(q[3])];
}

/** The long side of the photo read for the flat page (only the checks: a preview's worth). */
function workLongSide(measureOnly: boolean, photo: { width: number; height: number }): number {
  const long = Math.max(photo.width, photo.height);
  return measureOnly ? PREVIEW_LONG_SIDE * 2 : long <= WHOLE_LONG_SIDE ? long : WORK_LONG_SIDE;
}

/** What the network said of the photo, before the photo itself is decoded. */
type Found = { checks: ScanCheck[]; corners?: Quad; paperAtFrame?: number };

/**
 * The network's outline (0..1 of the picture's sides), with the checks found on the way; no
 * corners: the photo is kept whole (a scan, no document).
 */
async function look(input: Uint8Array, detector: Promise<unknown> | undefined): Promise<Found> {
  if (edgesArePaper(input)) return { checks: [] };
  await detector;
  const found = await detectCorners(input);
  if (found.score < DOCUMENT_SCORE) {
    // Darkness hides the page from the network too: then the fix to give is the light.
    const dark = meanBrightness(input) < DARK_PHOTO;
    return { checks: [check('no_document_found'), ...(dark ? [check('too_dark')] : [])] };
  }
  const paper = paperAtFrame(input, MODEL_SIZE, found.corners.map(([x, y]) => [x * MODEL_SIZE, y * MODEL_SIZE] as Point) as unknown as Quad);
  return { checks: [], corners: found.corners, paperAtFrame: paper };
}

/**
 * The document's outline in `image`, with the checks found on the way; no quad: the photo
 * is kept whole (nothing looked for, a scan, no document, an outline on the frame).
 */
function outline(request: ScanRequest, image: { width: number; height: number }, scale: number, found: Found | undefined): { quad?: Quad; checks: ScanCheck[]; paperAtFrame?: number } {
  if (request.corners) {
    const quad = scaled(request.corners, scale);
    return isConvex(quad) ? { quad, checks: [] } : { checks: [] };
  }
  if (!found?.corners) return { checks: found?.checks ?? [] };
  const quad = found.corners.map(([x, y]) => [x * image.width, y * image.height] as Point) as unknown as Quad;
  // A scan, a screenshot or a photo already cropped to the page: kept as it is.
  if (isWholeFrame(quad, image.width, image.height) || !isConvex(quad)) return { checks: [] };
  const edges = nearFrame(quad, image.width, image.height, EDGE_MARGIN);
  const paper = found.paperAtFrame!;
  return { quad, checks: edges.some(Boolean) || paper >= CUT_PAPER_RUN ? [check('cut_off')] : [], paperAtFrame: paper };
}

/**
 * Finds, flattens and checks one page; `scan: 'off'` leaves it as it is (unless black and
 * white is asked: then the whole photo is evened and made black and white). `measureOnly`
 * (previews): corners and checks only, the photo read small and no full page made.
 */
export async function scanPage(source: RasterSource, index: number, request: ScanRequest, options: { measureOnly?: boolean } = {}): Promise<ScannedPage> {
  const bw = request.bw === true;
  if (request.scan === 'off' && !request.corners && !bw) return { corners: null, checks: [] };
  const info = source.pages[index]!;
  if (info.bilevel) return { corners: null, checks: [] };
  const measureOnly = options.measureOnly === true;
  const looking = !request.corners && request.scan === 'auto';
  // Everything that does not depend on the corners starts at once: both decodes run on
  // libvips' threads while this thread loads the network. HEIC and BMP are decoded on this
  // thread, so nothing is gained there, and the network loaded during a 200 MP HEIC's decode
  // raised its peak memory by about 20 MB (to 303 MB): it is loaded after.
  const early = source.kind !== 'heic' && source.kind !== 'bmp';
  // A JPEG read at its size is read only where the page is, after the network has found it;
  // anything else is read whole at once, while the network looks.
  const windowed = readsWindow(source, index, measureOnly);
  const work = windowed ? undefined : readUpright(source, index, workLongSide(measureOnly, info));
  const network = looking ? modelInput(source, index) : undefined;
  let detector = looking && early ? loadDetector() : undefined;
  // The network reads its small picture while the photo is still being decoded whole (a
  // failure of that decode is awaited below, not left unhandled meanwhile).
  work?.catch(() => undefined);
  const input = await network;
  if (input && !early) {
    await work;
    detector = loadDetector();
  }
  const seen = input ? await look(input, detector) : undefined;
  // `photo`: the picture the outline is in; `image`: the pixels read of it (a window, or whole).
  let photo: { width: number; height: number };
  let image: RawImage;
  let scale: number;
  let found: ReturnType<typeof outline>;
  if (windowed) {
    photo = { width: info.width, height: info.height };
    scale = 1;
    found = outline(request, photo, scale, seen);
    if (!found.quad && !bw) return { corners: null, checks: found.checks };
    // No outline but black and white asked: the whole photo is made black and white.
    image = found.quad ? await readWindow(source, index, found.quad) : (await readUpright(source, index, workLongSide(false, info))).image;
  } else {
    ({ image, scale } = await work!);
    photo = image;
    found = outline(request, photo, scale, seen);
  }
  if (!found.quad && (!bw || measureOnly)) return { corners: null, checks: found.checks };
  const whole = !found.quad;
  const quad = found.quad ?? rectangle(photo.width, photo.height);
  // A photo kept whole keeps its own proportions.
  const shape = snapShape(quad, photo, { snap: !whole });
  const size = shape.pixels(quad, 1 / scale);
  // The checks on a small flat page (all a preview needs); for the page itself, its light is
  // evened as it is written (not for cards in colour: their colours are kept), from paper levels
  // read in the photo, so that the helper thread starts on the full page at once while this
  // thread measures the small one.
  const k = Math.min(1, PREVIEW_LONG_SIDE / Math.max(size.width, size.height));
  const small = { width: Math.max(8, Math.round(size.width * k)), height: Math.max(8, Math.round(size.height * k)) };
  const measured = (): { checks: ScanCheck[]; measures: PageMeasures } => {
    const preview = warp(image, homography(rectangle(small.width, small.height), quad), small.width, small.height);
    const measures = { ...measure(preview, shape.kind), ...(found.paperAtFrame !== undefined ? { paperAtFrame: found.paperAtFrame } : {}) };
    const all = [...found.checks];
    if (!whole) {
      if (shape.tooSmall(quad, 1 / scale)) all.push(check('too_small'));
      for (const code of measures.warnings) all.push(check(code));
    }
    return { checks: all, measures };
  };
  const corners = whole ? null : rounded(scaled(quad, 1 / scale));
  if (measureOnly) return { corners, shape, ...measured() };
  // The second thread boots while this one reads the paper levels.
  prepareWarp(size.width, size.height, image.channels);
  const toPage = homography(rectangle(size.width, size.height), quad);
  const gain = shape.kind === 'card' && !bw ? undefined : gainOf(paperLevels(image, toPage, size), size.width);
  const { page: flat, meanwhile } = await warpShared(image, toPage, size.width, size.height, gain, measured);
  const { checks, measures } = meanwhile;
  if (bw) return { corners, checks, flat: await binarise(flat), bw, shape, measures };
  return { corners, checks, flat, shape, measures };
}

/** The flattened page as a JPEG at `dpi` of its real size, turned by the person's rotation. */
export async function encodeFlat(page: ScannedPage, rotate: Rotation, dpi: number, quality: number, optimise = false): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  const sharp = await loadSharp();
  const flat = page.flat!;
  const target = page.shape!.atDpi(flat, dpi);
  const pipeline = sharp(flat.data, { raw: { width: flat.width, height: flat.height, channels: flat.channels as 1 | 3 } }).resize({
    width: target.width,
    height: target.height,
    fit: 'fill',
  });
  if (rotate) pipeline.rotate(rotate);
  const { data, info } = await pipeline
    .jpeg({ quality, mozjpeg: false, chromaSubsampling: '4:2:0', optimiseCoding: optimise })
    .toBuffer({ resolveWithObject: true });
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** A black-and-white flattened page as one bit per pixel at `dpi`, turned by the person's rotation. */
export async function encodeFlatBilevel(page: ScannedPage, rotate: Rotation, dpi: number): Promise<BilevelPage> {
  const sharp = await loadSharp();
  const flat = page.flat!;
  const target = page.shape!.atDpi(flat, dpi);
  const pipeline = sharp(flat.data, { raw: { width: flat.width, height: flat.height, channels: flat.channels as 1 | 3 } });
  if (target.width !== flat.width || target.height !== flat.height) pipeline.resize({ width: target.width, height: target.height, fit: 'fill' });
  if (rotate) pipeline.rotate(rotate);
  const raw = await pipeline.toColourspace('b-w').threshold(128).raw().toBuffer({ resolveWithObject: true });
  return packBits(raw.data, raw.info);
}
