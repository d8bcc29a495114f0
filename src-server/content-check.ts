/**
 * The checks a stored file must pass, by type read from its bytes. A PDF whose scan fits a
 * small budget is checked here (checkPdfQuickly); others wait their turn in a queue fair
 * between dossiers (check-queue.ts), then go to worker threads when the server runs from its
 * bundle (see pdf-workers.ts), or (tests, tools) are checked here, with synchronous reads
 * that briefly hold the event loop.
 */
import type { AcceptedMediaType } from '../src-shared/contract';
import { checkJpeg, checkPdf, checkPdfQuickly, type KnownBytes } from '../src-formats';
import { CHECK_QUEUE_LIMITS, FairQueue, type FairQueueLimits } from './check-queue';
import type { PdfWorkerPool } from './pdf-workers';

/**
 * `owner`: the dossier the file belongs to, whose checks take turns with other dossiers'.
 * `known`: what the upload holds in memory of the file, to spare reading it again.
 */
export type ContentChecker = (filePath: string, mediaType: AcceptedMediaType, owner: string, known?: KnownBytes) => Promise<void>;

export function contentChecker(pool: PdfWorkerPool | null, limits: Partial<FairQueueLimits> = {}): ContentChecker {
  const queue = new FairQueue({ ...CHECK_QUEUE_LIMITS, ...(pool ? { concurrency: pool.size } : {}), ...limits });
  return async (filePath, mediaType, owner, known) => {
    if (mediaType === 'image/jpeg') return checkJpeg(filePath, known);
    if (pool) {
      if (checkPdfQuickly(filePath)) return;
      return queue.run(owner, () => pool.check(filePath));
    }
    return queue.run(owner, () => checkPdf(filePath));
  };
}
