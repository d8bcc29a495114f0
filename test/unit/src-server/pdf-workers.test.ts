/** The PDF worker pool: answers pass through, a hung check is stopped and the worker replaced. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PdfWorkerPool } from '../../../src-server/pdf-workers';
import { tempDir } from '../../support/server-helpers';

// A stand-in for the bundled server script, speaking the pool's protocol.
const FAKE_WORKER = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (file) => {
  if (file.includes('hang')) for (;;) {}
  if (file.includes('crash')) process.exit(3);
  parentPort.postMessage(file.includes('secret') ? { ok: false, code: 'pdf_encrypted' } : { ok: true });
});
`;

describe('PDF worker pool', () => {
  let pool: PdfWorkerPool | null = null;
  const temp = tempDir();
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });
  afterAll(() => temp.remove());

  it('passes answers through, stops a hung check, survives a crash', async () => {
    const script = path.join(temp.dir, 'worker.mjs');
    writeFileSync(script, FAKE_WORKER);
    // A time limit generous enough for a worker to start on a loaded 2-core machine.
    pool = new PdfWorkerPool(script, 1, 3000);
    await expect(pool.check('/x/fine.pdf')).resolves.toBeUndefined();
    await expect(pool.check('/x/secret.pdf')).rejects.toMatchObject({ code: 'pdf_encrypted' });
    const started = Date.now();
    await expect(pool.check('/x/hang.pdf')).rejects.toMatchObject({ code: 'pdf_too_complex' });
    expect(Date.now() - started).toBeLessThan(15_000);
    await expect(pool.check('/x/fine.pdf')).resolves.toBeUndefined();
    await expect(pool.check('/x/crash.pdf')).rejects.toMatchObject({ code: 'file_corrupt' });
    // Queued behind one another on a single worker, each gets its own answer.
    const results = await Promise.allSettled(['a.pdf', 'secret.pdf', 'b.pdf'].map((f) => pool!.check(`/x/${f}`)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
