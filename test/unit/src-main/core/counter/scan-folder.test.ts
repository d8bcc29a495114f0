import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScanFolder } from '../../../../../src-main/core/counter/scan-folder';

let dir: string;
let folder: ScanFolder | null = null;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'counter-scans-'));
});
afterEach(async () => {
  await folder?.close();
  folder = null;
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(read: () => T, ok: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (ok(value) || Date.now() > until) return value;
    await sleep(50);
  }
}

describe('the counter scanner folder', () => {
  it('refuses a folder that does not exist, with the scanner message', async () => {
    folder = new ScanFolder(path.join(dir, 'absent'));
    await expect(folder.start()).rejects.toMatchObject({ code: 'scan_folder_unavailable' });
  });

  it('offers a scan only once its size is stable, and never a file still being written', async () => {
    await writeFile(path.join(dir, 'before.pdf'), 'left by someone earlier');
    folder = new ScanFolder(dir, { stableMs: 1200, pollMs: 50 });
    await folder.start();
    const file = path.join(dir, 'scan 001.pdf');
    await writeFile(file, '%PDF-1.7\n');
    // The scanner keeps writing: each append comes before the size has settled.
    for (let i = 0; i < 6; i++) {
      await sleep(100);
      expect(folder.list()).toEqual([]);
      await appendFile(file, Buffer.alloc(10_000, i));
    }
    const listed = await waitFor(() => folder!.list(), (l) => l.length > 0);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'scan 001.pdf', bytes: 9 + 60_000 });
    const [read] = await folder.read([listed[0]!.id]);
    expect(read!.name).toBe('scan 001.pdf');
    expect(read!.bytes.byteLength).toBe(60_009);
    // Files there before the session are not offered.
    expect(folder.list().map((s) => s.name)).not.toContain('before.pdf');
  });

  it('ignores temporary and hidden names, and drops a scan deleted from the folder', async () => {
    folder = new ScanFolder(dir, { stableMs: 200, pollMs: 50 });
    await folder.start();
    await writeFile(path.join(dir, 'scan.pdf.part'), 'partial');
    await writeFile(path.join(dir, '.hidden.jpg'), 'hidden');
    await writeFile(path.join(dir, 'ok.jpg'), 'jpeg bytes');
    const listed = await waitFor(() => folder!.list(), (l) => l.length > 0);
    await sleep(400);
    expect(folder.list().map((s) => s.name)).toEqual(['ok.jpg']);
    await rm(path.join(dir, 'ok.jpg'));
    await waitFor(() => folder!.list(), (l) => l.length === 0);
    expect(folder.list()).toEqual([]);
    await expect(folder.read([listed[0]!.id])).rejects.toMatchObject({ code: 'scan_not_found' });
  });

  it('clear() deletes this session\'s scans from the folder, and only those', async () => {
    await writeFile(path.join(dir, 'not-ours.txt'), 'kept');
    folder = new ScanFolder(dir, { stableMs: 200, pollMs: 50 });
    await folder.start();
    await writeFile(path.join(dir, 'a.jpg'), 'a');
    await writeFile(path.join(dir, 'b.pdf'), 'b');
    await waitFor(() => folder!.list(), (l) => l.length === 2);
    expect(await folder.clear()).toEqual([]);
    expect(folder.list()).toEqual([]);
    expect(await readdir(dir)).toEqual(['not-ours.txt']);
  });
});
