// Shared helpers of the server benchmarks: build the bench target, run processes, sample RSS,
// and the rush campaign with its candidates ready to close.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PDFDocument } from 'pdf-lib';
import { NODE_ESM_EXTERNAL_PACKAGES } from '../scripts/node-bundle.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'node_modules', '.cache', 'depot-bench');

/** A TypeScript module of the project (`entry`, from the root) bundled beside node_modules and imported. */
export async function bundle(entry) {
  const outfile = path.join(outDir, `${path.basename(entry, '.ts')}.mjs`);
  await build({ entryPoints: [path.join(root, entry)], outfile, ...NODE_ESM_EXTERNAL_PACKAGES });
  return import(pathToFileURL(outfile).href);
}

/**
 * The route table (src-shared/http-api.ts), built once for the benchmarks: their URLs come from
 * it, as the app's and the tests' do, never written by hand.
 */
const [{ HTTP_API, fillPath }, { API_BASE }] = await Promise.all([bundle('src-shared/http-api.ts'), bundle('src-shared/contract.ts')]);
const routeTable = { HTTP_API, fillPath, API_BASE };

/** The full URL of route `name` of the table on the server at `base`, path parameters filled in. */
export function routeUrl(base, name, params = {}, query = '') {
  const mount = routeTable.HTTP_API[name].mount === 'root' ? '' : routeTable.API_BASE;
  return `${base}${mount}${routeTable.fillPath(name, params)}${query}`;
}

export async function buildTarget() {
  await build({
    entryPoints: { 'server-target': path.join(root, 'bench', 'server-target.ts'), 'pdf-worker': path.join(root, 'src-server', 'pdf-worker.ts') },
    outdir: outDir,
    ...NODE_ESM_EXTERNAL_PACKAGES,
  });
  return path.join(outDir, 'server-target.js');
}

const children = new Set();
// An interrupted benchmark must not leave servers behind.
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(130);
  });

/** Starts `node script` and waits for its `listening URL` line. */
export function startProcess(script, env = {}) {
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  return { child, url };
}

/** Peak resident set size (MB) of a process so far, from /proc (Linux). */
export function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function stopProcess(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The campaign of a closure rush: candidates C-0 to C-(n-1), password "pw", one required
 * piece "identite", a deadline far away; `morePieces` are added after it.
 */
export function writeRushCampaign(file, n, morePieces = []) {
  writeFileSync(
    file,
    JSON.stringify({
      id: 'rush',
      title: 'Rush',
      organiser: 'Bench',
      closesOn: '2099-01-01',
      pieces: [
        { id: 'identite', label: 'Identité', required: true, lateAllowed: false, multiple: false },
        ...morePieces,
      ],
      candidates: Array.from({ length: n }, (_, i) => ({
        dossier: `C-${i}`,
        lastName: 'Nom',
        firstName: 'Prénom',
        password: 'pw',
      })),
    }),
  );
}

/** A one-page PDF with `label` written on it. */
export async function labelledPdf(label) {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText(label, { x: 72, y: 720 });
  return Buffer.from(await doc.save());
}

/** Logs rush candidate `dossier` in and stores `pdf` as its "identite"; answers the session token. */
export async function loginAndUpload(url, dossier, pdf) {
  const res = await fetch(routeUrl(url, 'openSession'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dossier, password: 'pw' }),
  });
  const { token } = await res.json();
  const up = await fetch(routeUrl(url, 'addDocument', { pieceId: 'identite' }), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/pdf',
      'content-digest': `sha-256=:${createHash('sha256').update(pdf).digest('base64')}:`,
    },
    body: pdf,
  });
  if (up.status !== 201) throw new Error(`upload ${up.status}`);
  return token;
}

/** Readies candidates C-0 to C-(n-1) with `workers` in parallel, candidate i through urls[i mod length]. */
export async function readyCandidates(urls, n, pdf, workers) {
  const tokens = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < n) {
        const i = next++;
        tokens[i] = await loginAndUpload(urls[i % urls.length], `C-${i}`, pdf);
      }
    }),
  );
  return tokens;
}

/** Logs the benchmark campaigns' instructor (instructeur1 / pw) in; answers the session token. */
export async function instructorToken(base) {
  const res = await fetch(routeUrl(base, 'staffSession'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'instructeur1', password: 'pw' }),
  });
  if (res.status !== 201) throw new Error(`staff login ${res.status}`);
  return (await res.json()).token;
}
