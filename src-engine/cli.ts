/**
 * `npm run normalise -- INPUT... --out FILE [--to pdf|jpeg] [--max-bytes N] [--json]`
 * (api-contract.md section 1): the document engine as a command for help-desk batch use.
 * Exit 0 done, 2 input refused (code and French message on stderr), 1 internal error.
 */
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, ERRORS, toErrorInfo, type ErrorInfo } from '../src-shared/errors';
import { createEngine } from './client';
import { canRunInline, spawnInline } from './inline';
import type { EngineInputFile, PageCorners } from './types';

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const USAGE =
  'usage: npm run normalise -- INPUT... --out FILE [--to pdf|jpeg|auto] [--max-bytes N] [--scan auto|off] [--corners FILE:PAGE:x1,y1,x2,y2,x3,y3,x4,y4]... [--json]';

/**
 * `--corners FILE:PAGE:x1,y1,...,x4,y4` (FILE and PAGE counted from 0; corners top-left,
 * top-right, bottom-right, bottom-left in pixels of the upright photo), or undefined.
 */
function parseCorners(text: string): PageCorners | undefined {
  const match = /^(\d+):(\d+):(.+)$/.exec(text);
  if (!match) return undefined;
  const numbers = match[3]!.split(',').map((n) => (n.trim() === '' ? Number.NaN : Number(n)));
  if (numbers.length !== 8 || !numbers.every(Number.isFinite)) return undefined;
  const p = (i: number): [number, number] => [numbers[2 * i]!, numbers[2 * i + 1]!];
  return { file: Number(match[1]), page: Number(match[2]), corners: [p(0), p(1), p(2), p(3)] };
}

/**
 * Reads a file whole and checks it did not change meanwhile (a scanner still writing it, a
 * copy in progress): a half-written file would otherwise be judged corrupt, or worse, pass.
 */
async function readSteady(path: string): Promise<Uint8Array> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const before = await stat(path);
      if (!before.isFile()) throw new AppError('file_unreadable');
      const bytes = await readFile(path);
      const after = await stat(path);
      if (after.size === before.size && after.mtimeMs === before.mtimeMs && bytes.length === after.size)
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('file_unreadable');
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new AppError('file_unreadable');
}

function refuse(info: ErrorInfo, json: boolean): never {
  process.stderr.write(`${info.code}: ${info.message}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, code: info.code, message: info.message })}\n`);
  process.exit(info.code === 'internal_error' ? 1 : 2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        to: { type: 'string', default: 'auto' },
        'max-bytes': { type: 'string' },
        json: { type: 'boolean', default: false },
        scan: { type: 'string', default: 'auto' },
        corners: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', default: false },
      },
    });
  } catch {
    process.stderr.write(`${USAGE}\n`);
    refuse({ code: 'validation_failed', message: ERRORS.validation_failed.message }, false);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const json = values.json === true;
  const to = values.to;
  const maxBytes = values['max-bytes'] === undefined ? DEFAULT_MAX_BYTES : Number(values['max-bytes']);
  if (!values.out || positionals.length === 0 || !(to === 'pdf' || to === 'jpeg' || to === 'auto') || !(Number.isSafeInteger(maxBytes) && maxBytes > 0)) {
    process.stderr.write(`${USAGE}\n`);
    refuse({ code: 'validation_failed', message: ERRORS.validation_failed.message }, json);
  }
  const out = values.out;
  const scan = values.scan;
  const corners = (values.corners ?? []).map(parseCorners);
  if ((scan !== 'auto' && scan !== 'off') || corners.some((c) => c === undefined || c.file >= positionals.length)) {
    process.stderr.write(`${USAGE}\n`);
    refuse({ code: 'validation_failed', message: ERRORS.validation_failed.message }, json);
  }

  const files: EngineInputFile[] = [];
  try {
    for (const path of positionals) files.push({ name: basename(path), bytes: await readSteady(path) });
  } catch (error) {
    refuse(toErrorInfo(error), json);
  }

  // A thread at most, not a process: this command is already a process of its own per job,
  // and exits (ending any work left running) as soon as a limit is hit.
  const engine = createEngine(canRunInline(files) ? { spawn: spawnInline } : { isolation: 'thread', transferInputs: true });

  try {
    const document = await engine.normalise({ files, to, maxBytes, scan, corners: corners as PageCorners[] });
    const temporary = `${out}.${process.pid}.part`;
    await writeFile(temporary, document.bytes);
    await rename(temporary, out);
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ ok: true, out, mediaType: document.mediaType, pages: document.pages, bytes: document.bytes.length, filename: document.filename, summary: document.summary, report: document.report })}\n`,
      );
    } else {
      process.stdout.write(`${document.summary}\n`);
      for (const [i, page] of document.report.entries())
        for (const check of page.checks) process.stdout.write(`Page ${i + 1} : ${check.message}\n`);
    }
  } catch (error) {
    refuse(toErrorInfo(error), json);
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => refuse(toErrorInfo(error), false));
