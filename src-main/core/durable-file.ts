/** Whole-file writes that a crash or a power cut cannot leave half done. */
import { open, rename } from 'node:fs/promises';
import path from 'node:path';

export async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDirectory(path.dirname(file));
}

/** The rename itself is durable only once the folder is flushed (POSIX; Windows has no folder handles). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
