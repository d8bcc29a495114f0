/**
 * Removing a candidate's files. Plain removal: on SSDs (wear levelling) and journaling file
 * systems, overwriting before unlinking gives no real guarantee, so none is pretended; what
 * matters is that every copy the app made is gone and that nothing else (settings, logs)
 * ever held the data. Retries cover files briefly held by an antivirus or an indexer on Windows.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** Empties `dir` (kept, so that stores can recreate their folders). Answers what could not go. */
export async function emptyFolder(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const left: string[] = [];
  for (const name of names) {
    const target = path.join(dir, name);
    try {
      await rm(target, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      left.push(target);
    }
  }
  return left;
}

export async function removeFiles(files: Iterable<string>): Promise<string[]> {
  const left: string[] = [];
  for (const file of files) {
    try {
      await rm(file, { force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      left.push(file);
    }
  }
  return left;
}
