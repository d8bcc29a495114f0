// Benchmark of the renderer (design.md section 8): the JavaScript and CSS the first screen
// needs (raw, gzip -9, brotli), and the time from navigation to the first screen drawn in
// Debian's Chromium through the browser host (embedded demo API), median of N cold loads,
// each in a fresh browser context (no cache). Figures, not a pass/fail test.
// Needs `npm run build` first. Usage: node bench/renderer.mjs [--runs N]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const rendererDir = path.join(root, 'dist', 'renderer');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const runs = Number(values.runs);
if (!existsSync(path.join(rendererDir, 'index.html')) || !existsSync(path.join(root, 'dist', 'browser-host', 'cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(1);
}

// 1. What the first screen loads: the entry script and its static imports (modulepreload), the CSS.
const html = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
let totalJs = { raw: 0, gzip: 0, br: 0 };
console.log('Initial assets of the first screen:');
for (const file of initial) {
  const bytes = readFileSync(path.join(rendererDir, file));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`  ${file.padEnd(36)} raw ${kb(bytes.length).padStart(11)}  gzip ${kb(gzip).padStart(10)}  brotli ${kb(br).padStart(10)}`);
  if (file.endsWith('.js')) totalJs = { raw: totalJs.raw + bytes.length, gzip: totalJs.gzip + gzip, br: totalJs.br + br };
}
console.log(`  initial JavaScript: raw ${kb(totalJs.raw)}, gzip ${kb(totalJs.gzip)}, brotli ${kb(totalJs.br)}`);

// 2. Time to the first screen.
const data = mkdtempSync(path.join(tmpdir(), 'bench-renderer-'));
const host = spawn(process.execPath, [path.join(root, 'dist', 'browser-host', 'cli.js'), '--port', '0', '--data', data], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  let out = '';
  host.stdout.on('data', (chunk) => {
    out += chunk;
    const m = out.match(/ready (http:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
  host.once('exit', (code) => reject(new Error(`browser host exited with ${code}`)));
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const firstScreen = [];
const fcp = [];
const withDeadline = [];
try {
  for (let i = 0; i < runs + 1; i++) {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    // The first screen: its title drawn (performance.now() counts from the navigation start).
    const shown = await page.waitForFunction(() => document.querySelector('h1') && performance.now(), null, { polling: 'raf' });
    const deadline = await page.waitForFunction(() => document.querySelector('[role=timer]') && performance.now(), null, { polling: 'raf' });
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    if (i > 0) {
      // The first load warms the operating system's file cache and is left out.
      firstScreen.push(await shown.jsonValue());
      withDeadline.push(await deadline.jsonValue());
      fcp.push(paint);
    }
    await context.close();
  }
} finally {
  await browser.close();
  host.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(`Time to the first screen in Chromium (median of ${runs} cold loads, browser host on loopback):`);
console.log(`  first contentful paint          ${median(fcp).toFixed(0)} ms`);
console.log(`  welcome title drawn             ${median(firstScreen).toFixed(0)} ms`);
console.log(`  deadline countdown shown        ${median(withDeadline).toFixed(0)} ms (after the server clock answered)`);
