/**
 * PDF checks in worker threads. The scan reads the file synchronously and parses every
 * dictionary, which would otherwise stall every other request on the event loop; in a worker
 * it runs on another core, and a hostile file that keeps it busy is stopped after a time limit
 * (the worker is replaced) and refused as unreadable.
 *
 * The worker runs `script`, the bundle of pdf-worker.ts, which calls `runPdfWorkerIfAsked()`.
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { AppError, isErrorCode } from '../src-shared/errors';
import { checkPdf } from '../src-formats';

const ROLE = 'depot-pdf-check';
const TIME_LIMIT_MS = 20_000;
const HEAP_MB = 64;

type Job = { path: string; resolve: () => void; reject: (error: unknown) => void };
type Reply = { ok: true } | { ok: false; code: string };

/** In a worker started by PdfWorkerPool: serve checks and return true; otherwise false. */
export function runPdfWorkerIfAsked(): boolean {
  if (isMainThread || (workerData as { role?: string } | null)?.role !== ROLE) return false;
  parentPort!.on('message', (path: string) => {
    checkPdf(path).then(
      () => parentPort!.postMessage({ ok: true } satisfies Reply),
      (err: unknown) =>
        parentPort!.postMessage({ ok: false, code: err instanceof AppError ? err.code : 'file_corrupt' } satisfies Reply),
    );
  });
  return true;
}

/** Started on first use and stopped when idle, so a server that sees no PDF pays nothing. */
const IDLE_STOP_MS = 30_000;

class PdfWorker {
  private worker: Worker | null = null;
  private job: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly online = new WeakSet<Worker>();

  constructor(
    private readonly script: string,
    private readonly onIdle: (w: PdfWorker) => void,
    private readonly timeLimitMs: number,
  ) {}

  private spawn(): Worker {
    // A hostile file must not take the server's memory with it: the scan holds dictionaries
    // and one inflated object stream at a time (capped in pdf-check.ts), so a small heap is
    // plenty; past it the worker dies and the file is refused as unreadable.
    const worker = new Worker(this.script, {
      workerData: { role: ROLE },
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 8 },
    });
    worker.unref();
    worker.once('online', () => this.online.add(worker));
    // Events of a worker already replaced (timed out) must not settle the next file's check.
    worker.on('message', (reply: Reply) => {
      if (this.worker === worker) this.settle(reply.ok ? null : reply.code);
    });
    worker.on('error', () => {
      if (this.worker === worker) this.settle('file_corrupt');
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.settle('file_corrupt');
    });
    return worker;
  }

  run(job: Job): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.job = job;
    this.worker ??= this.spawn();
    const worker = this.worker;
    const arm = () => {
      if (this.job !== job) return;
      this.timer = setTimeout(() => {
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
        // The scan bounds its own work (pdf_too_complex); this is the last resort.
        this.settle('pdf_too_complex');
      }, this.timeLimitMs);
    };
    // A cold start on a busy machine is not the file's fault: the clock starts once the
    // thread runs.
    if (this.online.has(worker)) arm();
    else worker.once('online', arm);
    worker.postMessage(job.path);
  }

  private settle(code: string | null): void {
    const job = this.job;
    if (!job) return;
    this.job = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (code === null) job.resolve();
    else job.reject(new AppError(isErrorCode(code) ? code : 'file_corrupt'));
    if (!this.closed) {
      this.idleTimer = setTimeout(() => void this.stop(), IDLE_STOP_MS);
      this.idleTimer.unref();
    }
    this.onIdle(this);
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.job) return;
    this.worker = null;
    await worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
    this.settle('file_corrupt');
  }
}

export class PdfWorkerPool {
  readonly size: number;
  private readonly idle: PdfWorker[] = [];
  private readonly all: PdfWorker[] = [];
  private readonly waiting: Job[] = [];

  constructor(
    script: string,
    size = Math.max(1, Math.min(2, availableParallelism() - 1)),
    timeLimitMs = TIME_LIMIT_MS,
  ) {
    this.size = size;
    for (let i = 0; i < size; i++) {
      const worker = new PdfWorker(script, (w) => this.release(w), timeLimitMs);
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  private release(worker: PdfWorker): void {
    const next = this.waiting.shift();
    if (next) worker.run(next);
    else this.idle.push(worker);
  }

  check(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const job = { path, resolve, reject };
      const worker = this.idle.pop();
      if (worker) worker.run(job);
      else this.waiting.push(job);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.close()));
  }
}
