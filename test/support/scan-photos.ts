/**
 * Generated phone photos of documents whose true corners are known by construction: a page
 * (title, text lines, a table, a stamp) or an ID-1 card is rendered, laid in perspective on
 * a background, then given shadow, blur, noise, glare, darkness, JPEG compression and an
 * EXIF orientation. Deterministic by seed: the tuning set and the held-out set are two
 * ranges of seeds (bench/scan.mjs reports on the held-out one).
 */
import sharp from 'sharp';
import { homography, rectangle, warp, type Point, type Quad, type RawImage } from '../../src-engine/scan/homography';

export type Defect = 'blurred' | 'too_dark' | 'glare' | 'cut_off' | 'blank_page' | 'no_document' | 'too_small';

export interface GeneratedPhoto {
  name: string;
  seed: number;
  /** The file as a phone would store it (JPEG, EXIF orientation). */
  bytes: Uint8Array;
  kind: 'page' | 'card';
  /** The document's corners in the upright photo (TL, TR, BR, BL); null without a document. */
  corners: Quad | null;
  /** The document's own size in pixels as rendered (its true frame). */
  document: { width: number; height: number };
  defects: Defect[];
  orientation: number;
}

/** mulberry32: small, fast, good enough for test data. */
export function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'le la les de du des un une et pour dans sur avec par diplôme concours candidat session année attestation université mention date signature nom prénom né naissance académie certifie que ministère éducation nationale administration'.split(' ');

function sentence(rand: () => number, n: number): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');
}

