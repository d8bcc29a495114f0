/**
 * The help desk's log on disk: JSON lines in the user's log folder (Electron's
 * `app.getPath('logs')`, the browser host's data folder), rotated by size: `assistant.log`,
 * then `assistant.log.1` (the previous one) up to `assistant.log.<files - 1>`; older ones go.
 *
 * Written here rather than with a library (pino with pino-roll, rotating-file-stream): the
 * log gets a handful of lines a minute, and synchronous appends keep every line that was
 * logged before a crash and keep rotation a plain rename, with no stream to flush or worker
 * thread to start. What it writes is redacted by createLogBook (src-shared/log.ts).
 */
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createLogBook, parseLogLines, type LogBook } from '../../src-shared/log';

export const LOG_FILE_NAME = 'assistant.log';
export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_FILES = 5;
/** How much of the current file is read back at start for the support report's last errors. */
const TAIL_BYTES = 64 * 1024;

export interface FileLogOptions {
  dir: string;
  /** Size at which the file is rotated (default 1 MiB). */
  maxBytes?: number;
  /** Files kept, the current one included (default 5). */
  files?: number;
  now?: () => Date;
  /** Where the log says it cannot write (default: standard error), once. */
  onWriteError?: (error: unknown) => void;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // not written yet
  }
}

function tail(file: string, bytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = statSync(file).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // The first line may be cut in the middle.
    return length < size ? text.slice(text.indexOf('\n') + 1) : text;
  } catch {
    return ''; // no earlier log
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Moves assistant.log.(n-1) to .n, ..., assistant.log to .1; the oldest is dropped. */
function rotate(file: string, files: number): void {
  rmSync(`${file}.${files - 1}`, { force: true });
  for (let i = files - 2; i >= 1; i--) {
    try {
      renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (files > 1) renameSync(file, `${file}.1`);
  else rmSync(file, { force: true });
}

export interface FileLog extends LogBook {
  /** The current file. */
  file: string;
}

export function createFileLog(options: FileLogOptions): FileLog {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const files = Math.max(1, options.files ?? DEFAULT_FILES);
  const file = path.join(options.dir, LOG_FILE_NAME);
  let failed = false;
  const onWriteError =
    options.onWriteError ??
    ((error: unknown) => process.stderr.write(`Le journal ne peut pas être écrit dans ${options.dir} : ${String(error)}\n`));
  try {
    mkdirSync(options.dir, { recursive: true });
  } catch (error) {
    failed = true;
    onWriteError(error);
  }
  let size = sizeOf(file);
  const earlier = parseLogLines(tail(file, TAIL_BYTES)).filter((e) => e.level !== 'info');

  function write(line: string): void {
    const bytes = Buffer.byteLength(line);
    try {
      if (size > 0 && size + bytes > maxBytes) {
        rotate(file, files);
        size = 0;
      }
      appendFileSync(file, line);
      size += bytes;
      failed = false;
    } catch (error) {
      // A full disk or a locked file must not stop the app; said once, not at every line.
      if (!failed) onWriteError(error);
      failed = true;
      size = sizeOf(file);
    }
  }

  return { ...createLogBook({ write, earlier, now: options.now }), file };
}
