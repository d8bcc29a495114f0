/** The hashing thread: digests of files hashed while they grow, and its failures. */
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileHasher } from '../../src-server/file-hasher';
import { tempDir } from './server-helpers';

let temp: ReturnType<typeof tempDir>;
let hasher: FileHasher;
beforeEach(() => {
  temp = tempDir('depot-hasher-');
  hasher = new FileHasher();
});
afterEach(async () => {
  await hasher.close();
  temp.remove();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('FileHasher', () => {
  it('hashes files as they are written, many at once, whatever the steps', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ({ path: path.join(temp.dir, `f${i}`), bytes: randomBytes(300_000 + i * 77_777) }));
    const jobs = files.map((f) => {
      writeFileSync(f.path, '');
      return hasher.start(f.path);
    });
    // Interleave: each file grows by an uneven step, the hasher is told after each append.
    const written = files.map(() => 0);
    for (let step = 0; written.some((w, i) => w < files[i]!.bytes.length); step++)
      files.forEach((f, i) => {
        const next = Math.min(f.bytes.length, written[i]! + 10_000 + ((step * 7919 + i * 104_729) % 90_000));
        if (next === written[i]) return;
        appendFileSync(f.path, f.bytes.subarray(written[i], next));
        written[i] = next;
        if (step % 3 === i % 3) jobs[i]!.advance(next);
      });
    const digests = await Promise.all(jobs.map((job, i) => job.finish(files[i]!.bytes.length)));
    expect(digests.map((d) => d.toString('hex'))).toEqual(files.map((f) => sha256(f.bytes)));
  });

  it('hashes an empty file', async () => {
    const file = path.join(temp.dir, 'empty');
    writeFileSync(file, '');
    expect((await hasher.start(file).finish(0)).toString('hex')).toBe(sha256(Buffer.alloc(0)));
  });

  it('refuses a file shorter than what it was told, or missing', async () => {
    const file = path.join(temp.dir, 'short');
    writeFileSync(file, randomBytes(1000));
    await expect(hasher.start(file).finish(2000)).rejects.toThrow(/shorter/);
    await expect(hasher.start(path.join(temp.dir, 'missing')).finish(10)).rejects.toThrow(/ENOENT/);
    // The thread is still there for the next upload.
    expect((await hasher.start(file).finish(1000)).length).toBe(32);
  });

  it('answers nothing for a cancelled job, and a job of a stopped thread fails instead of waiting', async () => {
    const file = path.join(temp.dir, 'f');
    const bytes = randomBytes(5000);
    writeFileSync(file, bytes);
    hasher.start(file).cancel();
    const orphan = hasher.start(file);
    await hasher.close();
    await expect(orphan.finish(5000)).rejects.toThrow(/stopped/);
    // A new thread is started for the next file.
    expect((await hasher.start(file).finish(5000)).toString('hex')).toBe(sha256(bytes));
  });
});
