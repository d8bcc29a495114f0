/**
 * One photographed page made a scanned page: its corners found (or given by the person),
 * flattened to a rectangle of the document's true shape, its light evened out, and checked.
 */
import type { Corners, PageCheck } from '../../src-shared/documents';
import { SCAN_CHECKS, type ScanCheckCode } from '../../src-shared/errors';
import type { Rotation } from '../encode';
import { finish, shrinkThenTurn } from '../encode';
import type { RasterSource } from '../raster';
import { loadSharp } from '../sharp';
import { measure, type PageMeasures } from './checks';
import { detectCorners, MODEL_SIZE } from './detect';
import { homography, isConvex, rectangle, warp, type Point, type Quad, type RawImage } from './homography';
import { evenLight } from './light';
import { snapShape, type Shape } from './shape';

export type ScanCheck = PageCheck;

export interface ScanRequest {
  scan: 'auto' | 'off';
  /** Chosen by the person, in pixels of the upright photo. */
  corners?: Quad;
}

export interface ScannedPage {
  /** In pixels of the upright photo; null when none was looked for or found. */
  corners: Corners | null;
  checks: ScanCheck[];
  /** The flattened page, when corners were used. */
  flat?: RawImage;
  shape?: Shape;
  measures?: PageMeasures;
}

/** The photo is read at most this size: enough for a 212 dpi A4 page filling 80 % of it. */
const WORK_LONG_SIDE = 3200;
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

function check(code: ScanCheckCode): ScanCheck {
  return { code, message: SCAN_CHECKS[code] };
}

async function readUpright(source: RasterSource, index: number): Promise<{ image: RawImage; scale: number }> {
  const info = source.pages[index]!;
  const scale = Math.min(1, WORK_LONG_SIDE / Math.max(info.width, info.height));
  const box = { width: Math.max(1, Math.round(info.width * scale)), height: Math.max(1, Math.round(info.height * scale)) };
  const pipeline = finish(shrinkThenTurn(await source.open(index), info, 0, box), { ...info, grey: false }).removeAlpha();
  const { data, info: out } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const image = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: out.width, height: out.height, channels: out.channels };
  return { image, scale: out.width / info.width };
}

async function modelInput(image: RawImage): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const { width, height, channels } = image;
  const small = await sharp(image.data, { raw: { width, height, channels: channels as 3 } })
    .resize(MODEL_SIZE, MODEL_SIZE, { fit: 'fill' })
    .raw()
    .toBuffer();
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

/** Finds, flattens and checks one page; `scan: 'off'` leaves it as it is. */
export async function scanPage(source: RasterSource, index: number, request: ScanRequest): Promise<ScannedPage> {
  if (request.scan === 'off' && !request.corners) return { corners: null, checks: [] };
  const info = source.pages[index]!;
  if (info.bilevel) return { corners: null, checks: [] };
  const { image, scale } = await readUpright(source, index);
  let quad: Quad;
  const checks: ScanCheck[] = [];
  if (request.corners) {
    quad = scaled(request.corners, scale);
    if (!isConvex(quad)) return { corners: null, checks: [] };
  } else {
    const input = await modelInput(image);
    if (edgesArePaper(input)) return { corners: null, checks: [] };
    const found = await detectCorners(input);
    if (found.score < DOCUMENT_SCORE) return { corners: null, checks: [check('no_document_found')] };
    quad = found.corners.map(([x, y]) => [x * image.width, y * image.height] as Point) as unknown as Quad;
    // A scan, a screenshot or a photo already cropped to the page: kept as it is.
    if (isWholeFrame(quad, image.width, image.height) || !isConvex(quad)) return { corners: null, checks: [] };
    const edges = nearFrame(quad, image.width, image.height, EDGE_MARGIN);
    if (edges.some(Boolean)) checks.push(check('cut_off'));
  }
  const shape = snapShape(quad, image);
  const size = shape.pixels(quad, 1 / scale);
  const flat = warp(image, homography(rectangle(size.width, size.height), quad), size.width, size.height);
  const measures = measure(flat, shape.kind);
  if (shape.tooSmall(quad, 1 / scale)) checks.push(check('too_small'));
  for (const code of measures.warnings) checks.push(check(code));
  const evened = shape.kind === 'card' ? flat : await evenLight(flat);
  return { corners: rounded(scaled(quad, 1 / scale)), checks, flat: evened, shape, measures };
}

/** The flattened page as a JPEG at `dpi` of its real size, turned by the person's rotation. */
export async function encodeFlat(page: ScannedPage, rotate: Rotation, dpi: number, quality: number, optimise = false): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  const sharp = await loadSharp();
  const flat = page.flat!;
  const target = page.shape!.atDpi(flat, dpi);
  const pipeline = sharp(flat.data, { raw: { width: flat.width, height: flat.height, channels: flat.channels as 3 } }).resize({
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
