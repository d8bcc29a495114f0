/**
 * The SmartDoc 2015 measure of a detected outline: both quadrilaterals mapped into the true
 * document's own frame (so every document counts alike whatever its size and perspective in
 * the photo), then the area of their overlap over the area of their union. No outline: 0.
 */
import { apply, area, homography, isConvex, rectangle, type Point, type Quad } from '../../src-engine/scan/homography';

/** Sutherland–Hodgman: `subject` clipped by the convex polygon `clip` (counter-clockwise or not). */
function clipPolygon(subject: Point[], clip: Point[]): Point[] {
  const orientation = Math.sign(signedArea(clip));
  let output = subject;
  for (let i = 0; i < clip.length && output.length > 0; i++) {
    const a = clip[i]!;
    const b = clip[(i + 1) % clip.length]!;
    const inside = (p: Point): boolean => orientation * ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])) >= 0;
    const cross = (p: Point, q: Point): Point => {
      const d1 = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
      const d2 = (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0]);
      const t = d1 / (d1 - d2);
      return [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
    };
    const input = output;
    output = [];
    for (let j = 0; j < input.length; j++) {
      const p = input[j]!;
      const q = input[(j + 1) % input.length]!;
      if (inside(q)) {
        if (!inside(p)) output.push(cross(p, q));
        output.push(q);
      } else if (inside(p)) output.push(cross(p, q));
    }
  }
  return output;
}

function signedArea(points: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

export function jaccard(found: Quad | null, truth: Quad, frame: { width: number; height: number }): number {
  if (!found) return 0;
  const toFrame = homography(truth, rectangle(frame.width, frame.height));
  const mapped = found.map((p) => apply(toFrame, p)) as unknown as Quad;
  if (!isConvex(mapped)) return 0;
  const truthRect = [...rectangle(frame.width, frame.height)];
  const overlap = area(clipPolygon([...mapped], truthRect));
  const union = area(mapped) + frame.width * frame.height - overlap;
  return union > 0 ? overlap / union : 0;
}
