import { describe, expect, it } from 'vitest';
import type { Corners } from '../../../src-shared/documents';
import {
  choiceOf,
  cornerName,
  describePosition,
  fromTurned,
  toTurned,
  turnedSize,
  isValidQuad,
  keyStep,
  moveCorner,
  nudge,
  scaleCorners,
  scalePoint,
  wholePhoto,
} from '../../../src-renderer/corner-geometry';

// A 12 MP phone photo shown as a 1600 px picture: 4032 × 3024 → 1600 × 1200.
const photo = { width: 4032, height: 3024 };
const preview = { width: 1600, height: 1200 };
const page: Corners = [
  [800, 400],
  [3200, 500],
  [3300, 2700],
  [700, 2600],
];

describe('preview and photo pixels', () => {
  it('maps the preview onto the whole photo, edges on edges', () => {
    expect(scalePoint([0, 0], preview, photo)).toEqual([0, 0]);
    expect(scalePoint([1600, 1200], preview, photo)).toEqual([4032, 3024]);
    expect(scalePoint([400, 300], preview, photo)).toEqual([1008, 756]);
  });

  it('uses each axis on its own when the preview size was rounded', () => {
    // 3000 × 4001 shrunk to fit 1600: 1200 × 1600 (the height scale is not the width scale).
    const tall = { width: 3000, height: 4001 };
    const shown = { width: 1200, height: 1600 };
    expect(scalePoint([1200, 1600], shown, tall)).toEqual([3000, 4001]);
    expect(scalePoint([600, 800], shown, tall)[1]).toBeCloseTo(2000.5, 9);
  });

  it('comes back to the same photo pixels after a round trip', () => {
    const there = scaleCorners(page, photo, preview);
    const back = scaleCorners(there, preview, photo);
    back.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(page[i]![0], 9);
      expect(p[1]).toBeCloseTo(page[i]![1], 9);
    });
  });
});

describe('a page the person turned', () => {
  it('shows the photo turned: the upright photo’s corners go where a clockwise turn puts them, and come back', () => {
    const size = { width: 400, height: 300 };
    expect(turnedSize(size, 90)).toEqual({ width: 300, height: 400 });
    // The photo's top-left corner is at the top right after a quarter turn, at the bottom right after a half turn.
    expect(toTurned([0, 0], size, 90)).toEqual([300, 0]);
    expect(toTurned([0, 0], size, 180)).toEqual([400, 300]);
    expect(toTurned([0, 0], size, 270)).toEqual([0, 400]);
    for (const turn of [0, 90, 180, 270] as const) expect(fromTurned(toTurned([123, 45], size, turn), size, turn)).toEqual([123, 45]);
  });

  it('names each handle as seen on screen', () => {
    expect(cornerName(0, 0)).toBe('Coin en haut à gauche');
    expect(cornerName(0, 90)).toBe('Coin en haut à droite');
    expect(cornerName(3, 90)).toBe('Coin en haut à gauche');
    expect(cornerName(2, 180)).toBe('Coin en haut à gauche');
  });

  it('moves a corner the way the arrow points on screen', () => {
    // Turned a quarter clockwise, the photo's top is on the right: "right" on screen is "up" in the upright photo.
    expect(nudge(page, 0, 'ArrowRight', false, photo, 90)![0]).toEqual([800, 380]);
    expect(nudge(page, 0, 'ArrowDown', false, photo, 90)![0]).toEqual([820, 400]);
    expect(nudge(page, 0, 'ArrowRight', false, photo, 180)![0]).toEqual([780, 400]);
  });
});

describe('a valid outline', () => {
  it('accepts a document in perspective and the whole photo', () => {
    expect(isValidQuad(page, photo)).toBe(true);
    expect(isValidQuad(wholePhoto(photo), photo)).toBe(true);
  });

  it('refuses a corner outside the photo, a crossed outline, a fold and a tiny page', () => {
    expect(isValidQuad([[-1, 400], page[1], page[2], page[3]], photo)).toBe(false);
    // Top-left and top-right swapped: the outline crosses itself.
    expect(isValidQuad([page[1], page[0], page[2], page[3]], photo)).toBe(false);
    // Bottom-right pulled inside the triangle of the other three: not convex.
    expect(isValidQuad([page[0], page[1], [1500, 1200], page[3]], photo)).toBe(false);
    expect(isValidQuad([[10, 10], [40, 10], [40, 40], [10, 40]], photo)).toBe(false);
  });

  it('keeps a dragged corner inside the photo', () => {
    const moved = moveCorner(page, 2, [9000, 9000], photo);
    expect(moved[2]).toEqual([4032, 3024]);
    expect(moved[0]).toEqual(page[0]);
  });

  it('refuses a move that would fold the outline: the corner stays where it was', () => {
    // The top-left corner dragged past the bottom-right one.
    expect(moveCorner(page, 0, [3500, 2900], photo)).toBe(page);
    // Onto the opposite side of the diagonal: concave.
    expect(moveCorner(page, 0, [2500, 2000], photo)).toBe(page);
  });
});

describe('the keyboard', () => {
  it('moves a corner a few photo pixels per arrow, ten times more with Shift', () => {
    expect(keyStep(photo, false)).toBe(20);
    expect(keyStep(photo, true)).toBe(200);
    expect(nudge(page, 0, 'ArrowRight', false, photo)![0]).toEqual([820, 400]);
    expect(nudge(page, 0, 'ArrowUp', true, photo)![0]).toEqual([800, 200]);
    expect(nudge(page, 3, 'ArrowDown', false, photo)![3]).toEqual([700, 2620]);
    expect(nudge(page, 0, 'Enter', false, photo)).toBeNull();
  });

  it('stops at the photo edge', () => {
    let corners = page;
    for (let i = 0; i < 10; i++) corners = nudge(corners, 0, 'ArrowLeft', true, photo)!;
    expect(corners[0]).toEqual([0, 400]);
  });

  it('says where a corner is in words, in percent of the photo', () => {
    expect(describePosition([1008, 756], photo)).toBe('à 25 % depuis la gauche et à 25 % depuis le haut de la photo');
    expect(describePosition([504, 0], photo)).toBe('à 12,5 % depuis la gauche et à 0 % depuis le haut de la photo');
  });
});

describe("what reaches the engine", () => {
  it('is nothing for the detected outline, null for the whole photo, the rounded corners otherwise', () => {
    expect(choiceOf(page, page, photo)).toBeUndefined();
    expect(choiceOf(wholePhoto(photo), page, photo)).toBeNull();
    expect(choiceOf(wholePhoto(photo), null, photo)).toBeNull();
    const moved = moveCorner(page, 1, [3250.4, 450.6], photo);
    expect(choiceOf(moved, page, photo)).toEqual([page[0], [3250, 451], page[2], page[3]]);
  });
});
