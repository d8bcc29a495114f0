/**
 * The full page's warp on two cores: a helper thread writes rows from the bottom while this
 * thread first does other work (the preview the checks measure), then writes rows from the
 * top; they meet wherever their speeds make them meet. Both run the very same row functions
 * (their source text is what the helper runs), so the page is the same to the byte as on one
 * thread. The page is written into shared memory (nothing copied back); the helper is sent
 * only the part of the photo it may read. It is started once per process, as soon as a page is
 * known to need flattening, and stays for the next pages, unreferenced: it keeps no process
 * alive.
 */
import { Worker } from 'node:worker_threads';
import { apply, placeOf, SPAN, TILE_COLUMNS, warp, warpRowRgb, type Homography, type RawImage } from './homography';
import { gainRow, rowGainOf, type Gain } from './light';

/** Below this many output pixels one thread is quicker than sending rows away. */
const MIN_PIXELS = 1_000_000;
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
  firstCol: number;
  stride: number;
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
  tileColumns: number;
}

// `Atomics.compareExchange` makes each chunk written by exactly one thread: the helper walks
// up from the last chunk and stops at the first one this thread took.
const HELPER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const warpRowRgb = ${warpRowRgb.toString()};
const gainRow = ${gainRow.toString()};
parentPort.on('message', (job) => {
  const { id, src, firstRow, firstCol, stride, sw, sh, h, width, height, out, claims, chunkRows, lowestChunk, gain, span, tileColumns } = job;
  const raw = new Uint8Array(out);
  const chunks = new Int32Array(claims);
  const gains = Array.from({ length: chunkRows }, () => new Float32Array(width).fill(1));
  const line = new Float32Array(gain ? gain.bw : 1);
  let rows = 0;
  for (let c = chunks.length - 1; c >= lowestChunk; c--) {
    if (Atomics.compareExchange(chunks, c, ${FREE}, ${HELPER}) !== ${FREE}) break;
    const start = c * chunkRows;
    const end = Math.min(height, start + chunkRows);
    raw.fill(255, start * width * 3, end * width * 3);
    if (gain) for (let y = start; y < end; y++) gainRow(gain, y, gains[y - start], line);
    for (let x0 = 0; x0 < width; x0 += tileColumns) {
      const x1 = Math.min(width, x0 + tileColumns);
      for (let y = start; y < end; y++) warpRowRgb(src, firstRow, firstCol, stride, sw, sh, h, raw, y * width * 3, y, gains[y - start], span, x0, x1);
    }
    rows += end - start;
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

/** Source pixels read by a band beyond its outline's extent: the bilinear neighbour and rounding. */
const MARGIN = 2;

/**
 * The part of the photo the output rows `from`..`to` read: the band's outline mapped into
 * it (a quadrilateral, held by the box of its corners), and a margin; copied row by row.
 */
function sourceWindow(source: RawImage, h: Homography, width: number, from: number, to: number): { data: Uint8Array; firstRow: number; firstCol: number; stride: number } {
  const corners = [
    [0, from],
    [width, from],
    [width, to],
    [0, to],
  ].map(([x, y]) => apply(h, [x!, y!]));
  // In the photo's coordinates, within the pixels `source` holds of it.
  const place = placeOf(source);
  const clamp = (v: number, low: number, high: number) => Math.max(low, Math.min(high, v));
  const lastRow = place.top + source.height - 1;
  const lastCol = place.left + source.width - 1;
  const top = clamp(Math.floor(Math.min(...corners.map((p) => p[1]))) - MARGIN, place.top, lastRow);
  const bottom = clamp(Math.ceil(Math.max(...corners.map((p) => p[1]))) + MARGIN, place.top, lastRow);
  const left = clamp(Math.floor(Math.min(...corners.map((p) => p[0]))) - MARGIN, place.left, lastCol);
  const right = clamp(Math.ceil(Math.max(...corners.map((p) => p[0]))) + MARGIN, place.left, lastCol);
  const firstRow = Math.min(top, bottom);
  const firstCol = Math.min(left, right);
  const stride = (Math.max(left, right) - firstCol + 1) * 3;
  const rows = Math.max(top, bottom) - firstRow + 1;
  const data = new Uint8Array(rows * stride);
  const sourceStride = source.width * 3;
  for (let r = 0; r < rows; r++) {
    const start = (firstRow - place.top + r) * sourceStride + (firstCol - place.left) * 3;
    data.set(source.data.subarray(start, start + stride), r * stride);
  }
  return { data, firstRow, firstCol, stride };
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
  // White where the photo has nothing to give: each thread whitens the chunks it writes.
  const page: RawImage = { data: new Uint8Array(out), width, height, channels: 3 };
  const place = placeOf(source);
  const window = sourceWindow(source, outToSource, width, lowestChunk * CHUNK_ROWS, height);
  const job: Job = {
    id: nextId++,
    src: window.data,
    firstRow: window.firstRow,
    firstCol: window.firstCol,
    stride: window.stride,
    sw: place.photoWidth,
    sh: place.photoHeight,
    h: outToSource,
    width,
    height,
    out,
    claims: claims.buffer as SharedArrayBuffer,
    chunkRows: CHUNK_ROWS,
    lowestChunk,
    gain: gain ?? null,
    span: SPAN,
    tileColumns: TILE_COLUMNS,
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
  const rows = (from: number, to: number) => {
    const end = Math.min(height, to);
    page.data.fill(255, from * width * 3, end * width * 3);
    warp(source, outToSource, width, height, { ...rowGain, into: page, rows: [from, end] });
  };
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
