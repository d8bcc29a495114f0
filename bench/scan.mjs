// Benchmark of the page scanner (issue 16), in one run:
//   1. detection on the held-out generated photos (seeds never used to tune): the mean
//      Jaccard index of the detected outline against the truth, the SmartDoc 2015 way (both
//      quadrilaterals mapped into the true page's frame, overlap over union; no outline = 0),
//      and the share at 0.9 or more, for our detector and for a plain OpenCV baseline (grey,
//      blur, Canny, largest four-sided contour). Goals: mean >= 0.97, >= 94 % at 0.9;
//   2. a whole `normalise` of a 12 MP photo of a page into a scanned A4 page, against
//      ImageMagick's resize of the same photo (goal: <= 0.6x, median of per-pair ratios):
//      a fresh command (--no-resident), the command with its resident engine (started by
//      a first command, stopped at the end; what that first command costs), and the engine
//      warm in this process;
//   3. the peak memory of `normalise` on the 200 MP HEIC of the corpus (goal: < 300 MB).
// Needs `npm run build:node` and `apt-get install -y imagemagick`.
// Usage: node bench/scan.mjs [--count N] [--runs N] [--only detection|real|timing|memory]...
//        node bench/scan.mjs --calibrate [--set tuning|held-out] [--count N]
//   --calibrate prints each quality measure, clean and damaged, and how often each check fires.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { NODE_ESM_EXTERNAL_PACKAGES } from '../scripts/node-bundle.mjs';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'normalise', 'cli.js');
const heic = path.resolve(root, '..', 'shared', 'corpus', 'phone', 'heic-samsung-s24ultra-200mp-16320x12240.heic');
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100' },
    runs: { type: 'string', default: '7' },
    only: { type: 'string', multiple: true, default: [] },
    calibrate: { type: 'boolean', default: false },
    set: { type: 'string', default: 'tuning' },
  },
});
const parts = values.only.length > 0 ? new Set(values.only) : new Set(['detection', 'real', 'timing', 'memory']);

// The first `convert` on the PATH may be something else than ImageMagick's.
const convert = ['magick', 'convert', '/usr/bin/convert'].find((tool) => /ImageMagick/.test(spawnSync(tool, ['-version'], { encoding: 'utf8' }).stdout ?? ''));
if (!convert) {
  console.error('ImageMagick is missing: apt-get install -y imagemagick');
  process.exit(1);
}
if (!existsSync(cli)) {
  console.error('dist/normalise/cli.js is missing: run `npm run build:node` first.');
  process.exit(1);
}

