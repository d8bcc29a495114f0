/**
 * `npm run normalise -- INPUT... --out FILE [--to pdf|jpeg] [--max-bytes N] [--json]`
 * (api-contract.md section 1): the document engine as a command for help-desk batch use.
 * Exit 0 done, 2 input refused (code and French message on stderr), 1 internal error.
 *
 * Staff run it file after file: a photo's job goes to this build's resident engine when one
 * is ready (resident/*), else is done here and one is started for the next command.
 * `--no-resident` (or NORMALISE_NO_RESIDENT) turns that off; on Windows it is always off.
 */
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError, ERRORS, toErrorInfo, type ErrorInfo } from '../src-shared/errors';
import { createEngine } from './client';
import { canRunInline, spawnInline } from './inline';
import { findResident, type Found } from './resident/connect';
import { idleMs, NO_RESIDENT_ENV, RESIDENT_DEBUG_ENV, residentPlace, type Place } from './resident/place';
import { RESIDENT_ENGINE_ARG, startResidentEngine } from './resident/start';
import type { EngineInputFile, EngineOptions, PageCorners } from './types';

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const USAGE =
  'usage: npm run normalise -- INPUT... --out FILE [--to pdf|jpeg|auto] [--max-bytes N] [--scan auto|off] [--corners FILE:PAGE:x1,y1,x2,y2,x3,y3,x4,y4]... [--bw] [--json] [--no-resident]';
/** This bundle: the resident engine is the same file, and its hash names the engine's build. */
const BUNDLE_FILE = fileURLToPath(import.meta.url);
/** A resident engine that does not answer this fast is busy with another command's job. */
const HELLO_MS = 500;

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

/** A file is taken as written once nothing has changed in it for this long. */
const QUIET_MS = 1000;
const POLL_MS = 200;
/** A file that is still changing after this long is refused rather than waited for forever. */
const GIVE_UP_MS = 10_000;

interface Seen {
  size: number;
  mtimeMs: number;
}

async function statFile(path: string): Promise<Seen> {
  const found = await stat(path);
  if (!found.isFile()) throw new AppError('file_unreadable');
  return { size: found.size, mtimeMs: found.mtimeMs };
}

const same = (a: Seen, b: Seen) => a.size === b.size && a.mtimeMs === b.mtimeMs;

/**
 * Reads a file once it has stopped changing (a scanner still writing it, a copy in progress):
 * a half-written file would otherwise be judged corrupt, or worse, pass. Quiet means its size
 * and time unchanged for QUIET_MS, seen either from its own modification time or, when that
 * clock cannot be trusted (a network share's), by watching it here.
 */
async function readSteady(path: string): Promise<Uint8Array> {
  try {
    const giveUpAt = Date.now() + GIVE_UP_MS;
    let seen = await statFile(path);
    let unchangedSince = Date.now();
    for (;;) {
      const now = Date.now();
      if (now - seen.mtimeMs >= QUIET_MS || now - unchangedSince >= QUIET_MS) {
        const bytes = await readFile(path);
        const after = await statFile(path);
        if (same(seen, after) && bytes.length === after.size) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      if (now >= giveUpAt) throw new AppError('file_unreadable');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const next = await statFile(path);
      if (!same(seen, next)) {
        seen = next;
        unchangedSince = Date.now();
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('file_unreadable');
  }
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
        bw: { type: 'boolean', default: false },
        'no-resident': { type: 'boolean', default: false },
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

  // Only what this command would run on its own thread goes to the resident engine.
  const inline = canRunInline(files);
  const place: Place | undefined = inline && !values['no-resident'] && !process.env[NO_RESIDENT_ENV] ? residentPlace(BUNDLE_FILE) : undefined;
  const found: Found | undefined = place?.ok ? await findResident(place.socketPath, HELLO_MS) : undefined;
  // Once this job is done, whatever its outcome: the next command finds the engine ready.
  let prepared = false;
  const prepareNext = () => {
    if (prepared) return;
    prepared = true;
    const started = place?.ok && found?.kind === 'absent' && startResidentEngine(BUNDLE_FILE, place.dir);
    if (process.env[RESIDENT_DEBUG_ENV])
      process.stderr.write(`resident engine: ${describe(place, found)}${started ? ', one started for the next command' : ''}\n`);
  };
  // A thread at most, not a process: this command is already a process of its own per job,
  // and exits (ending any work left running) as soon as a limit is hit. The resident engine
  // is a process, watched and stopped by this command's limits the same way.
  const how: EngineOptions =
    found?.kind === 'free' ? { spawn: () => found.handle } : inline ? { spawn: spawnInline } : { isolation: 'thread', transferInputs: true };
  const engine = createEngine(how);

  try {
    const document = await engine.normalise({ files, to, maxBytes, scan, corners: corners as PageCorners[], ...(values.bw ? { bw: true } : {}) });
    prepareNext();
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
    prepareNext();
    refuse(toErrorInfo(error), json);
  } finally {
    await engine.close();
  }
}

function describe(place: Place | undefined, found: Found | undefined): string {
  if (!place) return 'not used (turned off, or not a picture libvips decodes)';
  if (!place.ok) return `not used (${place.reason})`;
  if (found?.kind === 'free') return `used (pid ${found.pid})`;
  return found?.kind === 'busy' ? 'busy, job done here' : 'none, job done here';
}

if (process.argv[2] === RESIDENT_ENGINE_ARG) {
  const place = residentPlace(BUNDLE_FILE);
  if (!place.ok) process.exit(1);
  import('./resident/engine').then(({ runResidentEngine }) => runResidentEngine(place.socketPath, idleMs())).catch(() => process.exit(1));
} else {
  main().catch((error: unknown) => refuse(toErrorInfo(error), false));
}
