import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLog, LOG_FILE_NAME } from '../../../../src-main/core/log-file';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'log-file-'));
const lines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { attempt: number });

describe('the log file', () => {
  it('rotates by size and keeps only the last files', async () => {
    const dir = await tmp();
    const log = createFileLog({ dir, maxBytes: 1000, files: 3 });
    for (let attempt = 0; attempt < 100; attempt++) log.warn('queue.retry_failed', { code: 'network_unavailable', attempt });
    const names = (await readdir(dir)).sort();
    expect(names).toEqual([LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`]);
    for (const name of names) expect((await readFile(path.join(dir, name))).byteLength).toBeLessThanOrEqual(1000);
    // Newest last in the current file; the rotated ones hold what came just before, with no gap.
    const current = await lines(path.join(dir, LOG_FILE_NAME));
    const previous = await lines(path.join(dir, `${LOG_FILE_NAME}.1`));
    const older = await lines(path.join(dir, `${LOG_FILE_NAME}.2`));
    expect(current.at(-1)!.attempt).toBe(99);
    expect(previous.at(-1)!.attempt + 1).toBe(current[0]!.attempt);
    expect(older.at(-1)!.attempt + 1).toBe(previous[0]!.attempt);
  });

  it('goes on after a restart: appends, and the report finds the earlier warnings', async () => {
    const dir = await tmp();
    createFileLog({ dir }).error('engine.worker_exit', { exitCode: 75 });
    const again = createFileLog({ dir });
    again.info('app.started');
    expect(again.recent().map((e) => e.event)).toEqual(['engine.worker_exit']);
    expect((await readFile(again.file, 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('never writes a secret, even handed in by mistake', async () => {
    const dir = await tmp();
    const log = createFileLog({ dir });
    log.error('login.failed', { password: 'hunter2', token: 'tok', filename: 'diplome-lea.pdf', detail: 'Léa Martin', note: 'q3N9xZk2LmP0vR7tY1sW' });
    const text = await readFile(log.file, 'utf8');
    for (const secret of ['hunter2', 'tok"', 'diplome', 'Léa', 'q3N9xZk2LmP0vR7tY1sW']) expect(text).not.toContain(secret);
  });

  it('a folder it cannot write says so once and does not throw', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'blocked'), 'a file where the folder should be');
    const said: unknown[] = [];
    const log = createFileLog({ dir: path.join(dir, 'blocked'), onWriteError: (e) => said.push(e) });
    log.warn('a');
    log.warn('b');
    expect(said).toHaveLength(1);
    expect(log.recent()).toHaveLength(2);
  });
});
