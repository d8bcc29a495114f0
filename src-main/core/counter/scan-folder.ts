/**
 * The counter's scanner folder: files the scanner saves there are offered for the current
 * document. chokidar rather than bare fs.watch: fs.watch reports renames and partial writes
 * differently on each system (and not at all on some network shares), while chokidar's
 * `awaitWriteFinish` only announces a file once its size has stayed the same for a while, so
 * that a scan still being written is never offered half done.
 */
import { watch, type FSWatcher } from 'chokidar';
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { InputFile } from '../../../src-shared/assistant-api';
import type { ScanInfo } from '../../../src-shared/counter';
import { AppError } from '../../../src-shared/errors';
import { removeFiles } from './wipe';

/** Scanners and copy tools write under these names before renaming to the final one. */
const IN_PROGRESS = /^(\.|~\$)|\.(tmp|temp|part|partial|crdownload|download|lock)$/i;
/** Larger than any scan of a few pages: such a file is not for this help desk. */
const MAX_SCAN_BYTES = 200 * 1024 * 1024;

export interface ScanFolderOptions {
  /** How long the size must stay unchanged before a file counts as complete. */
  stableMs?: number;
  pollMs?: number;
}

export class ScanFolder {
  private watcher: FSWatcher | null = null;
  private readonly scans = new Map<string, ScanInfo & { file: string }>();
  private ready: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly options: ScanFolderOptions = {},
  ) {}

  /**
   * Starts watching. Files already there are not offered: they were left before this session
   * (perhaps by the previous candidate), and must not show to the next one.
   */
  async start(): Promise<void> {
    const info = await stat(this.dir).catch(() => null);
    if (!info?.isDirectory()) throw new AppError('scan_folder_unavailable');
    const watcher = watch(this.dir, {
      depth: 0,
      ignoreInitial: true,
      ignored: (file, stats) => IN_PROGRESS.test(path.basename(file)) || (stats !== undefined && !stats.isFile() && file !== this.dir),
      awaitWriteFinish: { stabilityThreshold: this.options.stableMs ?? 1500, pollInterval: this.options.pollMs ?? 200 },
    });
    this.watcher = watcher;
    watcher.on('add', (file, stats) => this.added(file, stats?.size));
    // A scanner that saves again under the same name replaces the scan.
    watcher.on('change', (file, stats) => {
      this.forget(file);
      this.added(file, stats?.size);
    });
    watcher.on('unlink', (file) => this.forget(file));
    watcher.on('error', () => {});
    this.ready = new Promise((resolve) => watcher.once('ready', () => resolve()));
    await this.ready;
  }

  private added(file: string, size: number | undefined): void {
    if (path.dirname(file) !== path.resolve(this.dir) || size === undefined || size === 0 || size > MAX_SCAN_BYTES) return;
    const id = randomUUID();
    this.scans.set(id, { id, name: path.basename(file), bytes: size, seenAt: new Date().toISOString(), file });
  }

  private forget(file: string): void {
    for (const [id, scan] of this.scans) if (scan.file === file) this.scans.delete(id);
  }

  list(): ScanInfo[] {
    return [...this.scans.values()]
      .map(({ id, name, bytes, seenAt }) => ({ id, name, bytes, seenAt }))
      .sort((a, b) => a.seenAt.localeCompare(b.seenAt));
  }

  async read(ids: string[]): Promise<InputFile[]> {
    return Promise.all(
      ids.map(async (id) => {
        const scan = this.scans.get(id);
        if (!scan) throw new AppError('scan_not_found');
        try {
          return { name: scan.name, bytes: new Uint8Array(await readFile(scan.file)) };
        } catch {
          this.scans.delete(id);
          throw new AppError('scan_not_found');
        }
      }),
    );
  }

  /** Deletes this session's scans from the folder: they are the candidate's documents. */
  async clear(): Promise<string[]> {
    const files = [...this.scans.values()].map((s) => s.file);
    this.scans.clear();
    return removeFiles(files);
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = null;
  }
}
