/**
 * The PDF-check worker thread's own small bundle (dist/server/pdf-worker.js): the scan and
 * nothing of the server, so each worker costs a few megabytes, not a second copy of Fastify,
 * SQLite and pdf-lib.
 */
import { runPdfWorkerIfAsked } from './pdf-workers';

runPdfWorkerIfAsked();