// The generator, the measure and the scanner are TypeScript: bundled once beside
// node_modules, where their dependencies are found.
const cache = path.join(root, 'node_modules', '.cache', 'scan-bench');
mkdirSync(cache, { recursive: true });
await build({
  ...NODE_ESM_EXTERNAL_PACKAGES,
  stdin: {
    contents: [
      "export * from './test/support/scan-photos';",
      "export { jaccard } from './test/support/quad-overlap';",
      "export { scanPage } from './src-engine/scan/page';",
      "export { openRaster } from './src-engine/raster';",
      "export { normalise } from './src-engine/core';",
      "export { residentEnv, residentSocket, stopResident, waitForResident } from './test/support/resident';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile: path.join(cache, 'lib.mjs'),
});
const lib = await import(path.join(cache, 'lib.mjs'));

const require = createRequire(import.meta.url);
const sharp = require('sharp');

function order(points) {
  // Top-left has the smallest x+y, bottom-right the largest; top-right the smallest y-x.
  const bySum = [...points].sort((a, b) => a[0] + a[1] - (b[0] + b[1]));
  const byDiff = [...points].sort((a, b) => a[1] - a[0] - (b[1] - b[0]));
  return [bySum[0], byDiff[0], bySum[3], byDiff[3]];
}

// The module is a thenable: it is never returned from an async function (which would wait
// on its `then` for ever), only kept here once ready.
const cv = require('@techstark/opencv-js');
await new Promise((resolve) => (cv.Mat ? resolve() : (cv.onRuntimeInitialized = resolve)));

/** The textbook OpenCV document finder, at 500 px high as it is usually run. */
async function openCvCorners(bytes) {
  const { data, info } = await sharp(bytes).autoOrient().resize({ height: 500 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const scale = (await sharp(bytes).autoOrient().metadata());
  const upright = scale.orientation >= 5 ? scale.height : scale.width;
  const k = upright / info.width;
  const src = cv.matFromImageData({ data: new Uint8ClampedArray(data), width: info.width, height: info.height });
  const grey = new cv.Mat();
  const edges = new cv.Mat();
  const contours = new cv.MatVector();
  const hierarchy = new cv.Mat();
  try {
    cv.cvtColor(src, grey, cv.COLOR_RGBA2GRAY);
    cv.GaussianBlur(grey, grey, new cv.Size(5, 5), 0);
    cv.Canny(grey, edges, 75, 200);
    cv.findContours(edges, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE);
    const found = [];
    for (let i = 0; i < contours.size(); i++) {
      const c = contours.get(i);
      found.push({ c, area: cv.contourArea(c) });
    }
    found.sort((a, b) => b.area - a.area);
    let best = null;
    for (const { c } of found.slice(0, 5)) {
      const approx = new cv.Mat();
      cv.approxPolyDP(c, approx, 0.02 * cv.arcLength(c, true), true);
      if (approx.rows === 4 && !best) {
        const pts = [];
        for (let j = 0; j < 4; j++) pts.push([approx.data32S[2 * j] * k, approx.data32S[2 * j + 1] * k]);
        best = order(pts);
      }
      approx.delete();
    }
    for (const { c } of found) c.delete();
    return best;
  } finally {
    src.delete();
    grey.delete();
    edges.delete();
    contours.delete();
    hierarchy.delete();
  }
}

function summary(scores) {
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const share = scores.filter((s) => s >= 0.9).length / scores.length;
  return { mean, share };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (values.calibrate) {
  // Each check against its own damage and against clean photos, on the tuning seeds (where
  // the thresholds were chosen) or the held-out ones: true positives and false positives.
  const set = values.set === 'held-out' ? lib.HELD_OUT_SEEDS : lib.TUNING_SEEDS;
  const n = Math.min(Number(values.count), set.count);
  const defects = ['blurred', 'too_dark', 'glare', 'cut_off', 'too_small', 'blank_page', 'no_document'];
  const codeOf = (defect) => (defect === 'no_document' ? 'no_document_found' : defect);
  const flagged = Object.fromEntries(defects.map((d) => [d, { own: 0, clean: 0 }]));
  console.log(`Quality measures, ${values.set} set, seeds ${set.first}-${set.first + n - 1}:`);
  for (const defect of [null, ...defects]) {
    for (let seed = set.first; seed < set.first + n; seed++) {
      // Cards are never checked for blank_page (their colours would pass for ink).
      const photo = await lib.generatePhoto(seed, { defects: defect ? [defect] : [], ...(defect === 'blank_page' ? { kind: 'page' } : {}) });
      const page = await lib.scanPage(await lib.openRaster('jpeg', photo.bytes), 0, { scan: 'auto' }, { measureOnly: true });
      const codes = page.checks.map((c) => c.code);
      for (const d of defects) {
        if (!codes.includes(codeOf(d))) continue;
        if (defect === d) flagged[d].own++;
        if (defect === null) flagged[d].clean++;
      }
      const m = page.measures;
      console.log(
        [defect ?? 'clean', photo.name, codes.join(',') || '-',
          m ? `brightness=${m.brightness.toFixed(0)} glare=${m.glare.toFixed(4)} sharpness=${m.sharpness.toFixed(1)} ink=${m.ink.toFixed(4)} paperAtFrame=${(m.paperAtFrame ?? 0).toFixed(4)}` : ''].join('\t'),
      );
    }
  }
  console.log(`Summary (${values.set}, ${n} photos per case): check, flagged on its own damage, flagged on clean photos`);
  for (const d of defects) console.log(`  ${codeOf(d).padEnd(18)} ${flagged[d].own}/${n}   ${flagged[d].clean}/${n}`);
  process.exit(0);
}

// 1. Detection on the held-out set.
if (parts.has('detection')) {
  const count = Math.min(Number(values.count), lib.HELD_OUT_SEEDS.count);
  const ours = [];
  const baseline = [];
  let kinds = { page: 0, card: 0 };
  for (let i = 0; i < count; i++) {
    const photo = await lib.generatePhoto(lib.HELD_OUT_SEEDS.first + i);
    kinds[photo.kind]++;
    const page = await lib.scanPage(await lib.openRaster('jpeg', photo.bytes), 0, { scan: 'auto' });
    ours.push(lib.jaccard(page.corners, photo.corners, photo.document));
    baseline.push(lib.jaccard(await openCvCorners(photo.bytes), photo.corners, photo.document));
  }
  const a = summary(ours);
  const b = summary(baseline);
  console.log(`Detection, held-out set: ${count} generated photos (${kinds.page} pages, ${kinds.card} ID-1 cards), seeds ${lib.HELD_OUT_SEEDS.first}+`);
  console.log(`  ours (DocCornerNet LEAN)      mean Jaccard ${a.mean.toFixed(4)}   at >= 0.9: ${(a.share * 100).toFixed(1)} %   goal: >= 0.97 and >= 94 %: ${a.mean >= 0.97 && a.share >= 0.94 ? 'met' : 'NOT met'}`);
  console.log(`  OpenCV baseline (Canny, quad) mean Jaccard ${b.mean.toFixed(4)}   at >= 0.9: ${(b.share * 100).toFixed(1)} %`);
}

// 1b. Real photos: the test photos jscanify ships in its npm package (not copied here: their
// origin is not stated, see bench/real-photos/README.md), fetched with `npm pack`, against
// corners marked by hand.
if (parts.has('real')) await realPhotos();

async function realPhotos() {
  const spec = JSON.parse(readFileSync(path.join(root, 'bench', 'real-photos', 'jscanify-1.4.3.json'), 'utf8'));
  const dir = mkdtempSync(path.join(tmpdir(), 'scan-real-'));
  try {
    const packed = execFileSync('npm', ['pack', spec.package, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', path.join(dir, packed), '-C', dir]);
    const ours = [];
    const baseline = [];
    for (const photo of spec.photos) {
      const bytes = readFileSync(path.join(dir, spec.folder, photo.file));
      const raster = await lib.openRaster(/\.png$/i.test(photo.file) ? 'png' : 'jpeg', bytes);
      const { width, height } = raster.pages[0];
      const truth = photo.corners.map(([x, y]) => [(x * width) / photo.size[0], (y * height) / photo.size[1]]);
      const document = photo.page === 'letter-landscape' ? { width: 1100, height: 850 } : { width: 850, height: 1100 };
      const page = await lib.scanPage(raster, 0, { scan: 'auto' }, { measureOnly: true });
      ours.push(lib.jaccard(page.corners, truth, document));
      baseline.push(lib.jaccard(await openCvCorners(bytes), truth, document));
      console.log(`  ${photo.name.padEnd(14)} ours ${ours.at(-1).toFixed(4)}  OpenCV ${baseline.at(-1).toFixed(4)}  checks: ${page.checks.map((c) => c.code).join(', ') || '-'}`);
    }
    const a = summary(ours);
    const b = summary(baseline);
    console.log(`Detection, real photos (${spec.package}, ${spec.photos.length} photos, corners marked by hand):`);
    console.log(`  ours (DocCornerNet LEAN)      mean Jaccard ${a.mean.toFixed(4)}   at >= 0.9: ${(a.share * 100).toFixed(1)} %`);
    console.log(`  OpenCV baseline (Canny, quad) mean Jaccard ${b.mean.toFixed(4)}   at >= 0.9: ${(b.share * 100).toFixed(1)} %`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// 2. A 12 MP photo of a page into a scanned A4 page, against ImageMagick (timing), and
// 3. the peak memory on the 200 MP HEIC (memory).
console.log(`Load average at the start (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(', ')} on ${availableParallelism()} cores`);
const work = mkdtempSync(path.join(tmpdir(), 'scan-bench-'));
try {
  if (parts.has('timing')) await timing();
  if (parts.has('memory')) memory();
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`Load average at the end (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(', ')} on ${availableParallelism()} cores`);

async function timing() {
  const photo = await lib.generatePhoto(lib.HELD_OUT_SEEDS.first + 7, { longSide: 4032, kind: 'page' });
  const input = path.join(work, 'photo-12mp.jpg');
  writeFileSync(input, photo.bytes);
  const imageMagick = () => execFileSync(convert, [input, '-auto-orient', '-resize', '2480x2480>', '-strip', '-quality', '85', path.join(work, 'im.jpg')]);
  /** Each run of `ours` right beside one of ImageMagick's: medians of both and of their ratio. */
  const sideBySide = async (ours) => {
    const runs = [];
    for (let r = 0; r < Number(values.runs); r++) {
      let t = performance.now();
      await ours();
      const o = performance.now() - t;
      t = performance.now();
      imageMagick();
      runs.push({ o, m: performance.now() - t });
    }
    return { ours: median(runs.map((r) => r.o)), im: median(runs.map((r) => r.m)), ratio: median(runs.map((r) => r.o / r.m)) };
  };

  const ratio = (r) => `${r.ours.toFixed(0)} ms, ImageMagick ${r.im.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}x`;
  const goal = (r) => `(goal <= 0.6x: ${r.ratio <= 0.6 ? 'met' : 'NOT met'})`;
  const fresh = await sideBySide(() => execFileSync(process.execPath, [cli, input, '--out', path.join(work, 'ours.jpg'), '--no-resident']));
  console.log(`12 MP photo → scanned A4 page: fresh command (--no-resident) ${ratio(fresh)} ${goal(fresh)}`);

  // Help-desk use, file after file: the first command of a session does its job itself and
  // starts the resident engine; the later ones send their job there. Its socket in a
  // directory of this run's own; every run checked to have been served there.
  const sockets = path.join(work, 'resident');
  mkdirSync(sockets, { mode: 0o700 });
  const env = lib.residentEnv(sockets);
  const viaResident = () => spawnSync(process.execPath, [cli, input, '--out', path.join(work, 'ours.jpg')], { env, encoding: 'utf8' });
  let t = performance.now();
  const first = viaResident();
  const firstMs = performance.now() - t;
  if (first.status !== 0 || !/one started/.test(first.stderr)) throw new Error(`the first command did not start the resident engine: ${first.stderr}`);
  const pid = await lib.waitForResident(lib.residentSocket(sockets, cli));
  try {
    t = performance.now();
    viaResident();
    const secondMs = performance.now() - t;
    console.log(`First command of a session (job done alone, resident engine started): ${firstMs.toFixed(0)} ms; the next one, the engine's first job: ${secondMs.toFixed(0)} ms`);
    let missed = 0;
    const resident = await sideBySide(() => {
      if (!new RegExp(`used \\(pid ${pid}\\)`).test(viaResident().stderr)) missed++;
    });
    console.log(`The command with its resident engine: ${ratio(resident)} ${goal(resident)}${missed > 0 ? `; ${missed} run(s) NOT served by it` : ''}`);
  } finally {
    await lib.stopResident(pid);
  }

  // The app keeps its engine worker running: the model and the compiled code stay. The same
  // photo through the engine in this process, after one run to warm it, each run beside
  // ImageMagick's again (which has no warm state to keep).
  const request = { files: [{ name: 'photo-12mp.jpg', bytes: new Uint8Array(photo.bytes) }], to: 'auto', maxBytes: 10 * 1024 * 1024 };
  await lib.normalise(request);
  const warm = await sideBySide(() => lib.normalise(request));
  console.log(`The same in the app's running engine (warm, in-process): ${ratio(warm)}`);
}

// 3. Peak memory on the 200 MP HEIC.
function memory() {
  if (existsSync(heic)) {
    const res = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, heic, '--out', path.join(work, 'heic.jpg')], { encoding: 'utf8' });
    const kb = Number(res.stderr.trim().split('\n').pop());
    console.log(`200 MP HEIC: peak resident memory ${(kb / 1024).toFixed(0)} MB (goal < 300 MB: ${kb / 1024 < 300 ? 'met' : 'NOT met'})`);
  } else {
    console.log('200 MP HEIC: corpus not found beside the project, not measured');
  }
}
