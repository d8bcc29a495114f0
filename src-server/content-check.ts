/**
 * The checks a stored file must pass, by type read from its bytes. A PDF whose scan fits a
 * small budget is checked here (checkPdfQuickly); others go to worker threads when the server
 * runs from its bundle (see pdf-workers.ts), or (tests, tools) are checked here, a few at a
 * time, with synchronous reads that briefly hold the event loop.
 */
import type { AcceptedMediaType } from '../src-shared/contract';
import { checkJpeg, checkPdf, checkPdfQuickly, type KnownBytes } from '../src-formats';
import type { PdfWorkerPool } from './pdf-workers';

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** `known`: what the upload holds in memory of the file, to spare reading it again. */
export type ContentChecker = (filePath: string, mediaType: AcceptedMediaType, known?: KnownBytes) => Promise<void>;

export function contentChecker(pool: PdfWorkerPool | null): ContentChecker {
  const inThread = new Semaphore(2);
  return async (filePath, mediaType, known) => {
    if (mediaType === 'image/jpeg') return checkJpeg(filePath, known);
    if (pool) {
      if (checkPdfQuickly(filePath)) return;
      return pool.check(filePath);
    }
    return inThread.run(() => checkPdf(filePath));
  };
}
