// Closures under a deadline rush: 200 concurrent candidates closing their dossiers (autocannon),
// each closure a real first closure (transaction + Ed25519 signature), then the same rush
// past capacity (a low closure allowance) to show 503 + Retry-After instead of timeouts.
//   node bench/server-closures.mjs [--candidates N]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { buildTarget, labelledPdf, peakRssMb, readyCandidates, root, routeUrl, startProcess, stopProcess, writeRushCampaign } from './server-bench-lib.mjs';

const { values } = parseArgs({ options: { candidates: { type: 'string', default: '4000' } } });
const N = Number(values.candidates);
const CONNECTIONS = 200;

/**
 * Upload traffic competing with the closures: 1 MiB-class JPEG bodies on 64 connections, from
 * a separate autocannon process so that the closure client's measurements are its own.
 */
function uploadFlood(url, token, jpegFile, durationSeconds) {
  const child = spawn(process.execPath, [path.join(root, 'bench', 'server-flood.mjs'), routeUrl(url, 'addDocument', { pieceId: 'annexes' }), token, jpegFile, String(durationSeconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve) => child.once('exit', () => resolve(JSON.parse(out))));
}

function rush(url, tokens, amount) {
  let next = 0;
  return autocannon({
    url: routeUrl(url, 'closure'),
    connections: CONNECTIONS,
    amount,
    method: 'POST',
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }),
      },
    ],
  });
}

const work = mkdtempSync(path.join(tmpdir(), 'depot-bench-closures-'));
try {
  const campaignFile = path.join(work, 'campaign.json');
  writeRushCampaign(campaignFile, N, [{ id: 'annexes', label: 'Annexes', required: false, lateAllowed: false, multiple: true }]);
  const pdf = await labelledPdf('identite');
  const target = await buildTarget();
  const jpeg = await sharp({ create: { width: 900, height: 900, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality: 95 })
    .toBuffer();
  const jpegFile = path.join(work, 'flood.jpg');
  writeFileSync(jpegFile, jpeg);
  const report = [];
  const uploads = [];
  for (const scenario of [
    { name: 'closures alone', flood: false, limits: {} },
    // The flood is one client with one token standing for many candidates: the per-token caps
    // are lifted so that it fills the upload lane as they would.
    {
      name: 'closures + upload flood past capacity (16 uploads in flight)',
      flood: true,
      limits: { maxUploads: 16, maxUploadsPerToken: 64, maxRequestsPerToken: 64 },
    },
  ]) {
    const dataDir = path.join(work, scenario.name.replace(/\W+/g, '-'));
    const server = startProcess(target, { BENCH_SERVER: JSON.stringify({ dataDir, campaignFiles: [campaignFile], limits: scenario.limits }) });
    const url = await server.url;
    const tokens = await readyCandidates([url], N, pdf, 8);
    console.error(`[${scenario.name}] ${tokens.length} candidates ready`);
    const flood = scenario.flood ? uploadFlood(url, tokens[0], jpegFile, 15) : null;
    if (flood) await new Promise((r) => setTimeout(r, 1000));
    const first = await rush(url, tokens, N);
    console.error(`[${scenario.name}] first closures done`);
    const again = await rush(url, tokens, N);
    if (flood) uploads.push({ scenario: scenario.name, res: await flood });
    report.push({ scenario: scenario.name, first, again, rss: peakRssMb(server.child.pid) });
    await stopProcess(server.child);
  }
  console.log(`Closures: ${N} candidates, ${CONNECTIONS} concurrent connections (autocannon)`);
  console.log('scenario | run | closures/s (2xx) | p50 ms | p99 ms | max ms | 2xx | 503 | other non-2xx | errors/timeouts | server peak RSS MB');
  for (const r of report)
    for (const [run, res] of [['first closure (201)', r.first], ['already closed (200)', r.again]]) {
      const seconds = res.duration;
      const shed = res.statusCodeStats?.['503']?.count ?? 0;
      console.log(
        [r.scenario, run, (res['2xx'] / seconds).toFixed(0), res.latency.p50, res.latency.p99, res.latency.max, res['2xx'], shed, res.non2xx - shed, res.errors + res.timeouts, r.rss.toFixed(0)].join(' | '),
      );
    }
  for (const { scenario, res } of uploads) {
    const shed = res.statusCodeStats?.['503']?.count ?? 0;
    console.log(
      `${scenario}: competing uploads (${(jpeg.length / 1048576).toFixed(2)} MiB, 64 connections, separate process): ${res['2xx']} answered 2xx, ${shed} answered 503 + Retry-After, ${res.errors + res.timeouts} connection errors/timeouts (shed requests have their connection closed), upload p99 ${res.latency.p99} ms`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
