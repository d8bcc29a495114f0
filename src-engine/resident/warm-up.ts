/**
 * The resident engine's first job, on a picture of its own, as soon as it is started: the
 * next command's job then meets libvips loaded, the corner network's session made, the warp's
 * helper thread started and the pipeline's code compiled (the engine's first job is about a
 * quarter slower than the next ones). A photo of a sheet lying askew on a dark table, so the
 * whole path runs: detection, flattening, encoding.
 */
import { normalise } from '../core';
import { loadSharp } from '../sharp';

const WIDTH = 2000;
const HEIGHT = 1500;

function tablePhoto(): string {
  const sheet = '430,170 1590,260 1520,1380 360,1290';
  const lines = Array.from({ length: 14 }, (_, i) => {
    const y = 360 + i * 62;
    return `<text x="520" y="${y}" font-size="34" font-family="DejaVu Sans" fill="#222" transform="rotate(4 960 ${y})">Attestation de réussite, session 2026, ligne ${i + 1}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="${WIDTH}" height="${HEIGHT}" fill="#4a3828"/><polygon points="${sheet}" fill="#f4f2ec"/>${lines.join('')}</svg>`;
}

/** True when the whole path ran (a page was found and flattened). */
export async function warmUp(): Promise<boolean> {
  const sharp = await loadSharp();
  const photo = await sharp(Buffer.from(tablePhoto())).jpeg({ quality: 85 }).toBuffer();
  const done = await normalise({
    files: [{ name: 'warm-up.jpg', bytes: new Uint8Array(photo) }],
    maxBytes: 10 * 1024 * 1024,
  });
  return done.report[0]?.corners != null;
}