function pageSvg(rand: () => number, width: number, height: number, blank: boolean): string {
  const ink = `rgb(${20 + Math.floor(rand() * 30)},${20 + Math.floor(rand() * 30)},${30 + Math.floor(rand() * 40)})`;
  const paper = `rgb(${245 + Math.floor(rand() * 10)},${243 + Math.floor(rand() * 10)},${235 + Math.floor(rand() * 15)})`;
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="${paper}"/>`];
  if (!blank) {
    const m = width * 0.09;
    parts.push(`<text x="${width / 2}" y="${height * 0.09}" font-family="DejaVu Serif" font-weight="bold" font-size="${width * 0.04}" text-anchor="middle" fill="${ink}">ATTESTATION DE RÉUSSITE</text>`);
    let y = height * 0.15;
    const size = width * 0.019;
    for (let i = 0; i < 9; i++, y += size * 1.6) parts.push(`<text x="${m}" y="${y}" font-family="DejaVu Sans" font-size="${size}" fill="${ink}">${sentence(rand, 9 + Math.floor(rand() * 4))}</text>`);
    // A table: 5 rows × 3 columns with ruled cells.
    const top = y + size;
    const rowH = size * 2;
    const colW = (width - 2 * m) / 3;
    for (let r = 0; r <= 5; r++) parts.push(`<line x1="${m}" y1="${top + r * rowH}" x2="${width - m}" y2="${top + r * rowH}" stroke="${ink}" stroke-width="${width * 0.0018}"/>`);
    for (let c = 0; c <= 3; c++) parts.push(`<line x1="${m + c * colW}" y1="${top}" x2="${m + c * colW}" y2="${top + 5 * rowH}" stroke="${ink}" stroke-width="${width * 0.0018}"/>`);
    for (let r = 0; r < 5; r++)
      for (let c = 0; c < 3; c++) parts.push(`<text x="${m + c * colW + size * 0.5}" y="${top + r * rowH + rowH * 0.68}" font-family="DejaVu Sans" font-size="${size * 0.9}" fill="${ink}">${sentence(rand, 2)}</text>`);
    y = top + 5 * rowH + size * 2;
    for (let i = 0; i < 6 && y < height * 0.8; i++, y += size * 1.6) parts.push(`<text x="${m}" y="${y}" font-family="DejaVu Sans" font-size="${size}" fill="${ink}">${sentence(rand, 8 + Math.floor(rand() * 5))}</text>`);
    // A round stamp, blue or red, turned a little.
    const colour = rand() < 0.5 ? 'rgb(40,60,170)' : 'rgb(180,40,40)';
    const cx = width * (0.6 + rand() * 0.2);
    const cy = height * 0.86;
    const r = width * 0.09;
    parts.push(`<g transform="rotate(${(rand() - 0.5) * 40} ${cx} ${cy})" opacity="0.8"><circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${colour}" stroke-width="${r * 0.06}"/><circle cx="${cx}" cy="${cy}" r="${r * 0.8}" fill="none" stroke="${colour}" stroke-width="${r * 0.03}"/><text x="${cx}" y="${cy + r * 0.1}" font-family="DejaVu Sans" font-weight="bold" font-size="${r * 0.28}" text-anchor="middle" fill="${colour}">RECTORAT</text></g>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

function cardSvg(rand: () => number, width: number, height: number): string {
  const hue = Math.floor(rand() * 360);
  const r = width * 0.037;
  const size = height * 0.06;
  const lines = Array.from({ length: 5 }, (_, i) => `<text x="${width * 0.36}" y="${height * (0.32 + i * 0.11)}" font-family="DejaVu Sans" font-size="${size}" fill="rgb(30,30,60)">${sentence(rand, 3).toUpperCase()}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},45%,82%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},50%,70%)"/></linearGradient></defs><rect width="${width}" height="${height}" rx="${r}" fill="url(#g)"/><rect x="${width * 0.05}" y="${height * 0.25}" width="${width * 0.26}" height="${height * 0.6}" fill="hsl(${(hue + 180) % 360},20%,55%)"/><circle cx="${width * 0.18}" cy="${height * 0.45}" r="${height * 0.1}" fill="hsl(30,30%,70%)"/><text x="${width * 0.05}" y="${height * 0.16}" font-family="DejaVu Sans" font-weight="bold" font-size="${size * 1.3}" fill="rgb(20,20,80)">CARTE NATIONALE D'IDENTITÉ</text>${lines.join('')}</svg>`;
}

function backgroundSvg(rand: () => number, width: number, height: number): string {
  const style = Math.floor(rand() * 4);
  const base = Math.floor(rand() * 360);
  if (style === 0) {
    // Wood: warm stripes.
    const stripes = Array.from({ length: 40 }, (_, i) => `<rect x="0" y="${(i * height) / 40}" width="${width}" height="${height / 80 + rand() * (height / 60)}" fill="hsl(${25 + rand() * 10},${40 + rand() * 20}%,${22 + rand() * 15}%)" opacity="0.6"/>`);
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="hsl(28,45%,${30 + rand() * 15}%)"/>${stripes.join('')}</svg>`;
  }
  if (style === 1) {
    // A plain dark or mid table.
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="hsl(${base},${rand() * 30}%,${12 + rand() * 35}%)"/></svg>`;
  }
  if (style === 2) {
    // A checked tablecloth.
    const cell = width / (8 + Math.floor(rand() * 10));
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><pattern id="p" width="${cell * 2}" height="${cell * 2}" patternUnits="userSpaceOnUse"><rect width="${cell * 2}" height="${cell * 2}" fill="hsl(${base},40%,70%)"/><rect width="${cell}" height="${cell}" fill="hsl(${base},50%,40%)"/><rect x="${cell}" y="${cell}" width="${cell}" height="${cell}" fill="hsl(${base},50%,40%)"/></pattern></defs><rect width="${width}" height="${height}" fill="url(#p)"/></svg>`;
  }
  // A gradient, light grey to darker: the hardest, a pale desk.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="${rand()}" y2="1"><stop offset="0" stop-color="hsl(${base},10%,${50 + rand() * 20}%)"/><stop offset="1" stop-color="hsl(${base},15%,${25 + rand() * 20}%)"/></linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g)"/></svg>`;
}

async function rasterise(svg: string): Promise<RawImage> {
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#000000' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels };
}

/**
 * Where the document lies in the photo: a flat rectangle turned in space (roll, pitch, yaw)
 * and seen through a pinhole camera whose focal length is a phone's (about 0.75 to 0.9 of the
 * long side, a 26 mm-equivalent lens), so the perspective is a real camera's.
 */
function placement(rand: () => number, doc: { width: number; height: number }, photo: { width: number; height: number }, fill: number, allowOut: boolean): Quad {
  const f = Math.max(photo.width, photo.height) * (0.75 + rand() * 0.15);
  for (let attempt = 0; attempt < 2000; attempt++) {
    const roll = (rand() - 0.5) * (Math.PI / 5);
    const pitch = (rand() - 0.5) * (Math.PI / 3.6);
    const yaw = (rand() - 0.5) * (Math.PI / 6);
    // Too large to fit at this angle: a little further away on each try.
    const z = f * Math.sqrt((doc.width * doc.height) / (fill * 0.985 ** attempt * photo.width * photo.height));
    const tx = (rand() - 0.5) * 0.2 * (photo.width / f) * z;
    const ty = (rand() - 0.5) * 0.2 * (photo.height / f) * z;
    const [cr, sr, cp, sp, cy, sy] = [Math.cos(roll), Math.sin(roll), Math.cos(pitch), Math.sin(pitch), Math.cos(yaw), Math.sin(yaw)];
    const corners: Point[] = [
      [-doc.width / 2, -doc.height / 2],
      [doc.width / 2, -doc.height / 2],
      [doc.width / 2, doc.height / 2],
      [-doc.width / 2, doc.height / 2],
    ];
    const q = corners.map(([X0, Y0]) => {
      // Roll in the page's plane, then pitch (about x), then yaw (about y).
      const X1 = X0 * cr - Y0 * sr;
      const Y1 = X0 * sr + Y0 * cr;
      const Y2 = Y1 * cp;
      const Z2 = Y1 * sp;
      const X3 = X1 * cy + Z2 * sy;
      const Z3 = -X1 * sy + Z2 * cy;
      const depth = z + Z3;
      return [photo.width / 2 + (f * (X3 + tx)) / depth, photo.height / 2 + (f * (Y2 + ty)) / depth] as Point;
    }) as unknown as Quad;
    const inside = q.map(([x, y]) => x > 0.02 * photo.width && y > 0.02 * photo.height && x < 0.98 * photo.width && y < 0.98 * photo.height);
    const outside = q.filter(([x, y]) => x < 0 || y < 0 || x > photo.width || y > photo.height).length;
    if (allowOut ? inside.filter(Boolean).length === 3 && outside === 1 : inside.every(Boolean)) return q;
  }
  throw new Error('no placement found');
}

function shade(image: RawImage, rand: () => number, strength: number): void {
  // A soft shadow (the phone's, a hand's) across part of the photo.
  const { data, width, height, channels } = image;
  const a = rand() * Math.PI * 2;
  const dx = Math.cos(a);
  const dy = Math.sin(a);
  const offset = (rand() - 0.5) * 0.4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = ((x / width - 0.5) * dx + (y / height - 0.5) * dy - offset) * 4;
      const f = 1 - strength / (1 + Math.exp(-t));
      const i = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[i + c] = data[i + c]! * f;
    }
  }
}

function glare(image: RawImage, centre: Point, radius: number): void {
  const { data, width, height, channels } = image;
  const [gx, gy] = centre;
  for (let y = Math.max(0, Math.floor(gy - radius)); y < Math.min(height, gy + radius); y++) {
    for (let x = Math.max(0, Math.floor(gx - radius)); x < Math.min(width, gx + radius); x++) {
      const d = Math.hypot(x - gx, y - gy) / radius;
      if (d >= 1) continue;
      const f = Math.min(1, 1.6 * (1 - d * d));
      const i = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[i + c] = data[i + c]! + (255 - data[i + c]!) * f;
    }
  }
}

function noise(image: RawImage, rand: () => number, sigma: number): void {
  const { data } = image;
  for (let i = 0; i < data.length; i++) {
    const n = (rand() + rand() + rand() - 1.5) * 2 * sigma;
    data[i] = Math.max(0, Math.min(255, data[i]! + n));
  }
}

const STORED_TURN: Record<number, number> = { 1: 0, 3: 180, 6: 270, 8: 90 };

export interface GenerateOptions {
  /** Long side of the photo (default 2600, a 5 Mpx photo; the bench uses 4032 for 12 MP). */
  longSide?: number;
  defects?: Defect[];
  kind?: 'page' | 'card';
}

export async function generatePhoto(seed: number, options: GenerateOptions = {}): Promise<GeneratedPhoto> {
  const rand = randomFrom(seed);
  const defects = options.defects ?? [];
  const kind = options.kind ?? (rand() < 0.25 ? 'card' : 'page');
  const long = options.longSide ?? 2600;
  const portrait = rand() < 0.6;
  const photo = portrait ? { width: Math.round(long * 0.75), height: long } : { width: long, height: Math.round(long * 0.75) };
  const doc = kind === 'card' ? { width: 856, height: 540 } : { width: 1050, height: 1485 };
  const bg = await rasterise(backgroundSvg(rand, photo.width, photo.height));
  let corners: Quad | null = null;
  if (!defects.includes('no_document')) {
    const page = await rasterise(kind === 'card' ? cardSvg(rand, doc.width, doc.height) : pageSvg(rand, doc.width, doc.height, defects.includes('blank_page')));
    const fill = defects.includes('too_small')
      ? kind === 'card'
        ? 0.03
        : 0.08
      : defects.includes('cut_off')
        ? 0.6 + rand() * 0.2
        : kind === 'card'
          ? 0.3 + rand() * 0.25
          : 0.45 + rand() * 0.25;
    corners = placement(rand, doc, photo, fill, defects.includes('cut_off'));
    warp(page, homography(corners, rectangle(doc.width, doc.height)), photo.width, photo.height, { into: bg });
  }
  if (rand() < 0.7) shade(bg, rand, 0.15 + rand() * 0.3);
  if (defects.includes('too_dark')) bg.data.forEach((v, i) => (bg.data[i] = v * 0.22));
  if (defects.includes('glare') && corners) {
    const c: Point = [(corners[0][0] + corners[2][0]) / 2, (corners[0][1] + corners[2][1]) / 2];
    glare(bg, c, Math.min(photo.width, photo.height) * (0.12 + rand() * 0.06));
  }
  noise(bg, rand, 2 + rand() * 4);
  const sigma = defects.includes('blurred') ? 3.5 + rand() * 2 : 0.3 + rand() * 0.6;
  const orientation = [1, 1, 6, 8, 3][Math.floor(rand() * 5)]!;
  const quality = 70 + Math.floor(rand() * 23);
  let pipeline = sharp(bg.data, { raw: { width: bg.width, height: bg.height, channels: bg.channels as 3 } }).blur(sigma);
  const turn = STORED_TURN[orientation]!;
  if (turn) pipeline = sharp(await pipeline.raw().toBuffer(), { raw: { width: bg.width, height: bg.height, channels: 3 } }).rotate(turn);
  const out = await pipeline.jpeg({ quality }).withMetadata({ orientation }).toBuffer();
  return {
    name: `${kind}-${seed}${defects.length ? `-${defects.join('-')}` : ''}.jpg`,
    seed,
    bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength),
    kind,
    corners,
    document: doc,
    defects,
    orientation,
  };
}

/** The tuning set (thresholds chosen on it) and the held-out set (the bench reports on it). */
export const TUNING_SEEDS = { first: 1, count: 60 } as const;
export const HELD_OUT_SEEDS = { first: 100_001, count: 100 } as const;
