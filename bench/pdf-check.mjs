// Benchmark of the server's PDF check on the file of issue 14, item 5: `entries` objects with
// wrong stream lengths hidden in one big stream body and named by the cross-reference table
// (before the fix, each searched the rest of the body for `endstream`: about 17 s for a
// 1.7 MB file with 20 000 entries, in the server's worker). Runs the built worker bundle, as
// the server does, and prints the time per file (median of the runs) and the answer.
// Needs `npm run build:node` first.
// Usage: node bench/pdf-check.mjs [--entries 20000] [--body 1200000] [--runs 5]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { entries: { type: 'string', default: '20000' }, body: { type: 'string', default: '1200000' }, runs: { type: 'string', default: '5' } } });

function craftedPdf(entries, bodyBytes) {
  const parts = [];
  let length = 0;
  const add = (text) => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    parts.push(bytes);
    length += bytes.length;
    return length - bytes.length;
  };
  add('%PDF-1.7\n');
  const offsets = [
    add('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n'),
    add('2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n'),
    add('3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n'),
  ];
  const hidden = [];
  let body = '';
  for (let i = 0; i < entries; i++) {
    hidden.push(body.length);
    body += `${100 + i} 0 obj\n<< /Length 1 >>\nstream\nxx\n`;
  }
  body += 'A'.repeat(Math.max(0, bodyBytes - body.length));
  offsets.push(add('4 0 obj\n'));
  const bodyAt = add(`<< /Length ${body.length} >>\nstream\n`) + `<< /Length ${body.length} >>\nstream\n`.length;
  add(body);
  add('\nendstream\nendobj\n');
  const entry = (n, at) => `${n} 1\n${String(at).padStart(10, '0')} 00000 n \n`;
  const xref =
    'xref\n0 1\n0000000000 65535 f \n' +
    offsets.map((at, i) => entry(i + 1, at)).join('') +
    hidden.map((at, i) => entry(100 + i, bodyAt + at)).join('') +
    `trailer\n<< /Size ${100 + entries} /Root 1 0 R >>\n`;
  const xrefAt = add(xref);
  add(`startxref\n${xrefAt}\n%%EOF\n`);
  return Buffer.concat(parts);
}

function checkInWorker(file) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(root, 'dist', 'server', 'pdf-worker.js'), { workerData: { role: 'depot-pdf-check' } });
    worker.once('online', () => {
      const started = performance.now();
      worker.once('message', (reply) => {
        resolve({ ms: performance.now() - started, answer: reply.ok ? 'ok' : reply.code });
        void worker.terminate();
      });
      worker.postMessage(file);
    });
    worker.once('error', reject);
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'depot-bench-pdf-'));
try {
  const bytes = craftedPdf(Number(values.entries), Number(values.body));
  const file = path.join(dir, 'crafted.pdf');
  writeFileSync(file, bytes);
  const times = [];
  let answer = '';
  for (let i = 0; i < Number(values.runs); i++) {
    const run = await checkInWorker(file);
    times.push(run.ms);
    answer = run.answer;
  }
  times.sort((a, b) => a - b);
  console.log(`crafted PDF: ${(bytes.length / 1e6).toFixed(2)} MB, ${values.entries} hidden entries → ${answer}, median ${times[times.length >> 1].toFixed(0)} ms over ${times.length} runs`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
