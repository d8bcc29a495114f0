/**
 * The standard security handler against PDFs encrypted by qpdf with every common revision
 * (test/fixtures/engine/README.md) and the corpus's real files: a file that opens without a
 * password is accepted (and can be rewritten), one that needs a password is refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFiumLibrary } from '@hyzyla/pdfium';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors';
import { normalise } from '../../../src-engine/core';
import { openPdf } from '../../../src-engine/pdf-read';
import { corpusDir, projectRoot } from '../../support/paths';

const fixtures = path.join(projectRoot, 'test', 'fixtures', 'engine');
const corpus = path.join(corpusDir, 'pdf');
const files = readdirSync(fixtures).filter((f) => f.endsWith('.pdf'));

async function textOf(bytes: Uint8Array, page: number): Promise<string> {
  const lib = await PDFiumLibrary.init();
  const doc = await lib.loadDocument(bytes);
  try {
    return doc.getPage(page).getText();
  } finally {
    doc.destroy();
  }
}

describe('PDF encryption', () => {
  it('has fixtures for every revision', () => {
    expect(files.filter((f) => f.startsWith('owner-only'))).toHaveLength(4);
    expect(files.filter((f) => f.startsWith('user-password'))).toHaveLength(3);
  });

  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(path.join(fixtures, file)));
    if (file.startsWith('user-password')) {
      it(`${file}: needs a password, refused with pdf_encrypted`, async () => {
        const error = await openPdf(bytes).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('pdf_encrypted');
      });
    } else {
      it(`${file}: opens without a password, kept as is, and decrypted when it must be rewritten`, async () => {
        const alone = await normalise({ files: [{ name: 'a.pdf', bytes }], maxBytes: 1e7 });
        expect(Buffer.from(alone.bytes).equals(Buffer.from(bytes))).toBe(true);
        const merged = await normalise({ files: [{ name: 'a.pdf', bytes }, { name: 'b.pdf', bytes }], maxBytes: 1e7 });
        expect(merged.pages).toBe(2);
        const reopened = await openPdf(merged.bytes);
        expect(reopened.encryption).toBeUndefined();
        expect(await textOf(merged.bytes, 1)).toContain('Attestation de test');
      });
    }
  }

  it('the corpus owner-only Acrobat file (AES-256, object streams) is decrypted too', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(corpus, 'pdf-encrypted-owner-password-only-acrobat.pdf')));
    const opened = await openPdf(bytes);
    expect(opened.encryption?.security.r).toBe(6);
    expect(opened.encryption?.decrypted).toBe(true);
    expect(opened.pageCount).toBe(1);
  });
});
