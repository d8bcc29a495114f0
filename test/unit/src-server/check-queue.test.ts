/**
 * Issue 14, item 5: one candidate's PDFs cannot delay another's. The queue of PDF checks
 * serves dossiers in turn, runs at most one check per dossier at once, and is bounded: past
 * the bound an upload is answered `overloaded` with Retry-After instead of waiting forever.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_QUEUE_LIMITS, FairQueue } from '../../../src-server/check-queue';
import { makeTestApp, tempDir } from '../../support/server-helpers';
import { pdf } from '../../support/pdf-bytes';

/** A task that ends when the test says so, and says when it started. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { task: () => (log.push(name), done), open: () => open() };
}

describe('the queue of PDF checks', () => {
  it('serves dossiers in turn: a flood from one does not delay another', async () => {
    const queue = new FairQueue({ ...CHECK_QUEUE_LIMITS, concurrency: 1 });
    const started: string[] = [];
    const gates = ['A1', 'A2', 'A3', 'A4', 'A5'].map((name) => gate(started, name));
    const floods = gates.map((g) => queue.run('A', g.task));
    const other = gate(started, 'B1');
    const genuine = queue.run('B', other.task);
    // A's sixth while A has one running and four waiting: refused at once, to be retried.
    await expect(queue.run('A', async () => undefined)).rejects.toMatchObject({ code: 'overloaded', extra: { retryAfterSeconds: 5 } });
    gates[0]!.open();
    await floods[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['A1', 'B1']);
    other.open();
    await genuine;
    for (const g of gates) g.open();
    await Promise.all(floods);
    expect(started).toEqual(['A1', 'B1', 'A2', 'A3', 'A4', 'A5']);
  });

  it('bounds the waiting checks of all dossiers together', async () => {
    const queue = new FairQueue({ ...CHECK_QUEUE_LIMITS, concurrency: 1, maxWaiting: 2 });
    const started: string[] = [];
    const gates = ['A', 'B', 'C'].map((owner) => gate(started, owner));
    const runs = gates.map((g, i) => queue.run(['A', 'B', 'C'][i]!, g.task));
    await expect(queue.run('D', async () => undefined)).rejects.toMatchObject({ code: 'overloaded' });
    for (const g of gates) g.open();
    await Promise.all(runs);
    expect(started).toEqual(['A', 'B', 'C']);
  });
});

describe('PDF checks through HTTP while one dossier floods', () => {
  const temp = tempDir();
  afterAll(() => temp.remove());

  it("another dossier's genuine PDF is checked before the flood's", async () => {
    // A stand-in for the worker bundle: every check takes the same 300 ms.
    const script = path.join(temp.dir, 'slow-worker.mjs');
    writeFileSync(script, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => setTimeout(() => parentPort.postMessage({ ok: true }), 300));\n");
    // The event-loop guard is for another test: here only the check queue may answer 503.
    const t = await makeTestApp({ pdfWorkerScript: script, limits: { maxEventLoopDelayMs: 600_000 } });
    try {
      const [flooder, other] = [await t.login('T-001'), await t.login('T-002')];
      // Genuine files with many small objects: past the quick check's budget, so each goes
      // to the worker queue (distinct bytes, so none is taken for a retry).
      const many = (label: string) => pdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>', ...Array.from({ length: 20_000 }, (_, i) => `<< /N ${i} /L (${label}) >>`)]);
      const finished: string[] = [];
      const flood = Array.from({ length: 7 }, (_, i) =>
        t.upload(flooder, 'diplome', many(`a${i}`)).then((res) => {
          finished.push(`A:${res.statusCode}`);
          return res;
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const genuine = await t.upload(other, 'diplome', many('b'));
      finished.push(`B:${genuine.statusCode}`);
      const answers = await Promise.all(flood);
      expect(genuine.statusCode).toBe(201);
      // In arrival order, the other dossier's check would come after the five of the flood
      // (one running, four waiting); taking turns, it comes after the one or two that had
      // started when it arrived.
      expect(finished.slice(0, finished.indexOf('B:201')).filter((f) => f === 'A:201').length).toBeLessThanOrEqual(2);
      // The flood beyond one running and four waiting is told to come back later.
      const refused = answers.filter((res) => res.statusCode === 503);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0]!.json()).toMatchObject({ code: 'overloaded' });
      expect(refused[0]!.headers['retry-after']).toBeDefined();
    } finally {
      await t.close();
    }
  });
});
