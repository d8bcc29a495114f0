/**
 * Documents prepared on this computer and not yet sent: kept as files in the workspace, so
 * that what the candidate prepared survives a crash until the server has acknowledged it.
 * Writes go to a temporary name, are flushed, then renamed: a reader never sees half a file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PreparedDocument } from '../../src-shared/assistant-api';
import { AppError } from '../../src-shared/errors';
import { writeDurably } from './durable-file';
import { removeEntriesOlderThan } from './old-entries';

export class PreparedStore {
  constructor(private readonly dir: string) {}

  private paths(id: string) {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('prepared_not_found');
    return { data: path.join(this.dir, `${id}.bin`), meta: path.join(this.dir, `${id}.json`) };
  }

  /** `sourceId`: the chosen files it was built from, removed once the document is sent. */
  async save(doc: Omit<PreparedDocument, 'id'>, bytes: Uint8Array, sourceId?: string): Promise<PreparedDocument> {
    await mkdir(this.dir, { recursive: true });
    const prepared: PreparedDocument = { id: randomUUID(), ...doc };
    const { data, meta } = this.paths(prepared.id);
    await writeDurably(data, bytes);
    await writeDurably(meta, Buffer.from(JSON.stringify({ ...prepared, sourceId })));
    return prepared;
  }

  async get(id: string): Promise<{ doc: PreparedDocument; bytes: Uint8Array; sourceId: string | undefined }> {
    const { data, meta } = this.paths(id);
    try {
      const { sourceId, ...doc } = JSON.parse(await readFile(meta, 'utf8')) as PreparedDocument & { sourceId?: string };
      return { doc, bytes: new Uint8Array(await readFile(data)), sourceId };
    } catch {
      throw new AppError('prepared_not_found');
    }
  }

  /** Removes what was prepared and neither sent nor discarded (the app was closed meanwhile) before `olderThan`. */
  sweep(olderThan: Date): Promise<number> {
    return removeEntriesOlderThan(this.dir, olderThan);
  }

  async list(): Promise<PreparedDocument[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const docs: PreparedDocument[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')))
      docs.push(JSON.parse(await readFile(path.join(this.dir, name), 'utf8')) as PreparedDocument);
    return docs;
  }

  async remove(id: string): Promise<void> {
    const { data, meta } = this.paths(id);
    // The metadata goes first: without it, a leftover data file is never listed.
    await rm(meta, { force: true });
    await rm(data, { force: true });
  }
}
