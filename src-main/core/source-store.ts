/**
 * The files a person chose for one document, kept in the workspace while they arrange the
 * pages (rotate, reorder, remove), so that each rebuild does not need them sent again.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InputFile } from '../../src-shared/assistant-api';
import { AppError } from '../../src-shared/errors';
import { removeEntriesOlderThan } from './old-entries';

export class SourceStore {
  constructor(private readonly dir: string) {}

  private folder(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('prepared_not_found');
    return path.join(this.dir, id);
  }

  async save(files: InputFile[]): Promise<string> {
    const id = randomUUID();
    const folder = this.folder(id);
    await mkdir(folder, { recursive: true });
    await Promise.all(files.map((f, i) => writeFile(path.join(folder, `${i}.bin`), f.bytes)));
    await writeFile(path.join(folder, 'names.json'), JSON.stringify(files.map((f) => f.name)));
    return id;
  }

  async load(id: string): Promise<InputFile[]> {
    const folder = this.folder(id);
    try {
      const names = JSON.parse(await readFile(path.join(folder, 'names.json'), 'utf8')) as string[];
      return await Promise.all(
        names.map(async (name, i) => ({ name, bytes: new Uint8Array(await readFile(path.join(folder, `${i}.bin`))) })),
      );
    } catch {
      throw new AppError('prepared_not_found');
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.folder(id), { recursive: true, force: true });
  }

  /**
   * Removes chosen files left from earlier sessions. They are kept after a discard on purpose
   * (the person may rearrange the pages and build again), so age is what ends them.
   */
  sweep(olderThan: Date): Promise<number> {
    return removeEntriesOlderThan(this.dir, olderThan);
  }
}
