/**
 * PDF forms through `npm run normalise` (the built command, as the help desk runs it): a
 * filled form comes out with its answers in the page and no form; a dynamic XFA form is
 * refused with its code, exit 2 and the French fix.
 */
import { PDFiumLibrary } from '@hyzyla/pdfium';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../../src-shared/errors';
import { openPdf } from '../../../src-engine/pdf-read';
import { buildEngine, cliScript } from '../../support/engine-build';
import { dynamicXfaForm, filledForm, FORM_ANSWERS } from '../../support/form-pdf';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  await buildEngine();
  dir = await mkdtemp(path.join(tmpdir(), 'engine-forms-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[]) =>
  run(process.execPath, [cliScript, ...args], { cwd: dir }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );

describe('npm run normalise on PDF forms', () => {
  it('writes a filled form flattened: the answers are page text, the form is gone', async () => {
    const input = path.join(dir, 'formulaire.pdf');
    const out = path.join(dir, 'formulaire-out.pdf');
    await writeFile(input, await filledForm());
    const result = await cli([input, '--out', out, '--to', 'pdf', '--json']);
    expect(result.code).toBe(0);
    const bytes = new Uint8Array(await readFile(out));
    const opened = await openPdf(bytes);
    expect(opened.form).toBe('none');
    expect(Buffer.from(bytes).includes('/AcroForm')).toBe(false);
    // Read back as any reader reads a page's text (form fields are not page text).
    const pdfium = await PDFiumLibrary.init();
    try {
      const doc = await pdfium.loadDocument(bytes);
      expect(doc.getPage(0).getText()).toContain(FORM_ANSWERS.name);
      doc.destroy();
    } finally {
      pdfium.destroy();
    }
  });

  it('refuses a dynamic XFA form: exit 2, its code, the French fix', async () => {
    const input = path.join(dir, 'livecycle.pdf');
    await writeFile(input, await dynamicXfaForm());
    const result = await cli([input, '--out', path.join(dir, 'never.pdf'), '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ ok: false, code: 'pdf_dynamic_form', message: ERRORS.pdf_dynamic_form.message });
  });
});
