/**
 * The paper running on past the outline to the photo's edge (cut_off), on drawn pictures:
 * a page inside the frame reaches nothing; the same page running off the right edge, with
 * the outline a network gives for it (its right corners inside the frame), does; a paler
 * table next to the page is not taken for paper.
 */
import { describe, expect, it } from 'vitest';
import { paperAtFrame } from '../../../../src-engine/scan/cutoff';
import type { Quad } from '../../../../src-engine/scan/homography';

const SIZE = 224;

/** `table` everywhere, `paper` inside x0..x1 × y0..y1, a few dark text lines on it. */
function picture(box: { x0: number; x1: number; y0: number; y1: number }, table: number): Uint8Array {
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const onPaper = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
      const text = onPaper && y % 12 === 0 && x > box.x0 + 10 && x < box.x1 - 10;
      const v = text ? 40 : onPaper ? 240 : table;
      rgb.set([v, v, v - 8], (y * SIZE + x) * 3);
    }
  }
  return rgb;
}

describe('paper at the frame', () => {
  const outline: Quad = [
    [40, 30],
    [190, 30],
    [190, 200],
    [40, 200],
  ];

  it('finds none when the whole page is in the photo', () => {
    expect(paperAtFrame(picture({ x0: 40, x1: 190, y0: 30, y1: 200 }, 60), SIZE, outline)).toBe(0);
  });

  it('measures the stretch of edge the paper reaches when the page runs off the photo', () => {
    // The page goes on to the right edge over rows 30..200: 170 of the 892 edge pixels.
    const share = paperAtFrame(picture({ x0: 40, x1: SIZE, y0: 30, y1: 200 }, 60), SIZE, outline);
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });

  it('does not take a pale table for paper', () => {
    expect(paperAtFrame(picture({ x0: 40, x1: 190, y0: 30, y1: 200 }, 150), SIZE, outline)).toBe(0);
  });
});
