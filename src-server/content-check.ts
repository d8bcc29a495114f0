/**
 * The checks a stored file must pass, by type read from its bytes. PDF parsing holds the
 * whole file in memory, so at most a few run at once: memory stays bounded however many
 * uploads arrive together.
 */
import { availableParallelism } from 'node:os';
import type { AcceptedMediaType } from '../src-shared/contract';
import { checkJpeg } from './jpeg-check';
import { checkPdf } from './pdf-check';

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

const pdfChecks = new Semaphore(Math.max(1, Math.min(4, availableParallelism())));

export async function checkContent(filePath: string, mediaType: AcceptedMediaType): Promise<void> {
  if (mediaType === 'image/jpeg') return checkJpeg(filePath);
  return pdfChecks.run(() => checkPdf(filePath));
}
