/** A checker of files on disk run on bytes: what it says, as the code of its refusal or 'ok'. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { tempDir } from './server-helpers';

/** `outcome(bytes)` writes the bytes to a fresh file and runs `check` on it; files go after the suite. */
export function checkOutcomes(prefix: string, extension: string, check: (file: string) => Promise<void>) {
  const temp = tempDir(prefix);
  afterAll(() => temp.remove());
  let fileCount = 0;
  /** A new file name in the suite's folder. */
  const nextFile = (stem = 'case') => path.join(temp.dir, `${stem}-${fileCount++}${extension}`);
  return {
    nextFile,
    async outcome(bytes: Uint8Array): Promise<string> {
      const file = nextFile();
      writeFileSync(file, bytes);
      try {
        await check(file);
        return 'ok';
      } catch (err) {
        return (err as { code?: string }).code ?? `thrown: ${String(err)}`;
      }
    },
  };
}
