/**
 * The full page's warp on two cores: this thread writes the top rows while a helper thread
 * writes the bottom ones, with the very same row functions (their source text is what the
 * helper runs), so the page is the same to the byte as on one thread. The helper is started
 * once per process, as soon as a page is known to need flattening (it boots while this
 * thread measures the preview), and stays for the next pages, unreferenced: it keeps no
 * process alive. It is sent only the source rows its band reads, copied and transferred.
 */
import { Worker } from 'node:worker_threads';
import { apply, SPAN, warp, warpRowRgb, type Homography, type RawImage } from './homography';
import { gainRow, rowGainOf, type Gain } from './light';

/** Below this many output pixels one thread is quicker than sending a band away. */
const MIN_PIXELS = 1_000_000;
/** Source rows read by a band beyond its outline's extent: the bilinear neighbour and rounding. */
const ROW_MARGIN = 2;

interface Band {
  id: number;
  src: Uint8Array;
  firstRow: number;
  sw: number;
  sh: number;
  h: Homography;
  width: number;
  from: number;
  to: number;
  gain: Gain | null;
  span: number;
}

const HELPER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const warpRowRgb = ${warpRowRgb.toString()};
const gainRow = ${gainRow.toString()};
parentPort.on('message', (band) => {
  const { id, src, firstRow, sw, sh, h, width, from, to, gain, span } = band;
  const raw = new Uint8Array((to - from) * width * 3).fill(255);
  const row = new Float32Array(width).fill(1);
  const line = new Float32Array(gain ? gain.bw : 1);
  for (let y = from; y < to; y++) {
    if (gain) gainRow(gain, y, row, line);
    warpRowRgb(src, firstRow, sw, sh, h, raw, (y - from) * width * 3, width, y, row, span);
  }
  parentPort.postMessage({ id, raw }, [raw.buffer]);
});
`;

type Pending = { resolve: (raw: Uint8Array) => void; reject: (error: Error) => void };

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
  worker.on('message', ({ id, raw }: { id: number; raw: Uint8Array }) => {
    pending.get(id)?.resolve(raw);
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
 * `warp` of a 3-channel picture with its light evened by `gain`, the bottom half of the rows
 * written by the helper thread. Any failure of the helper: this thread writes them, and the
 * failure is reported as a process warning.
 */
export async function warpShared(source: RawImage, outToSource: Homography, width: number, height: number, gain?: Gain): Promise<RawImage> {
  const rowGain = gain ? { gain: rowGainOf(gain) } : {};
  if (source.channels !== 3 || width * height < MIN_PIXELS) return warp(source, outToSource, width, height, rowGain);
  const mid = Math.ceil(height / 2);
  const { first, last } = sourceRows(outToSource, width, mid, height, source.height);
  const stride = source.width * 3;
  const band: Band = {
    id: nextId++,
    src: source.data.slice(first * stride, (last + 1) * stride),
    firstRow: first,
    sw: source.width,
    sh: source.height,
    h: outToSource,
    width,
    from: mid,
    to: height,
    gain: gain ?? null,
    span: SPAN,
  };
  let bottom: Promise<Uint8Array>;
  try {
    const { worker, pending } = helperThread();
    bottom = new Promise<Uint8Array>((resolve, reject) => pending.set(band.id, { resolve, reject }));
    // Held while it works: the answer is awaited.
    worker.ref();
    worker.postMessage(band, [band.src.buffer as ArrayBuffer]);
  } catch (error) {
    bottom = Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  bottom.catch(() => undefined);
  const out: RawImage = { data: new Uint8Array(width * height * 3).fill(255), width, height, channels: 3 };
  warp(source, outToSource, width, height, { ...rowGain, into: out, rows: [0, mid] });
  try {
    out.data.set(await bottom, mid * width * 3);
  } catch (error) {
    process.emitWarning(`warp helper thread failed, the page is finished on one thread: ${error instanceof Error ? error.message : String(error)}`);
    warp(source, outToSource, width, height, { ...rowGain, into: out, rows: [mid, height] });
  }
  return out;
}
