// Upload ingest: 16 concurrent 5 MiB uploads, the companion API against a bare Node server
// piping to disk with fsync. Prints MB/s (median of rounds) and the server's peak RSS.
//   node bench/server-ingest.mjs [--rounds N] [--kinds jpeg,pdf]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { buildTarget, median, peakRssMb, root, startProcess, stopProcess } from './server-bench-lib.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, kinds: { type: 'string', default: 'jpeg,pdf' } } });
const ROUNDS = Number(values.rounds);
const CONCURRENCY = 16;
const SIZE = 5 * 1024 * 1024;

/** A photo-like JPEG of about 5 MiB (noise compresses badly, like a detailed 12 MP photo). */
async function makeJpeg(target) {
  let side = 3400;
  for (;;) {
    const jpeg = await sharp({ create: { width: side, height: side, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg({ quality: 92 })
      .toBuffer();
    if (jpeg.length <= target) return jpeg;
    side -= 20;
  }
}

/** A scan-like PDF: one page holding one big JPEG, about 5 MiB in all. */
async function makePdf(jpeg) {
  const doc = await PDFDocument.create();
  const image = await doc.embedJpg(jpeg);
  doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  return Buffer.from(await doc.save());
}

/**
 * Inputs are made once and kept in node_modules/.cache: finding a noise JPEG of the right size
 * takes dozens of encodes, minutes on a busy machine, and is not what is measured.
 */
async function cachedInput(kind, make) {
  const dir = path.join(root, 'node_modules', '.cache', 'depot-bench-inputs');
  const file = path.join(dir, `ingest-v1.${kind}`);
  if (existsSync(file)) return readFileSync(file);
  const bytes = await make();
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, bytes);
  return bytes;
}

function post(url, pathName, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${pathName}`, { method: 'POST', headers: { ...headers, 'content-length': body.length }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Each upload gets unique bytes (a distinct trailing comment), so nothing is deduplicated. */
function variant(base, tag, kind) {
  const marker = Buffer.from(kind === 'pdf' ? `\n%${tag}\n%%EOF\n` : `${tag}`, 'latin1');
  return Buffer.concat([base, marker]);
}

async function rounds(name, url, base, kind, headersFor, pathFor) {
  const rates = [];
  for (let r = 0; r < ROUNDS + 1; r++) {
    const bodies = Array.from({ length: CONCURRENCY }, (_, i) => variant(base, `${name}-${kind}-${r}-${i}-${Date.now()}`, kind));
    const digests = bodies.map((b) => `sha-256=:${createHash('sha256').update(b).digest('base64')}:`);
    const start = process.hrtime.bigint();
    const statuses = await Promise.all(bodies.map((b, i) => post(url, pathFor(i), headersFor(i, digests[i]), b)));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (statuses.some((s) => s !== 201)) throw new Error(`${name}: statuses ${statuses.join(',')}`);
    if (r > 0) rates.push(bodies.reduce((n, b) => n + b.length, 0) / 1e6 / seconds); // round 0 warms up
  }
  return median(rates);
}

const work = mkdtempSync(path.join(tmpdir(), 'depot-bench-ingest-'));
try {
  const jpeg = await cachedInput('jpeg', () => makeJpeg(SIZE - 64));
  const pdf = await cachedInput('pdf', async () => makePdf(await makeJpeg(SIZE - 4096)));
  console.log(`inputs: JPEG ${(jpeg.length / 1048576).toFixed(2)} MiB, PDF ${(pdf.length / 1048576).toFixed(2)} MiB`);
  const campaignFile = path.join(work, 'campaign.json');
  writeFileSync(
    campaignFile,
    JSON.stringify({
      id: 'bench',
      title: 'Bench',
      organiser: 'Bench',
      closesOn: '2099-01-01',
      maxBytes: 10 * 1024 * 1024,
      pieces: [{ id: 'docs', label: 'Documents', required: false, lateAllowed: false, multiple: true }],
      candidates: Array.from({ length: CONCURRENCY }, (_, i) => ({ dossier: `B-${i}`, lastName: 'B', firstName: 'C', password: `pw-${i}` })),
    }),
  );

  const results = [];
  for (const kind of values.kinds.split(',')) {
    const base = kind === 'jpeg' ? jpeg : pdf;
    const bare = startProcess(path.join(root, 'bench', 'bare-ingest-server.mjs'), { BARE_DIR: path.join(work, `bare-${kind}`) });
    const bareUrl = await bare.url;
    const bareRate = await rounds('bare', bareUrl, base, kind, () => ({ 'content-type': 'application/octet-stream' }), () => '/');
    const bareRss = peakRssMb(bare.child.pid);
    await stopProcess(bare.child);

    const target = await buildTarget();
    const api = startProcess(target, { BENCH_SERVER: JSON.stringify({ dataDir: path.join(work, `api-${kind}`), campaignFiles: [campaignFile] }) });
    const apiUrl = await api.url;
    const tokens = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const res = await fetch(`${apiUrl}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dossier: `B-${i}`, password: `pw-${i}` }) });
      tokens.push((await res.json()).token);
    }
    const apiRate = await rounds(
      'api',
      apiUrl,
      base,
      kind,
      (i, digest) => ({ authorization: `Bearer ${tokens[i]}`, 'content-type': kind === 'pdf' ? 'application/pdf' : 'image/jpeg', 'content-digest': digest }),
      () => '/api/v1/pieces/docs/documents',
    );
    const apiRss = peakRssMb(api.child.pid);
    await stopProcess(api.child);
    results.push({ kind, bareRate, bareRss, apiRate, apiRss });
  }

  console.log(`Upload ingest: ${CONCURRENCY} concurrent uploads of about ${SIZE / 1024 / 1024} MiB, median of ${ROUNDS} rounds`);
  console.log('file | bare node (pipe + fsync) MB/s | companion API MB/s | ratio | bare peak RSS MB | API peak RSS MB');
  for (const r of results)
    console.log(
      `${r.kind} | ${r.bareRate.toFixed(1)} | ${r.apiRate.toFixed(1)} | ${(r.apiRate / r.bareRate).toFixed(2)} | ${r.bareRss.toFixed(0)} | ${r.apiRss.toFixed(0)}`,
    );
} finally {
  rmSync(work, { recursive: true, force: true });
}
