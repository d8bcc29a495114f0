import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueItem, QueueView } from '../../../../src-shared/assistant-api';
import type { DocumentInfo } from '../../../../src-shared/contract';
import { AppError } from '../../../../src-shared/errors';
import { classify, UploadQueue, type UploadQueueOptions } from '../../../../src-main/core/upload-queue';
import { dossierDir } from '../../../../src-main/core/workspace';

const queues: UploadQueue[] = [];
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
});

function docFor(item: QueueItem): DocumentInfo {
  return {
    id: `doc-${item.sha256.slice(0, 8)}`,
    filename: item.filename,
    mediaType: item.mediaType,
    bytes: item.bytes,
    sha256: item.sha256,
    uploadedAt: new Date().toISOString(),
    late: false,
  };
}

/** A server stand-in: answers as told, records what arrived. */
function fakeServer() {
  const answers: (Error | 'ok')[] = [];
  const received: { id: string; bytes: number[] }[] = [];
  return {
    answers,
    received,
    upload: async (item: QueueItem, bytes: Uint8Array) => {
      const next = answers.shift() ?? 'ok';
      if (next !== 'ok') throw next;
      received.push({ id: item.id, bytes: [...bytes] });
      return docFor(item);
    },
  };
}

async function makeQueue(workspaceDir: string, upload: UploadQueueOptions['upload'], views: QueueView[] = []) {
  const queue = new UploadQueue({ workspaceDir, upload, onChange: (v) => views.push(v), baseDelayMs: 20, maxDelayMs: 50 });
  queues.push(queue);
  await queue.open('RED27-00042');
  return queue;
}

function newItem(bytes: number[] = [1, 2, 3]) {
  return { id: randomUUID(), pieceId: 'cv', filename: 'cv.pdf', mediaType: 'application/pdf' as const, bytes: bytes.length, sha256: 'ab'.repeat(32) };
}

const outbox = (ws: string) => readdir(path.join(dossierDir(ws, 'RED27-00042'), 'outbox'));

describe('classify', () => {
  it.each([
    ['network_unavailable', 'retry'],
    ['overloaded', 'retry'],
    ['too_many_attempts', 'retry'],
    ['internal_error', 'retry'],
    ['unauthenticated', 'paused'],
    ['file_too_large', 'refused'],
    ['piece_full', 'refused'],
    ['deadline_passed', 'refused'],
    ['pdf_encrypted', 'refused'],
  ] as const)('%s -> %s', (code, outcome) => {
    expect(classify(new AppError(code))).toBe(outcome);
  });
});

