/**
 * The full page's warp on two cores: a helper thread writes rows from the bottom while this
 * thread first does other work (the preview the checks measure), then writes rows from the
 * top; they meet wherever their speeds make them meet. Both run the very same row functions
 * (their source text is what the helper runs), so the page is the same to the byte as on one
 * thread. The page is written into shared memory (nothing copied back); the helper is sent
 * only the source rows it may read. It is started once per process, as soon as a page is
 * known to need flattening, and stays for the next pages, unreferenced: it keeps no process
 * alive.
 */
import { Worker } from 'node:worker_threads';
import { apply, SPAN, warp, warpRowRgb, type Homography, type RawImage } from './homography';
import { gainRow, rowGainOf, type Gain } from './light';

/** Below this many output pixels one thread is quicker than sending rows away. */
const MIN_PIXELS = 1_000_000;
/** Source rows read by a band beyond its outline's extent: the bilinear neighbour and rounding. */
const ROW_MARGIN = 2;
/** Rows claimed at a time: few claims, and little left to the slower thread at the end. */
const CHUNK_ROWS = 32;
/** The helper may write the rows below this share of the page (its source rows are copied for it). */
const HELPER_FROM = 0.15;
/** A chunk's state in the claims array. */
const FREE = 0;
const MINE = 1;
const HELPER = 2;

interface Job {
  id: number;
  src: Uint8Array;
  firstRow: number;
  sw: number;
  sh: number;
  h: Homography;
  width: number;
  height: number;
  out: SharedArrayBuffer;
  claims: SharedArrayBuffer;
  chunkRows: number;
  lowestChunk: number;
  gain: Gain | null;
  span: number;
}

// `Atomics.compareExchange` makes each chunk written by exactly one thread: the helper walks
// up from the last chunk and stops at the first one this thread took.
const HELPER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const warpRowRgb = ${warpRowRgb.toString()};
const gainRow = ${gainRow.toString()};
parentPort.on('message', (job) => {
  const { id, src, firstRow, sw, sh, h, width, height, out, claims, chunkRows, lowestChunk, gain, span } = job;
  const raw = new Uint8Array(out);
  const chunks = new Int32Array(claims);
  const row = new Float32Array(width).fill(1);
  const line = new Float32Array(gain ? gain.bw : 1);
  let rows = 0;
  for (let c = chunks.length - 1; c >= lowestChunk; c--) {
    if (Atomics.compareExchange(chunks, c, ${FREE}, ${HELPER}) !== ${FREE}) break;
    const end = Math.min(height, (c + 1) * chunkRows);
    for (let y = c * chunkRows; y < end; y++) {
      if (gain) gainRow(gain, y, row, line);
      warpRowRgb(src, firstRow, sw, sh, h, raw, y * width * 3, width, y, row, span);
      rows++;
    }
  }
  parentPort.postMessage({ id, rows });
});
`;

type Pending = { resolve: (rows: number) => void; reject: (error: Error) => void };

let helper: { worker: Worker; pending: Map<number, Pending> } | undefined;
let nextId = 0;

function helperThread(): NonNullable<typeof helper> {
  if (helper) return helper;
  const worker = new Worker(HELPER_SOURCE, { eval: true });
  const pending = new Map<number, Pending>();
  const fail = (error: Error): void => {
    if (helper?.worker === worker) helper = undefined;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  worker.on('message', ({ id, rows }: { id: number; rows: number }) => {
    pending.get(id)?.resolve(rows);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`warp helper thread exited (${code})`)));
  // Idle, it holds no process (after the listeners: a 'message' listener holds it again).
  worker.unref();
  helper = { worker, pending };
  return helper;
}

/** Starts the helper thread ahead of a warp worth sharing (`width`×`height` output pixels). */
export function prepareWarp(width: number, height: number, channels: number): void {
  if (channels === 3 && width * height >= MIN_PIXELS) helperThread();
}

/** The source rows the output rows `from`..`to` read (the band's outline, mapped, and a margin). */
function sourceRows(h: Homography, width: number, from: number, to: number, sh: number): { first: number; last: number } {
  const ys = [
    [0, from],
    [width, from],
    [width, to],
    [0, to],
  ].map(([x, y]) => apply(h, [x!, y!])[1]);
  const first = Math.max(0, Math.floor(Math.min(...ys)) - ROW_MARGIN);
  const last = Math.min(sh - 1, Math.ceil(Math.max(...ys)) + ROW_MARGIN);
  return { first: Math.min(first, last), last };
}

/**
 * `warp` of a 3-channel picture with its light evened by `gain`, shared with the helper
 * thread; `meanwhile` runs on this thread while the helper starts on the bottom rows, and its
 * result is returned with the page. Any failure of the helper: this thread writes its rows
 * too, and the failure is reported as a process warning.
 */
export async function warpShared<T>(
  source: RawImage,
  outToSource: Homography,
  width: number,
  height: number,
  gain: Gain | undefined,
  meanwhile: () => T,
): Promise<{ page: RawImage; meanwhile: T }> {
  const rowGain = gain ? { gain: rowGainOf(gain) } : {};
  if (source.channels !== 3 || width * height < MIN_PIXELS) {
    const done = meanwhile();
    return { page: warp(source, outToSource, width, height, rowGain), meanwhile: done };
  }
  const chunkCount = Math.ceil(height / CHUNK_ROWS);
  const claims = new Int32Array(new SharedArrayBuffer(chunkCount * 4));
  const lowestChunk = Math.floor(chunkCount * HELPER_FROM);
  const out = new SharedArrayBuffer(width * height * 3);
  const page: RawImage = { data: new Uint8Array(out).fill(255), width, height, channels: 3 };
  const { first, last } = sourceRows(outToSource, width, lowestChunk * CHUNK_ROWS, height, source.height);
  const stride = source.width * 3;
  const job: Job = {
    id: nextId++,
    src: source.data.slice(first * stride, (last + 1) * stride),
    firstRow: first,
    sw: source.width,
    sh: source.height,
    h: outToSource,
    width,
    height,
    out,
    claims: claims.buffer as SharedArrayBuffer,
    chunkRows: CHUNK_ROWS,
    lowestChunk,
    gain: gain ?? null,
    span: SPAN,
  };
  let helped: Promise<number>;
  try {
    const { worker, pending } = helperThread();
    helped = new Promise<number>((resolve, reject) => pending.set(job.id, { resolve, reject }));
    // Held while it works: the answer is awaited.
    worker.ref();
    worker.postMessage(job, [job.src.buffer as ArrayBuffer]);
  } catch (error) {
    helped = Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  helped.catch(() => undefined);
  const done = meanwhile();
  const rows = (from: number, to: number) => warp(source, outToSource, width, height, { ...rowGain, into: page, rows: [from, Math.min(height, to)] });
  for (let c = 0; c < chunkCount; c++) {
    if (Atomics.compareExchange(claims, c, FREE, MINE) !== FREE) break;
    rows(c * CHUNK_ROWS, (c + 1) * CHUNK_ROWS);
  }
  try {
    await helped;
  } catch (error) {
    process.emitWarning(`warp helper thread failed, the page is finished on one thread: ${error instanceof Error ? error.message : String(error)}`);
    // Whatever the helper took may be half written: every chunk not written here is (re)written.
    for (let c = 0; c < chunkCount; c++) if (Atomics.load(claims, c) !== MINE) rows(c * CHUNK_ROWS, (c + 1) * CHUNK_ROWS);
  }
  return { page, meanwhile: done };
}
