import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Removes the files and folders directly in `dir` last modified before `olderThan` (a missing
 * `dir` holds none); answers how many. What the workspace keeps only for a while ends this way.
 */
export async function removeEntriesOlderThan(dir: string, olderThan: Date): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const entry = path.join(dir, name);
    const info = await stat(entry).catch(() => null);
    if (info && info.mtime < olderThan) {
      await rm(entry, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
