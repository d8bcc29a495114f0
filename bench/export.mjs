// Campaign export (GET /staff/campaigns/{id}/export.zip?state=closed) against `zip -r` of the
// same files, at two campaign sizes: wall time, and the server's peak RSS above its RSS once
// started (it must not grow with the campaign).
//   node bench/export.mjs [--dossiers 500,2000] [--kib 100]
// Needs `zip` (apt-get install zip). Each dossier holds 3 documents of KIB random KiB (as
// incompressible as PDF and JPEG), closed with a signed receipt.
import { spawnSync } from 'node:child_process';
import { createWriteStream, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import { buildTarget, bundle, instructorToken, peakRssMb, routeUrl, startProcess, stopProcess } from './server-bench-lib.mjs';

const { values } = parseArgs({ options: { dossiers: { type: 'string', default: '500,2000' }, kib: { type: 'string', default: '100' } } });
const SIZES = values.dossiers.split(',').map(Number);
const BYTES = Number(values.kib) * 1024;

/** Resident set size (MB) of a process now, from /proc (Linux). */
function rssMb(pid) {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

function countEntries(file) {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err) return reject(err);
      resolve(zip.entryCount);
      zip.close();
    }),
  );
}

/** `zip` with GNU time: wall seconds and peak RSS (MB). */
function timedZip(args, cwd) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', 'zip', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`zip failed: ${result.stderr}`);
  const [seconds, kb] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { seconds, rssMb: kb / 1024 };
}

const seeder = await bundle('bench/instruction-seed.ts');
const target = await buildTarget();
const rows = [];
for (const n of SIZES) {
  const work = mkdtempSync(path.join(tmpdir(), 'depot-bench-export-'));
  try {
    const dataDir = path.join(work, 'data');
    const campaignFile = path.join(work, 'campagne.json');
    const people = seeder.candidates(n);
    seeder.writeCampaign(campaignFile, 'banc', people);
    mkdirSync(dataDir, { recursive: true });
    const seedStart = performance.now();
    await seeder.seedExport({ dataDir, campaignId: 'banc', people, bytes: BYTES });
    process.stderr.write(`${n} dossiers seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);

    const { child, url } = startProcess(target, { BENCH_SERVER: JSON.stringify({ dataDir, campaignFiles: [campaignFile] }), LOG_LEVEL: 'warn' });
    const base = await url;
    const token = await instructorToken(base);
    const startedRss = rssMb(child.pid);
    const out = path.join(work, 'export.zip');
    // RSS sampled through the export: flat means it stops growing once the first dossiers are out.
    const samples = [];
    const sampler = setInterval(() => samples.push(rssMb(child.pid)), 100);
    const t0 = performance.now();
    const res = await fetch(routeUrl(base, 'instructionCampaignExport', { campaignId: 'banc' }, '?state=closed'), { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`export ${res.status}`);
    await pipeline(Readable.fromWeb(res.body), createWriteStream(out));
    const exportSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const peak = peakRssMb(child.pid);
    const at = (fraction) => samples[Math.min(samples.length - 1, Math.floor(fraction * samples.length))];
    await stopProcess(child);
    const entries = await countEntries(out);
    if (entries !== n * 6) throw new Error(`export holds ${entries} entries, expected ${n * 6}`);

    // The same documents under the same names, hard-linked (no copy), for zip.
    const tree = path.join(work, 'tree');
    const sqlite = new Database(path.join(dataDir, 'depot.sqlite'), { readonly: true });
    for (const doc of sqlite.prepare('SELECT id, dossier, piece_id, filename FROM documents').all()) {
      const folder = path.join(tree, doc.dossier, doc.piece_id);
      mkdirSync(folder, { recursive: true });
      linkSync(path.join(dataDir, 'blobs', doc.id.slice(0, 2), doc.id), path.join(folder, doc.filename));
    }
    sqlite.close();
    const zipDefault = timedZip(['-q', '-r', path.join(work, 'zip.zip'), '.'], tree);
    const zipStored = timedZip(['-q', '-r', '-0', path.join(work, 'zip0.zip'), '.'], tree);
    rows.push({
      dossiers: n,
      documents: n * 3,
      'zip MB': +(statSync(out).size / 1048576).toFixed(0),
      'export s': +exportSeconds.toFixed(2),
      'zip -r s': zipDefault.seconds,
      'zip -r -0 s': zipStored.seconds,
      'export / zip -r': +(exportSeconds / zipDefault.seconds).toFixed(2),
      'export / zip -r -0': +(exportSeconds / zipStored.seconds).toFixed(2),
      'server RSS started MB': +startedRss.toFixed(0),
      'server peak RSS MB': +peak.toFixed(0),
      'peak - started MB': +(peak - startedRss).toFixed(0),
      'RSS at 25/50/75/100 % MB': [0.25, 0.5, 0.75, 0.999].map((f) => at(f).toFixed(0)).join(' / '),
      'zip peak RSS MB': +zipDefault.rssMb.toFixed(0),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
console.table(rows);
