/**
 * The document's true shape from its outline: A4, US letter or an ID-1 card (85.60 × 53.98
 * mm) when the outline's proportions are close to one of them, else the proportions seen.
 */
import { trueAspect } from './aspect';
import type { RawImage, Quad } from './homography';

const MM_PER_INCH = 25.4;
/** Long side / short side, and the long side in millimetres. */
const KNOWN = [
  { kind: 'a4', ratio: 297 / 210, longMm: 297, shortMm: 210 },
  { kind: 'letter', ratio: 279.4 / 215.9, longMm: 279.4, shortMm: 215.9 },
  { kind: 'card', ratio: 85.6 / 53.98, longMm: 85.6, shortMm: 53.98 },
] as const;
/**
 * Proportions seen in perspective are off by a few per cent (the sides are averaged, the
 * foreshortening is not undone): within 6 % the nearest known shape is taken.
 */
const SNAP_TOLERANCE = 0.06;
/** Pages flattened at this resolution (the top of the photo ladder); cards at 300 dpi. */
const PAGE_DPI = 212;
const CARD_DPI = 300;
/** Fewer pixels than this per inch of the real page in the photo: `too_small`. */
export const MIN_SOURCE_DPI = { page: 110, card: 160 } as const;

export type ShapeKind = 'a4' | 'letter' | 'card' | 'other';

export interface Shape {
  kind: ShapeKind;
  landscape: boolean;
  /** The flattened picture's size (pixels). */
  pixels(quad: Quad, toPhoto: number): { width: number; height: number };
  /** The size at `dpi` of the real document (cards never under 300 dpi). */
  atDpi(flat: RawImage, dpi: number): { width: number; height: number };
  tooSmall(quad: Quad, toPhoto: number): boolean;
}

function distance(a: readonly [number, number], b: readonly [number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Mean width and height of the outline. */
export function sidesOf(q: Quad): { width: number; height: number } {
  return { width: (distance(q[0], q[1]) + distance(q[3], q[2])) / 2, height: (distance(q[0], q[3]) + distance(q[1], q[2])) / 2 };
}

/**
 * `frame`: the photo the outline is in (its centre is taken as the camera's axis). `snap:
 * false` keeps the proportions seen (a photo kept whole).
 */
export function snapShape(quad: Quad, frame: { width: number; height: number }, options: { snap?: boolean } = {}): Shape {
  const seen = sidesOf(quad);
  const aspect = trueAspect(quad, frame) ?? seen.width / Math.max(1, seen.height);
  const landscape = aspect > 1;
  // The long side as seen (pixels available), the short one from the true proportions.
  const long = Math.max(seen.width, seen.height);
  const ratio = Math.max(aspect, 1 / aspect);
  const short = Math.max(1, long / ratio);
  const known = KNOWN.filter(() => options.snap !== false)
    .map((k) => ({ ...k, off: Math.abs(ratio / k.ratio - 1) }))
    .filter((k) => k.off <= SNAP_TOLERANCE)
    .sort((a, b) => a.off - b.off)[0];
  const orient = (l: number, s: number): { width: number; height: number } =>
    landscape ? { width: Math.max(1, Math.round(l)), height: Math.max(1, Math.round(s)) } : { width: Math.max(1, Math.round(s)), height: Math.max(1, Math.round(l)) };
  if (known) {
    const card = known.kind === 'card';
    const dpiFor = (dpi: number): number => (card ? Math.max(dpi, CARD_DPI) : dpi);
    const inches = (mm: number): number => mm / MM_PER_INCH;
    return {
      kind: known.kind,
      landscape,
      pixels: () => orient(inches(known.longMm) * dpiFor(PAGE_DPI), inches(known.shortMm) * dpiFor(PAGE_DPI)),
      atDpi: (_flat, dpi) => orient(inches(known.longMm) * dpiFor(dpi), inches(known.shortMm) * dpiFor(dpi)),
      tooSmall: (q, toPhoto) => (long * toPhoto) / inches(known.longMm) < (card ? MIN_SOURCE_DPI.card : MIN_SOURCE_DPI.page),
    };
  }
  // Unknown proportions: sized as seen, no larger than an A4 page at 212 dpi.
  const cap = Math.min(1, (KNOWN[0].longMm / MM_PER_INCH) * PAGE_DPI / long);
  return {
    kind: 'other',
    landscape,
    pixels: (_q, toPhoto) => orient(long * Math.min(cap, toPhoto), short * Math.min(cap, toPhoto)),
    atDpi: (flat, dpi) => ({ width: Math.max(1, Math.round((flat.width * Math.min(dpi, PAGE_DPI)) / PAGE_DPI)), height: Math.max(1, Math.round((flat.height * Math.min(dpi, PAGE_DPI)) / PAGE_DPI)) }),
    tooSmall: (_q, toPhoto) => (long * toPhoto) / (KNOWN[0].longMm / MM_PER_INCH) < MIN_SOURCE_DPI.page,
  };
}
