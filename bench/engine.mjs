// Benchmark of the document engine as whole processes against the tools people would use
// otherwise (design.md section 8): runs alternate, and the figure is the median of the
// per-pair time ratios (engine / tool), with output sizes.
//   1. a 12 MP phone photo to an A4 JPEG, against ImageMagick
//      `convert -auto-orient -resize 2480x2480> -strip -quality 85` (goal: ratio <= 0.35);
//   2. ten A4 JPEG pages into one PDF, against `img2pdf --pagesize A4` (goal: ratio <= 1).
// Needs `npm run build:node` first, and `apt-get install -y imagemagick img2pdf`.
// Usage: node bench/engine.mjs [--runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'normalise', 'cli.js');
const corpus = path.resolve(root, '..', 'shared', 'corpus');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const runs = Number(values.runs);

if (!existsSync(cli)) {
  console.error('dist/normalise/cli.js is missing: run `npm run build:node` first.');
  process.exit(1);
}
for (const tool of ['convert', 'img2pdf']) {
  if (spawnSync('which', [tool]).status !== 0) {
    console.error(`${tool} is missing: apt-get install -y imagemagick img2pdf`);
    process.exit(1);
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'engine-bench-'));

// A real 12 MP phone photo (the corpus iPhone XS picture), stored sideways with EXIF
// orientation 6 as phones do, and ten A4 pages of real scans at 200 dpi.
const photo = path.join(work, 'photo-12mp.jpg');
const upright = await sharp(readFileSync(path.join(corpus, 'phone', 'avif-iphone-xs-portrait-3024x4032.avif'))).autoOrient().toBuffer();
writeFileSync(photo, await sharp(upright).rotate(270).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer());
const scans = [
  path.join(corpus, 'bad', 'png-with-jpg-extension.jpg'),
  path.join(corpus, 'images', 'tiff-scanner-bilevel-g4-hp-photosmart.tif'),
];
const pages = [];
for (let i = 0; i < 10; i++) {
  const page = path.join(work, `page-${String(i + 1).padStart(2, '0')}.jpg`);
  const bytes = await sharp(readFileSync(scans[i % 2]))
    .resize({ width: 1654, height: 2339, fit: 'contain', background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg({ quality: 85 })
    .toBuffer();
  writeFileSync(page, bytes);
  pages.push(page);
}

function time(command, args) {
  const start = process.hrtime.bigint();
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: work });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function compare(name, ours, theirs, goal) {
  const oursOut = ours.at(-1);
  const theirsOut = theirs.at(-1);
  // One warm-up each, so that the first run does not pay for a cold disk cache.
  time(ours[0], ours.slice(1, -1));
  time(theirs[0], theirs.slice(1, -1));
  const ratios = [];
  const oursMs = [];
  const theirsMs = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so that neither always follows the other.
    const first = i % 2 === 0;
    const a = first ? time(ours[0], ours.slice(1, -1)) : undefined;
    const b = time(theirs[0], theirs.slice(1, -1));
    const c = first ? a : time(ours[0], ours.slice(1, -1));
    oursMs.push(c);
    theirsMs.push(b);
    ratios.push(c / b);
  }
  const ratio = median(ratios);
  console.log(`\n${name}`);
  console.log(`  engine   median ${median(oursMs).toFixed(0)} ms, output ${statSync(oursOut).size} bytes`);
  console.log(`  baseline median ${median(theirsMs).toFixed(0)} ms, output ${statSync(theirsOut).size} bytes`);
  console.log(`  median of ratios engine/baseline: ${ratio.toFixed(2)} (goal <= ${goal}) ${ratio <= goal ? 'MET' : 'NOT MET'}`);
}

console.log(`engine benchmark: ${runs} alternated runs each, whole processes`);
const ourJpeg = path.join(work, 'ours.jpg');
const theirJpeg = path.join(work, 'theirs.jpg');
compare(
  '1. 12 MP phone photo (EXIF 6) -> A4 JPEG',
  [process.execPath, cli, photo, '--out', ourJpeg, '--to', 'jpeg', ourJpeg],
  ['convert', photo, '-auto-orient', '-resize', '2480x2480>', '-strip', '-quality', '85', theirJpeg, theirJpeg],
  0.35,
);
const ourPdf = path.join(work, 'ours.pdf');
const theirPdf = path.join(work, 'theirs.pdf');
compare(
  '2. ten A4 JPEG pages -> one PDF',
  [process.execPath, cli, ...pages, '--out', ourPdf, '--to', 'pdf', ourPdf],
  ['img2pdf', '--pagesize', 'A4', '-o', theirPdf, ...pages, theirPdf],
  1,
);
const meta = await sharp(ourJpeg).metadata();
console.log(`\nengine JPEG: ${meta.width}x${meta.height}; ImageMagick JPEG: ${(await sharp(theirJpeg).metadata()).width}x${(await sharp(theirJpeg).metadata()).height}`);
rmSync(work, { recursive: true, force: true });