describe('upload queue', () => {
  it('keeps the bytes durably, sends them, then removes its copy; each change is announced', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const server = fakeServer();
    const views: QueueView[] = [];
    const queue = await makeQueue(ws, server.upload, views);
    const item = await queue.enqueue(newItem([9, 8, 7]), new Uint8Array([9, 8, 7]));
    expect(item.state).toBe('pending');
    expect(await outbox(ws)).toEqual([`${item.id}.bin`]);
    const after = await queue.sendNow(item.id);
    expect(after.state).toBe('sent');
    expect(after.document?.id).toMatch(/^doc-/);
    expect(server.received).toEqual([{ id: item.id, bytes: [9, 8, 7] }]);
    expect(await outbox(ws)).toEqual([]);
    expect(views.map((v) => v.pending)).toContain(1);
    expect(views.at(-1)!.items[0]!.state).toBe('sent');
  });

  it('keeps a document pending with the reason while the network is down, and sends it later by itself', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const server = fakeServer();
    server.answers.push(new AppError('network_unavailable'), new AppError('overloaded', undefined, { retryAfter: 0 }));
    const queue = await makeQueue(ws, server.upload);
    const item = await queue.enqueue(newItem(), new Uint8Array([1, 2, 3]));
    const first = await queue.sendNow(item.id);
    expect(first).toMatchObject({ state: 'pending', attempts: 1, error: { code: 'network_unavailable' } });
    expect(first.nextAttemptAt).not.toBeNull();
    await expect.poll(() => queue.view().items[0]!.state, { timeout: 5000 }).toBe('sent');
    expect(server.received).toHaveLength(1);
    expect(queue.view().items[0]!.attempts).toBe(2);
  });

  it('closed (logout) during an attempt: announces no empty queue when the attempt ends', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    let fail: (error: Error) => void = () => undefined;
    let uploading: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (uploading = resolve));
    let attempts = 0;
    const upload = () => {
      uploading();
      // Only the first attempt hangs: the one the reopened queue makes (its retry falls due
      // within 50 ms) fails at once, else closing it after the test would wait for ever.
      if ((attempts += 1) > 1) return Promise.reject(new AppError('network_unavailable'));
      return new Promise<never>((_, reject) => (fail = reject));
    };
    const views: QueueView[] = [];
    const queue = await makeQueue(ws, upload, views);
    const item = await queue.enqueue(newItem(), new Uint8Array([1, 2, 3]));
    const sending = queue.sendNow(item.id).catch(() => undefined);
    await started;
    const announced = views.length;
    const closed = queue.close();
    fail(new AppError('network_unavailable'));
    await Promise.all([closed, sending]);
    expect(views.slice(announced)).toEqual([]);
    // Opened again (next login), it still holds the document, pending.
    await queue.open('RED27-00042');
    expect(views.at(-1)).toMatchObject({ dossier: 'RED27-00042', pending: 1 });
  });

  it('refuses for good on a final answer, drops the bytes and never tries again', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const server = fakeServer();
    server.answers.push(new AppError('file_too_large'));
    const queue = await makeQueue(ws, server.upload);
    const item = await queue.enqueue(newItem(), new Uint8Array([1]));
    const after = await queue.sendNow(item.id);
    expect(after).toMatchObject({ state: 'refused', error: { code: 'file_too_large' } });
    await queue.retryAll();
    expect(server.received).toHaveLength(0);
    expect(await outbox(ws)).toEqual([]);
    const view = await queue.dismiss(item.id);
    expect(view.items).toEqual([]);
  });

  it('will not dismiss what is still pending', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const queue = await makeQueue(ws, async () => {
      throw new AppError('network_unavailable');
    });
    const item = await queue.enqueue(newItem(), new Uint8Array([1]));
    await expect(queue.dismiss(item.id)).rejects.toMatchObject({ code: 'upload_in_progress' });
  });

  it('pauses on an expired session without counting it, and resumes at the next login', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const server = fakeServer();
    server.answers.push(new AppError('unauthenticated'));
    const queue = await makeQueue(ws, server.upload);
    const item = await queue.enqueue(newItem(), new Uint8Array([1]));
    expect(await queue.sendNow(item.id)).toMatchObject({ state: 'pending', attempts: 0, error: { code: 'unauthenticated' } });
    await queue.open('RED27-00042');
    await expect.poll(() => queue.view().items[0]!.state).toBe('sent');
    expect(queue.view().items[0]!.attempts).toBe(0);
  });

  it('adding the same item twice keeps one entry and sends once', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const server = fakeServer();
    const queue = await makeQueue(ws, server.upload);
    const item = newItem();
    await queue.enqueue(item, new Uint8Array([1]));
    await queue.enqueue(item, new Uint8Array([1]));
    await Promise.all([queue.sendNow(item.id), queue.sendNow(item.id), queue.drain()]);
    expect(queue.view().items).toHaveLength(1);
    expect(server.received).toHaveLength(1);
  });

  it('resumes after a restart: what was pending is sent by the next run', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const down = await makeQueue(ws, async () => {
      throw new AppError('network_unavailable');
    });
    const item = await down.enqueue(newItem([4, 5]), new Uint8Array([4, 5]));
    await down.sendNow(item.id);
    await down.close();
    const server = fakeServer();
    const next = await makeQueue(ws, server.upload);
    await expect.poll(() => next.view().items[0]?.state).toBe('sent');
    expect(server.received).toEqual([{ id: item.id, bytes: [4, 5] }]);
  });

  it('keeps the document a replacement replaces across a restart, and hands it to the upload', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const down = await makeQueue(ws, async () => {
      throw new AppError('network_unavailable');
    });
    const item = await down.enqueue({ ...newItem([6]), replaces: 'ancien-document' }, new Uint8Array([6]));
    await down.sendNow(item.id);
    await down.close();
    const seen: (string | null)[] = [];
    const server = fakeServer();
    const next = await makeQueue(ws, (queued, bytes) => {
      seen.push(queued.replaces);
      return server.upload(queued, bytes);
    });
    await expect.poll(() => next.view().items[0]?.state).toBe('sent');
    expect(seen).toEqual(['ancien-document']);
    expect(next.view().items[0]!.replaces).toBe('ancien-document');
  });

  it("opens a journal written before replacements existed: its items are additions", async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const folder = dossierDir(ws, 'RED27-00042');
    await mkdir(path.join(folder, 'outbox'), { recursive: true });
    const id = randomUUID();
    const old = new Database(path.join(folder, 'queue.sqlite'));
    old.exec(`CREATE TABLE items (id TEXT PRIMARY KEY, piece_id TEXT NOT NULL, filename TEXT NOT NULL, media_type TEXT NOT NULL,
      bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER, error TEXT, document TEXT, queued_at INTEGER NOT NULL)`);
    old.prepare(`INSERT INTO items (id, piece_id, filename, media_type, bytes, sha256, state, queued_at)
      VALUES (?, 'cv', 'cv.pdf', 'application/pdf', 1, ?, 'pending', 0)`).run(id, 'ab'.repeat(32));
    old.close();
    await writeFile(path.join(folder, 'outbox', `${id}.bin`), new Uint8Array([7]));
    const server = fakeServer();
    const queue = await makeQueue(ws, server.upload);
    await expect.poll(() => queue.view().items[0]?.state).toBe('sent');
    expect(queue.view().items[0]!.replaces).toBeNull();
    expect(server.received).toEqual([{ id, bytes: [7] }]);
  });

  it('drops bytes a kill left without their journal entry, and keeps each dossier apart', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-'));
    const folder = path.join(dossierDir(ws, 'RED27-00042'), 'outbox');
    const first = await makeQueue(ws, fakeServer().upload);
    await first.close();
    const orphan = path.join(folder, `${randomUUID()}.bin`);
    await writeFile(orphan, 'half');
    const queue = await makeQueue(ws, fakeServer().upload);
    expect(existsSync(orphan)).toBe(false);
    await queue.open('OTHER-1');
    expect(queue.view()).toEqual({ dossier: 'OTHER-1', items: [], pending: 0 });
  });
});

describe('upload queue: what an update must not cut', () => {
  it('says it is uploading only while a document is on its way, not while one waits for its next try', async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'queue-uploading-'));
    let answer: (outcome: 'ok' | Error) => void = () => {};
    let hold = true;
    const queue = await makeQueue(ws, async (item) =>
      // Only the first attempt is held: the retry that follows goes through at once.
      hold
        ? new Promise((resolve, reject) => {
            hold = false;
            answer = (outcome) => (outcome === 'ok' ? resolve(docFor(item)) : reject(outcome));
          })
        : docFor(item),
    );
    expect(queue.uploading).toBe(false);
    const item = await queue.enqueue(newItem(), new Uint8Array([1, 2, 3]));
    const first = queue.sendNow(item.id);
    await expect.poll(() => queue.uploading).toBe(true);
    answer(new AppError('network_unavailable'));
    expect((await first).state).toBe('pending');
    expect(queue.uploading).toBe(false);
  });
});
