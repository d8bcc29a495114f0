/**
 * Documents prepared on this computer and not yet sent: kept as files in the workspace, so
 * that what the candidate prepared survives a crash until the server has acknowledged it.
 * Writes go to a temporary name, are flushed, then renamed: a reader never sees half a file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PreparedDocument } from '../../src-shared/assistant-api';
import { AppError } from '../../src-shared/errors';

export class PreparedStore {
  constructor(private readonly dir: string) {}

  private paths(id: string) {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('prepared_not_found');
    return { data: path.join(this.dir, `${id}.bin`), meta: path.join(this.dir, `${id}.json`) };
  }

  async save(doc: Omit<PreparedDocument, 'id'>, bytes: Uint8Array): Promise<PreparedDocument> {
    await mkdir(this.dir, { recursive: true });
    const prepared: PreparedDocument = { id: randomUUID(), ...doc };
    const { data, meta } = this.paths(prepared.id);
    await writeDurably(data, bytes);
    await writeDurably(meta, Buffer.from(JSON.stringify(prepared)));
    return prepared;
  }

  async get(id: string): Promise<{ doc: PreparedDocument; bytes: Uint8Array }> {
    const { data, meta } = this.paths(id);
    try {
      const doc = JSON.parse(await readFile(meta, 'utf8')) as PreparedDocument;
      return { doc, bytes: new Uint8Array(await readFile(data)) };
    } catch {
      throw new AppError('prepared_not_found');
    }
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

async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}
