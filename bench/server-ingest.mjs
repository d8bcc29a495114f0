// Upload ingest: 16 concurrent 5 MiB uploads, the companion API against a bare Node server
// piping to disk with fsync. Prints MB/s (median of rounds), each server's CPU time per round
// and its peak RSS; also the bare server that computes each body's SHA-256, as the contract
// makes any server do, to show how much of the gap the digest alone takes.
//   node bench/server-ingest.mjs [--rounds N] [--kinds jpeg,pdf]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { buildTarget, median, peakRssMb, root, routeUrl, startProcess, stopProcess } from './server-bench-lib.mjs';

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

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** One round: CONCURRENCY unique uploads at once. Returns MB/s and the server's CPU seconds. */
async function round(target, base, kind, tag) {
  const bodies = Array.from({ length: CONCURRENCY }, (_, i) => variant(base, `${target.name}-${kind}-${tag}-${i}-${Date.now()}`, kind));
  const digests = bodies.map((b) => `sha-256=:${createHash('sha256').update(b).digest('base64')}:`);
  const cpuBefore = cpuSeconds(target.pid);
  const start = process.hrtime.bigint();
  const statuses = await Promise.all(bodies.map((b, i) => post(target.url, target.pathFor(i), target.headersFor(i, digests[i]), b)));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (statuses.some((s) => s !== 201)) throw new Error(`${target.name}: statuses ${statuses.join(',')}`);
  return { rate: bodies.reduce((n, b) => n + b.length, 0) / 1e6 / seconds, cpu: cpuSeconds(target.pid) - cpuBefore };
}

/**
 * Rounds alternate between the two servers, both running, so that a slow spell of the machine
 * (the disk flushing, another process) falls on both alike. Round 0 of each warms up.
 */
async function alternateRounds(targets, base, kind) {
  const results = targets.map(() => ({ rates: [], cpu: [] }));
  for (let r = 0; r < ROUNDS + 1; r++)
    for (const [t, target] of targets.entries()) {
      const { rate, cpu } = await round(target, base, kind, r);
      if (r === 0) continue;
      results[t].rates.push(rate);
      results[t].cpu.push(cpu);
    }
  return results.map((x) => ({ rate: median(x.rates), cpuMs: median(x.cpu) * 1000, rates: x.rates }));
}

/** How much the ratio moves from one pair of rounds (bare, then API) to the next. */
function pairedRange(r) {
  const ratios = r.api.rates.map((rate, i) => rate / r.bare.rates[i]);
  return `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
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
    const bareScript = path.join(root, 'bench', 'bare-ingest-server.mjs');
    const bare = startProcess(bareScript, { BARE_DIR: path.join(work, `bare-${kind}`) });
    const bareHash = startProcess(bareScript, { BARE_DIR: path.join(work, `bare-hash-${kind}`), BARE_HASH: '1' });
    const target = await buildTarget();
    const api = startProcess(target, { BENCH_SERVER: JSON.stringify({ dataDir: path.join(work, `api-${kind}`), campaignFiles: [campaignFile] }) });
    const apiUrl = await api.url;
    const tokens = [];
    for (let i = 0; i < CONCURRENCY; i++) {
      const res = await fetch(routeUrl(apiUrl, 'openSession'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dossier: `B-${i}`, password: `pw-${i}` }) });
      tokens.push((await res.json()).token);
    }
    const mediaType = kind === 'pdf' ? 'application/pdf' : 'image/jpeg';
    const octets = () => ({ 'content-type': 'application/octet-stream' });
    const [bareResult, bareHashResult, apiResult] = await alternateRounds(
      [
        { name: 'bare', pid: bare.child.pid, url: await bare.url, headersFor: octets, pathFor: () => '/' },
        { name: 'bare-hash', pid: bareHash.child.pid, url: await bareHash.url, headersFor: octets, pathFor: () => '/' },
        {
          name: 'api',
          pid: api.child.pid,
          url: apiUrl,
          headersFor: (i, digest) => ({ authorization: `Bearer ${tokens[i]}`, 'content-type': mediaType, 'content-digest': digest }),
          pathFor: () => new URL(routeUrl(apiUrl, 'addDocument', { pieceId: 'docs' })).pathname,
        },
      ],
      base,
      kind,
    );
    const bareRss = peakRssMb(bare.child.pid);
    const apiRss = peakRssMb(api.child.pid);
    await Promise.all([stopProcess(bare.child), stopProcess(bareHash.child), stopProcess(api.child)]);
    results.push({ kind, bare: bareResult, bareHash: bareHashResult, api: apiResult, bareRss, apiRss });
  }

  console.log(`Upload ingest: ${CONCURRENCY} concurrent uploads of about ${SIZE / 1024 / 1024} MiB, rounds alternating between the servers, median of ${ROUNDS}`);
  console.log(
    'file | bare node (pipe + fsync) MB/s | companion API MB/s | ratio | ratio of paired rounds, min-max | bare CPU ms/round | API CPU ms/round | bare peak RSS MB | API peak RSS MB | bare + SHA-256 MB/s | its ratio',
  );
  for (const r of results)
    console.log(
      [
        r.kind,
        r.bare.rate.toFixed(1),
        r.api.rate.toFixed(1),
        (r.api.rate / r.bare.rate).toFixed(2),
        pairedRange(r),
        r.bare.cpuMs.toFixed(0),
        r.api.cpuMs.toFixed(0),
        r.bareRss.toFixed(0),
        r.apiRss.toFixed(0),
        r.bareHash.rate.toFixed(1),
        (r.bareHash.rate / r.bare.rate).toFixed(2),
      ].join(' | '),
    );
} finally {
  rmSync(work, { recursive: true, force: true });
}
