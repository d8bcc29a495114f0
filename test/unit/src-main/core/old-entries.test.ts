import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeEntriesOlderThan } from '../../../../src-main/core/old-entries';

describe('removeEntriesOlderThan (leftovers of the prepared and chosen files)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'old-entries-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('removes old files and old folders with their content, and keeps recent ones', async () => {
    const cutoff = new Date(Date.now() - 3_600_000);
    const old = new Date(cutoff.getTime() - 1000);
    await writeFile(path.join(dir, 'old.bin'), 'x');
    await mkdir(path.join(dir, 'old-folder'));
    await writeFile(path.join(dir, 'old-folder', 'page.jpg'), 'y');
    await writeFile(path.join(dir, 'recent.bin'), 'z');
    await utimes(path.join(dir, 'old.bin'), old, old);
    await utimes(path.join(dir, 'old-folder'), old, old);

    expect(await removeEntriesOlderThan(dir, cutoff)).toBe(2);
    expect(await readdir(dir)).toEqual(['recent.bin']);
  });

  it('finds nothing to remove in a folder that does not exist', async () => {
    expect(await removeEntriesOlderThan(path.join(dir, 'missing'), new Date())).toBe(0);
  });
});
