/**
 * Where uploaded bytes live: one file per document under DATA/blobs. A body is streamed to a
 * temporary file (digest and size checked on the way, never held whole in memory), fsynced,
 * then renamed into place and the folder fsynced, so that once the database row commits the
 * bytes are already durable. Files without a row (a crash between rename and commit) are swept
 * at start.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AppError } from '../src-shared/errors';

export interface IngestLimits {
  maxBytes: number;
  /** The SHA-256 the client declared (Content-Digest), 32 bytes. */
  expectedSha256: Buffer;
}

export interface IngestedFile {
  tmpPath: string;
  bytes: number;
  sha256: string;
  /** The first bytes, to read the file type from. */
  head: Buffer;
}

const HEAD_BYTES = 1024;

/**
 * The end of an upload's stream: hashes, counts and writes each chunk straight to the file
 * (one stream hop, no intermediate buffer), fails as soon as the size limit is passed, and
 * fsyncs before it reports finished.
 */
class HashingFileSink extends Writable {
  readonly hash = createHash('sha256');
  bytes = 0;
  private headParts: Buffer[] = [];
  private headLength = 0;
  private file: FileHandle | null = null;

  constructor(
    private readonly filePath: string,
    private readonly maxBytes: number,
  ) {
    super({ highWaterMark: 256 * 1024 });
  }

  override _construct(done: (error?: Error | null) => void): void {
    open(this.filePath, 'wx', 0o600).then(
      (file) => {
        this.file = file;
        done();
      },
      (err: Error) => done(err),
    );
  }

  private take(chunks: Buffer[]): Error | null {
    for (const chunk of chunks) {
      this.bytes += chunk.length;
      if (this.bytes > this.maxBytes) return new AppError('file_too_large', undefined, { maxBytes: this.maxBytes });
      if (this.headLength < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
        this.headParts.push(Buffer.from(part));
        this.headLength += part.length;
      }
      this.hash.update(chunk);
    }
    return null;
  }

  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    const buffers = chunks.map((c) => c.chunk);
    const refused = this.take(buffers);
    if (refused) return done(refused);
    this.file!.writev(buffers).then(() => done(), (err: Error) => done(err));
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this._writev([{ chunk }], done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.file!.sync().then(() => done(), (err: Error) => done(err));
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    const file = this.file;
    this.file = null;
    if (!file) return done(error);
    file.close().then(() => done(error), () => done(error));
  }

  head(): Buffer {
    return Buffer.concat(this.headParts);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class BlobStore {
  protected readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.tmpDir = path.join(root, 'tmp');
    mkdirSync(this.tmpDir, { recursive: true });
  }

  private finalPath(id: string): string {
    return path.join(this.root, id.slice(0, 2), id);
  }

  /**
   * Streams `body` to a temporary file. Throws AppError file_too_large as soon as the limit is
   * passed, digest_mismatch when the bytes are not the declared ones; the temporary file is
   * gone in both cases.
   */
  async ingest(id: string, body: Readable, limits: IngestLimits): Promise<IngestedFile> {
    const tmpPath = path.join(this.tmpDir, `${id}.part`);
    const sink = new HashingFileSink(tmpPath, limits.maxBytes);
    let ok = false;
    try {
      // The request is piped, not put in a pipeline: a refused body must not destroy the
      // request (and its socket) before the problem answer reaches the client.
      const aborted = () => sink.destroy(new Error('request body aborted'));
      const onClose = () => {
        if (!(body as Readable & { complete?: boolean }).complete) aborted();
      };
      body.once('error', aborted);
      body.once('close', onClose);
      body.pipe(sink);
      try {
        await finished(sink);
      } finally {
        body.unpipe(sink);
        body.off('error', aborted);
        body.off('close', onClose);
        if (!sink.destroyed) sink.destroy();
      }
      const digest = sink.hash.digest();
      if (!digest.equals(limits.expectedSha256)) throw new AppError('digest_mismatch');
      ok = true;
      return { tmpPath, bytes: sink.bytes, sha256: digest.toString('hex'), head: sink.head() };
    } finally {
      if (!ok) await rm(tmpPath, { force: true });
    }
  }

  /**
   * Moves a checked temporary file into place, durably. `sha256` is what ingest measured; a
   * store that copies the bytes elsewhere (PostgreSQL) checks its copy against it.
   */
  async commit(tmpPath: string, id: string, _sha256?: string): Promise<void> {
    const target = this.finalPath(id);
    const dir = path.dirname(target);
    mkdirSync(dir, { recursive: true });
    await rename(tmpPath, target);
    await fsyncDir(dir);
  }

  async discardTemp(tmpPath: string): Promise<void> {
    await rm(tmpPath, { force: true });
  }

  async remove(id: string): Promise<void> {
    await unlink(this.finalPath(id)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async size(id: string): Promise<number | null> {
    try {
      return (await stat(this.finalPath(id))).size;
    } catch {
      return null;
    }
  }

  read(id: string): Readable {
    return createReadStream(this.finalPath(id));
  }

  /** Deletes temporary files and blobs no document row names (left by a crash). */
  async sweep(knownIds: Set<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.tmpDir)) {
      await rm(path.join(this.tmpDir, name), { force: true });
      removed++;
    }
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'tmp') continue;
      const dir = path.join(this.root, entry.name);
      for (const name of await readdir(dir)) {
        if (knownIds.has(name)) continue;
        await rm(path.join(dir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
