/**
 * Where uploaded bytes live: one file per document under DATA/blobs. A body is streamed to a
 * temporary file (digest and size checked on the way, never held whole in memory), renamed
 * into place once checked, and both the file and its folder fsynced, so that once the database
 * row commits the bytes are already durable. Files without a row (a crash between rename and
 * commit) are swept at start.
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
  /** The first bytes: the file type, and the JPEG check's marker segments in nearly every photo. */
  head: Buffer;
  /** The last bytes, where the JPEG check finds the end of image. */
  tail: Buffer;
}

/** Enough for a photo's EXIF block with its thumbnail (at most 64 KiB), ICC profile and tables. */
const HEAD_BYTES = 128 * 1024;
const TAIL_BYTES = 16 * 1024;

/** writev may write less than asked (rare for a file, allowed by POSIX): write the rest. */
async function writeAll(file: FileHandle, buffers: Buffer[]): Promise<void> {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  let done = 0;
  while (done < total) {
    let skip = done;
    const rest: Buffer[] = [];
    for (const b of buffers) {
      if (skip >= b.length) skip -= b.length;
      else {
        rest.push(skip > 0 ? b.subarray(skip) : b);
        skip = 0;
      }
    }
    const { bytesWritten } = await file.writev(rest);
    if (bytesWritten === 0) throw new Error('nothing written');
    done += bytesWritten;
  }
}

/**
 * The end of an upload's stream: hashes, counts and writes each chunk straight to the file
 * (one stream hop, no intermediate buffer), fails as soon as the size limit is passed, and
 * starts the fsync when finished.
 *
 * The hash runs here, on the event loop (about 4 ms per 5 MB with the CPU's SHA extensions).
 * A hashing thread reading the written bytes back was tried: on a 2-core machine its wake-ups
 * and second V8 cost more than they saved (same throughput, more CPU and memory).
 */
class HashingFileSink extends Writable {
  bytes = 0;
  /** Set once finished: the SHA-256 of the file's bytes. */
  sha256: Buffer | null = null;
  /** Set once finished: the file's fsync (its handle closes once it is done). */
  synced: Promise<void> | null = null;
  /** Views of the first chunks, not copies (nothing changes a chunk once received); head() copies once. */
  private headParts: Buffer[] = [];
  private headLength = 0;
  /** The last chunks received, at least TAIL_BYTES together when the file is that long. */
  private tailParts: Buffer[] = [];
  private tailLength = 0;
  private file: FileHandle | null = null;
  private readonly hash = createHash('sha256');

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
        this.headParts.push(part);
        this.headLength += part.length;
      }
      this.hash.update(chunk);
      this.tailParts.push(chunk);
      this.tailLength += chunk.length;
      while (this.tailLength - this.tailParts[0]!.length >= TAIL_BYTES) this.tailLength -= this.tailParts.shift()!.length;
    }
    return null;
  }

  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    const buffers = chunks.map((c) => c.chunk);
    const refused = this.take(buffers);
    if (refused) return done(refused);
    writeAll(this.file!, buffers).then(() => done(), (err: Error) => done(err));
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this._writev([{ chunk }], done);
  }

  override _final(done: (error?: Error | null) => void): void {
    // The fsync is not waited for here: it runs while the bytes are checked and renamed into
    // place, and commit() waits for it before the document's row is written.
    this.synced = this.file!.sync();
    this.synced.catch(() => undefined);
    this.sha256 = this.hash.digest();
    done();
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

  tail(): Buffer {
    const parts = Buffer.concat(this.tailParts);
    return parts.subarray(Math.max(0, parts.length - TAIL_BYTES));
  }
}

/** Where a document's bytes live under a blob folder (`blobs/` of a data folder or of a backup). */
export function blobFile(root: string, id: string): string {
  return path.join(root, id.slice(0, 2), id);
}

export class BlobStore {
  protected readonly tmpDir: string;
  /**
   * The blob folders (256 at most), kept open: the rename into a folder is made durable by
   * fsyncing it, and reopening it for every upload cost two more trips to the thread pool.
   */
  private readonly folders = new Map<string, Promise<FileHandle>>();
  /** The fsyncs of checked temporary files still running, by path, for commit() to wait for. */
  private readonly syncing = new Map<string, Promise<void>>();

  constructor(private readonly root: string) {
    this.tmpDir = path.join(root, 'tmp');
    mkdirSync(this.tmpDir, { recursive: true });
  }

  private finalPath(id: string): string {
    return blobFile(this.root, id);
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
      const digest = sink.sha256!;
      if (!digest.equals(limits.expectedSha256)) throw new AppError('digest_mismatch');
      ok = true;
      this.syncing.set(tmpPath, sink.synced!);
      return { tmpPath, bytes: sink.bytes, sha256: digest.toString('hex'), head: sink.head(), tail: sink.tail() };
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
    const synced = this.syncing.get(tmpPath);
    this.syncing.delete(tmpPath);
    const folder = await this.folder(path.dirname(target));
    await rename(tmpPath, target);
    // The file's own fsync and its folder's run together; both are done before the caller
    // writes the row, so a row never names bytes that a power cut could take back.
    try {
      await Promise.all([synced, folder.sync()]);
    } catch (err) {
      await rm(target, { force: true });
      throw err;
    }
  }

  private folder(dir: string): Promise<FileHandle> {
    let handle = this.folders.get(dir);
    if (!handle) {
      mkdirSync(dir, { recursive: true });
      handle = open(dir, 'r');
      this.folders.set(dir, handle);
      handle.catch(() => this.folders.delete(dir));
    }
    return handle;
  }

  /** Closes the folders (the server is closing). */
  async close(): Promise<void> {
    const folders = [...this.folders.values()];
    this.folders.clear();
    await Promise.all(folders.map((f) => f.then((h) => h.close(), () => undefined)));
  }

  async discardTemp(tmpPath: string): Promise<void> {
    this.syncing.delete(tmpPath);
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
