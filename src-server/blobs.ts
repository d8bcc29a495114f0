/**
 * Where uploaded bytes live: one file per document under DATA/blobs. A body is streamed to a
 * temporary file (digest and size checked on the way, never held whole in memory), fsynced,
 * then renamed into place and the folder fsynced, so that once the database row commits the
 * bytes are already durable. Files without a row (a crash between rename and commit) are swept
 * at start.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, type ReadStream } from 'node:fs';
import { open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
const WRITE_CHUNK = 1024 * 1024;

class Meter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  private headParts: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly maxBytes: number) {
    super({ highWaterMark: WRITE_CHUNK });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(new AppError('file_too_large', undefined, { maxBytes: this.maxBytes }));
      return;
    }
    if (this.headLength < HEAD_BYTES) {
      this.headParts.push(chunk.subarray(0, HEAD_BYTES - this.headLength));
      this.headLength += Math.min(chunk.length, HEAD_BYTES - this.headLength);
    }
    this.hash.update(chunk);
    done(null, chunk);
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
  private readonly tmpDir: string;

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
    const meter = new Meter(limits.maxBytes);
    let ok = false;
    try {
      // `flush` fsyncs the file before the stream closes, and pipeline waits for that close.
      // The request is piped, not put in the pipeline: a refused body must not destroy the
      // request (and its socket) before the problem answer reaches the client.
      const aborted = () => meter.destroy(new Error('request body aborted'));
      const onClose = () => {
        if (!(body as Readable & { complete?: boolean }).complete) aborted();
      };
      body.once('error', aborted);
      body.once('close', onClose);
      body.pipe(meter);
      try {
        await pipeline(meter, createWriteStream(tmpPath, { flags: 'wx', mode: 0o600, flush: true, highWaterMark: WRITE_CHUNK }));
      } finally {
        body.unpipe(meter);
        body.off('error', aborted);
        body.off('close', onClose);
      }
      const digest = meter.hash.digest();
      if (!digest.equals(limits.expectedSha256)) throw new AppError('digest_mismatch');
      ok = true;
      return { tmpPath, bytes: meter.bytes, sha256: digest.toString('hex'), head: meter.head() };
    } finally {
      if (!ok) await rm(tmpPath, { force: true });
    }
  }

  /** Moves a checked temporary file into place, durably. */
  async commit(tmpPath: string, id: string): Promise<void> {
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

  read(id: string): ReadStream {
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
