/**
 * The engine across its process boundary, and the `normalise` command: codes and French
 * messages survive IPC; a worker over time or memory is killed, answers clearly and is
 * replaced; the command's exit codes follow api-contract.md section 1.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../../src-shared/errors';
import { createEngine } from '../../../src-engine/index';
import { buildEngine, cliScript, workerScript } from '../../support/engine-build';
import { refusal } from '../../support/refusal';
import { corpusDir } from '../../support/paths';

const run = promisify(execFile);
const corpus = corpusDir;
const heic = path.join(corpus, 'phone', 'heic-iphone8plus-exif-orientation-6-irot.heic');
const photo = path.join(corpus, 'images', 'jpeg-exif-orientation-6-landscape.jpg');
let dir: string;

beforeAll(async () => {
  await buildEngine();
  dir = await mkdtemp(path.join(tmpdir(), 'engine-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});


describe('engine process', () => {
  it('normalises in the worker, reports progress, and carries codes across', async () => {
    const engine = createEngine({ workerScript });
    try {
      const progress: number[] = [];
      const out = await engine.normalise({ files: [{ name: 'p.jpg', bytes: await readFile(photo) }], maxBytes: 10 * 1024 * 1024 }, (done) => progress.push(done));
      expect(out.mediaType).toBe('image/jpeg');
      expect(out.bytes).toBeInstanceOf(Uint8Array);
      expect(progress.length).toBeGreaterThan(0);
      const error = await refusal(engine.normalise({ files: [{ name: 'x.pdf', bytes: await readFile(path.join(corpus, 'pdf', 'pdf-encrypted-user-password-aes256.pdf')) }], maxBytes: 1e7 }));
      expect(error.code).toBe('pdf_encrypted');
      expect(error.message).toContain('mot de passe');
      const previews = await engine.inspect([{ name: 'thesis.pdf', bytes: await readFile(path.join(corpus, 'pdf', 'pdf-many-pages-117-thesis.pdf')) }]);
      expect(previews).toHaveLength(117);
    } finally {
      await engine.close();
    }
  });

  it('kills a worker that takes too long and answers clearly', async () => {
    const engine = createEngine({ workerScript, timeoutMs: 150 });
    try {
      const error = await refusal(engine.normalise({ files: [{ name: 'h.heic', bytes: await readFile(heic) }], maxBytes: 1e7 }));
      expect(error.code).toBe('document_too_complex');
    } finally {
      await engine.close();
    }
  });

  it('restarts the same engine after a kill', async () => {
    const engine = createEngine({ workerScript, memoryLimitMb: 150, timeoutMs: 60_000 });
    try {
      expect((await refusal(engine.normalise({ files: [{ name: 'h.heic', bytes: await readFile(heic) }], maxBytes: 1e7 }))).code).toBe('document_too_complex');
      const out = await engine.normalise({ files: [{ name: 'g.jpg', bytes: await readFile(path.join(corpus, 'images', 'jpeg-grayscale-single-channel.jpg')) }], maxBytes: 1e7 });
      expect(out.mediaType).toBe('image/jpeg');
    } finally {
      await engine.close();
    }
  });

  it('kills a worker that uses more memory than allowed', async () => {
    const engine = createEngine({ workerScript, memoryLimitMb: 150, timeoutMs: 60_000 });
    try {
      const error = await refusal(engine.normalise({ files: [{ name: 'h.heic', bytes: await readFile(heic) }], maxBytes: 1e7 }));
      expect(error.code).toBe('document_too_complex');
    } finally {
      await engine.close();
    }
  });
});

describe('npm run normalise (the command)', () => {
  const cli = (args: string[]) =>
    run(process.execPath, [cliScript, ...args], { cwd: dir }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it('exits 0 with the file written and a JSON report', async () => {
    const out = path.join(dir, 'photo.jpg');
    const result = await cli([photo, '--out', out, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; mediaType: string; bytes: number };
    expect(report).toMatchObject({ ok: true, mediaType: 'image/jpeg' });
    expect((await readFile(out)).length).toBe(report.bytes);
  });

  it('exits 2 with the code and the French message on stderr for a refused input', async () => {
    const result = await cli([path.join(corpus, 'not-documents', 'docx-word-document.docx'), '--out', path.join(dir, 'x.pdf')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^file_type_not_allowed: .*PDF/m);
  });

  it('merges a photo, a BMP and a PDF into one PDF with --to pdf and --max-bytes', async () => {
    const out = path.join(dir, 'dossier.pdf');
    const result = await cli([photo, path.join(corpus, 'images', 'bmp-24bit-photo.bmp'), path.join(corpus, 'pdf', 'pdf-javascript-document-level.pdf'), '--out', out, '--to', 'pdf', '--max-bytes', '5000000', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ mediaType: 'application/pdf', pages: 3 });
    expect((await readFile(out)).subarray(0, 5).toString()).toBe('%PDF-');
  });

  /**
   * Writes `bytes` into `file` a little at a time (as a scanner does), then, if `thenKeepGrowing`,
   * goes on appending without end. Returns a stop function.
   */
  async function slowWriter(file: string, bytes: Buffer, thenKeepGrowing: boolean): Promise<() => Promise<void>> {
    const handle = await open(file, 'w');
    await handle.write(bytes.subarray(0, 1000), 0, 1000, 0);
    let offset = 1000;
    let writing = Promise.resolve();
    const writer = setInterval(() => {
      if (offset >= bytes.length && !thenKeepGrowing) return;
      const chunk = offset < bytes.length ? bytes.subarray(offset, Math.min(bytes.length, offset + 8000)) : Buffer.alloc(100);
      const at = offset;
      offset += chunk.length;
      writing = writing.then(() => handle.write(chunk, 0, chunk.length, at)).then(() => undefined);
    }, 20);
    return async () => {
      clearInterval(writer);
      await writing;
      await handle.close();
    };
  }

  it('waits for a file still being written, then prepares the whole file', async () => {
    const bytes = await readFile(photo);
    const whole = await cli([photo, '--out', path.join(dir, 'whole.jpg')]);
    expect(whole.code).toBe(0);
    const growing = path.join(dir, 'scan-en-cours.jpg');
    // About a second of writing: the command starts while the file is still incomplete.
    const stop = await slowWriter(growing, bytes, false);
    try {
      const result = await cli([growing, '--out', path.join(dir, 'growing.jpg')]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
    } finally {
      await stop();
    }
    expect(await readFile(growing)).toEqual(bytes);
    expect(await readFile(path.join(dir, 'growing.jpg'))).toEqual(await readFile(path.join(dir, 'whole.jpg')));
  });

  it('refuses a file that never stops changing as unreadable, writing nothing', async () => {
    const growing = path.join(dir, 'copie-sans-fin.jpg');
    const stop = await slowWriter(growing, await readFile(photo), true);
    let result;
    try {
      result = await cli([growing, '--out', path.join(dir, 'never.jpg')]);
    } finally {
      await stop();
    }
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`file_unreadable: ${ERRORS.file_unreadable.message}\n`);
    await expect(readFile(path.join(dir, 'never.jpg'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses an empty file as empty', async () => {
    await writeFile(path.join(dir, 'vide.jpg'), '');
    const empty = await cli([path.join(dir, 'vide.jpg'), '--out', path.join(dir, 'o.jpg')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^file_empty: /m);
  });
});

describe('engine set-up problems', () => {
  it('answers internal_error, without throwing or crashing, when the worker cannot start', async () => {
    const engine = createEngine({ workerScript: path.join(dir, 'no-such-worker.js') });
    try {
      const error = await refusal(engine.normalise({ files: [{ name: 'p.jpg', bytes: await readFile(photo) }], maxBytes: 1e7 }));
      expect(error.code).toBe('internal_error');
    } finally {
      await engine.close();
    }
  });
});

describe('engine callers that misbehave', () => {
  it('survives a progress listener that throws, and a request that cannot be sent', async () => {
    const engine = createEngine({ workerScript });
    try {
      const out = await engine.normalise({ files: [{ name: 'p.jpg', bytes: await readFile(photo) }], maxBytes: 1e7 }, () => {
        throw new Error('display gone');
      });
      expect(out.mediaType).toBe('image/jpeg');
      const unsendable = { files: [{ name: 'f.jpg', bytes: await readFile(photo), extra: () => 1 }], maxBytes: 1e7 };
      const error = await refusal(engine.normalise(unsendable as never));
      expect(error.code).toBe('validation_failed');
      // The engine still works after both.
      expect((await engine.normalise({ files: [{ name: 'p.jpg', bytes: await readFile(photo) }], maxBytes: 1e7 })).mediaType).toBe('image/jpeg');
    } finally {
      await engine.close();
    }
  });
});
