/**
 * The corner editor's geometry, in pixels of the upright photo (as the engine's corners):
 * from the picture on screen to the photo and back, and the rules that keep the outline a
 * document's (four corners inside the photo, convex, in order). Pure functions, tested
 * without a browser.
 */
import type { Corners } from '../src-shared/documents';

export type Point = [number, number];
export interface Size {
  width: number;
  height: number;
}

/** Corner order of the engine (api-contract.md 5.1): top-left, top-right, bottom-right, bottom-left. */
export const CORNER_NAMES = ['Coin en haut à gauche', 'Coin en haut à droite', 'Coin en bas à droite', 'Coin en bas à gauche'] as const;

/**
 * A point of a picture of size `from` in a picture of size `to` showing the same photo whole
 * (the scaled preview and the photo): the edges map onto the edges, each axis on its own, as
 * the preview's rounded size makes the two scales differ slightly.
 */
export function scalePoint(point: readonly [number, number], from: Size, to: Size): Point {
  return [(point[0] * to.width) / from.width, (point[1] * to.height) / from.height];
}

export function scaleCorners(corners: Corners, from: Size, to: Size): Corners {
  return corners.map((p) => scalePoint(p, from, to)) as Corners;
}

/** The whole photo's corners: where the outline starts when no document was found. */
export function wholePhoto(photo: Size): Corners {
  return [
    [0, 0],
    [photo.width, 0],
    [photo.width, photo.height],
    [0, photo.height],
  ];
}

export function clampInside(point: readonly [number, number], photo: Size): Point {
  return [Math.min(Math.max(point[0], 0), photo.width), Math.min(Math.max(point[1], 0), photo.height)];
}

function cross(o: readonly number[], a: readonly number[], b: readonly number[]): number {
  return (a[0]! - o[0]!) * (b[1]! - o[1]!) - (a[1]! - o[1]!) * (b[0]! - o[0]!);
}

/** The smallest side a document may have, as a share of the photo's short side: below, no page is legible. */
export const MIN_SIDE_SHARE = 0.05;

/**
 * A document's outline: strictly convex and turning clockwise on screen (so top-left stays at
 * the top left: no corner crosses another), every corner inside the photo, no side shorter
 * than MIN_SIDE_SHARE of the photo.
 */
export function isValidQuad(corners: Corners, photo: Size): boolean {
  const inside = corners.every(([x, y]) => x >= 0 && y >= 0 && x <= photo.width && y <= photo.height);
  if (!inside) return false;
  // y grows downwards: clockwise on screen is a positive cross product at every corner.
  for (let i = 0; i < 4; i++) if (cross(corners[i]!, corners[(i + 1) % 4]!, corners[(i + 2) % 4]!) <= 0) return false;
  const minSide = MIN_SIDE_SHARE * Math.min(photo.width, photo.height);
  for (let i = 0; i < 4; i++) {
    const [a, b] = [corners[i]!, corners[(i + 1) % 4]!];
    if (Math.hypot(b[0] - a[0], b[1] - a[1]) < minSide) return false;
  }
  return true;
}

/**
 * One corner moved to `to` (kept inside the photo). A move that would fold or cross the
 * outline is refused: the corners stay as they were, so the handle stops at the last good place.
 */
export function moveCorner(corners: Corners, index: number, to: readonly [number, number], photo: Size): Corners {
  const next = corners.map((p, i) => (i === index ? clampInside(to, photo) : ([p[0], p[1]] as Point))) as Corners;
  return isValidQuad(next, photo) ? next : corners;
}

/** A quarter turn the person gave the page (clockwise), as the page list shows it. */
export type Turn = 0 | 90 | 180 | 270;

/** The photo's size on screen once turned. */
export function turnedSize(photo: Size, turn: Turn): Size {
  return turn === 90 || turn === 270 ? { width: photo.height, height: photo.width } : { width: photo.width, height: photo.height };
}

/** A point of the upright photo where it shows once the photo is turned (clockwise), in the turned photo's pixels. */
export function toTurned(point: readonly [number, number], photo: Size, turn: Turn): Point {
  const [x, y] = point;
  if (turn === 90) return [photo.height - y, x];
  if (turn === 180) return [photo.width - x, photo.height - y];
  if (turn === 270) return [y, photo.width - x];
  return [x, y];
}

/** The inverse of toTurned: a point seen on the turned photo, in pixels of the upright photo. */
export function fromTurned(point: readonly [number, number], photo: Size, turn: Turn): Point {
  const [u, v] = point;
  if (turn === 90) return [v, photo.height - u];
  if (turn === 180) return [photo.width - u, photo.height - v];
  if (turn === 270) return [photo.width - v, u];
  return [u, v];
}

/** The name a corner has on screen once turned: the engine's top-left is at the top right after a quarter turn. */
export function cornerName(index: number, turn: Turn): (typeof CORNER_NAMES)[number] {
  return CORNER_NAMES[(index + turn / 90) % 4]!;
}

/** How far an arrow key moves a corner: a few pixels of the photo (Shift: ten times more). */
export function keyStep(photo: Size, large: boolean): number {
  const small = Math.max(1, Math.round(Math.max(photo.width, photo.height) / 200));
  return large ? small * 10 : small;
}

const ARROWS: Record<string, Point> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** The corners after an arrow key on one handle (the arrow as seen on the turned photo); null when the key is not an arrow. */
export function nudge(corners: Corners, index: number, key: string, large: boolean, photo: Size, turn: Turn = 0): Corners | null {
  const direction = ARROWS[key];
  if (!direction) return null;
  const step = keyStep(photo, large);
  const [u, v] = toTurned(corners[index]!, photo, turn);
  return moveCorner(corners, index, fromTurned([u + direction[0] * step, v + direction[1] * step], photo, turn), photo);
}

function percent(value: number, total: number): string {
  const share = Math.round((value / total) * 1000) / 10;
  return `${share.toLocaleString('fr-FR')} %`;
}

/** Where a corner is, in words: "à 12,5 % depuis la gauche et à 8 % depuis le haut de la photo". */
export function describePosition(point: readonly [number, number], photo: Size): string {
  return `à ${percent(point[0], photo.width)} depuis la gauche et à ${percent(point[1], photo.height)} depuis le haut de la photo`;
}

export function sameCorners(a: Corners | null | undefined, b: Corners | null | undefined): boolean {
  if (!a || !b) return a === b;
  return a.every((p, i) => Math.abs(p[0] - b[i]![0]) < 0.5 && Math.abs(p[1] - b[i]![1]) < 0.5);
}

/** Whole pixels, as the engine reports them (a handle dragged lands between pixels). */
export function rounded(corners: Corners): Corners {
  return corners.map(([x, y]) => [Math.round(x), Math.round(y)]) as Corners;
}

/**
 * What the person's outline means for the engine (PageRef.corners): the detected one is the
 * engine's own choice (absent), the whole photo is null ("Garder la photo entière"), anything
 * else the corners themselves.
 */
export function choiceOf(corners: Corners, detected: Corners | null, photo: Size): Corners | null | undefined {
  if (detected && sameCorners(corners, detected)) return undefined;
  if (sameCorners(corners, wholePhoto(photo))) return null;
  return rounded(corners);
}
