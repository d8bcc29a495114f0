/** The server's PDF checks against the corpus, and the security handler against known passwords. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { checkPdf, pdfSecurity } from '../../../../src-formats/pdf/check';
import { checkJpeg } from '../../../../src-formats/jpeg/check';
import { fileKeyForUserPassword, fileKeyWithoutPassword, rc4 } from '../../../../src-formats/pdf/security';
import { corpusDir, tempDir, tinyPdf } from '../../../support/server-helpers';
import { JAVASCRIPT_NAME_TREE } from '../../../support/hand-made-pdf';
import { writeFileSync } from 'node:fs';

function securityOf(relative: string) {
  const security = pdfSecurity(readFileSync(path.join(corpusDir, relative)));
  if (!security) throw new Error(`${relative} is not encrypted`);
  return security;
}

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

async function outcome(check: (p: string) => Promise<void>, file: string): Promise<string> {
  try {
    await check(file);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? 'thrown';
  }
}

describe('PDF standard security handler, on what the scan reads of /Encrypt', () => {
  it('RC4 matches the published test vector', () => {
    // Key "Key", plaintext "Plaintext" (Wikipedia RC4 test vectors).
    expect(Buffer.from(rc4(latin1('Key'), latin1('Plaintext'))).toString('hex')).toBe('bbf316e8d940af0ad3');
  });

  it('owner password only (Acrobat, AES-256 R6): opens with the empty password', () => {
    expect(fileKeyWithoutPassword(securityOf('pdf/pdf-encrypted-owner-password-only-acrobat.pdf'))).toHaveLength(32);
  });

  it('AES-256 R6 with user password "foo": refuses the empty one, accepts "foo"', () => {
    const security = securityOf('pdf/pdf-encrypted-user-password-aes256.pdf');
    expect(fileKeyWithoutPassword(security)).toBeUndefined();
    expect(fileKeyForUserPassword(security, latin1('bar'))).toBeUndefined();
    expect(fileKeyForUserPassword(security, latin1('foo'))).toHaveLength(32);
  });

  it('AES-128 R4 Kyocera scan with user password "ELXRTQWS": refuses the empty one, accepts it', () => {
    const security = securityOf('pdf/pdf-encrypted-user-password-kyocera-scan.pdf');
    expect(fileKeyWithoutPassword(security)).toBeUndefined();
    expect(fileKeyForUserPassword(security, latin1('ELXRTQWS'))).toHaveLength(16);
    expect(security.streamMethod).toBe('AESV2');
  });
});

describe('a document-level JavaScript name tree alone', () => {
  it.each(Object.entries(JAVASCRIPT_NAME_TREE))('written %s: pdf_active_content', async (_form, bytes) => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'names-javascript.pdf');
      writeFileSync(file, bytes);
      expect(await outcome(checkPdf, file)).toBe('pdf_active_content');
      // The same page without the name tree passes: the tree is what is refused.
      writeFileSync(file, tinyPdf());
      expect(await outcome(checkPdf, file)).toBe('ok');
    } finally {
      t.remove();
    }
  });
});

describe('content checks on the corpus', () => {
  const pdfCases: [string, string][] = [
    ['pdf/pdf-encrypted-owner-password-only-acrobat.pdf', 'ok'],
    ['pdf/pdf-encrypted-user-password-aes256.pdf', 'pdf_encrypted'],
    ['pdf/pdf-encrypted-user-password-kyocera-scan.pdf', 'pdf_encrypted'],
    ['pdf/pdf-javascript-document-level.pdf', 'pdf_active_content'],
    ['pdf/pdf-embedded-file-attachment.pdf', 'pdf_active_content'],
    ['pdf/pdf-digitally-signed.pdf', 'ok'],
    ['pdf/pdf-many-pages-117-thesis.pdf', 'ok'],
    ['pdf/pdf-mixed-page-sizes-6-pages.pdf', 'ok'],
    ['pdf/pdf-oversized-page-1800x3600pt-poster.pdf', 'ok'],
    ['pdf/pdf-page-rotate-90-180-270-360.pdf', 'ok'],
    ['pdf/pdf-scanned-image-only-page.pdf', 'ok'],
    ['pdf/pdf-simple-text-pdflatex.pdf', 'ok'],
    ['bad/pdf-truncated-no-xref-no-eof.pdf', 'file_corrupt'],
  ];
  it.each(pdfCases)('%s → %s', async (file, expected) => {
    expect(await outcome(checkPdf, path.join(corpusDir, file))).toBe(expected);
  });

  const jpegCases: [string, string][] = [
    ['images/jpeg-exif-orientation-1-landscape.jpg', 'ok'],
    ['images/jpeg-cmyk-adobe-with-icc-profile.jpg', 'ok'],
    ['images/jpeg-grayscale-single-channel.jpg', 'ok'],
    ['bad/jpeg-huge-20000x14000-280mpx.jpg', 'ok'], // a valid JPEG: the server stores, never decodes
    ['bad/jpeg-truncated-at-10000-bytes.jpg', 'file_corrupt'],
    ['bad/jpeg-truncated-inside-header-1024-bytes.jpg', 'file_corrupt'],
  ];
  it.each(jpegCases)('%s → %s', async (file, expected) => {
    expect(await outcome(checkJpeg, path.join(corpusDir, file))).toBe(expected);
  });

  // An upload hands the check the bytes it kept in memory; every split of them between memory
  // and file must give the same answer as reading the file alone.
  it.each(jpegCases)('%s → %s, from bytes already in memory', async (file, expected) => {
    const filePath = path.join(corpusDir, file);
    const bytes = readFileSync(filePath);
    const splits: [number, number][] = [[0, 0], [20, 0], [0, 2], [1024, 16384], [bytes.length, bytes.length]];
    for (const [headLength, tailLength] of splits) {
      const known = { size: bytes.length, head: bytes.subarray(0, headLength), tail: bytes.subarray(bytes.length - tailLength) };
      expect(await outcome((p) => checkJpeg(p, known), filePath), `head ${headLength}, tail ${tailLength}`).toBe(expected);
    }
  });

  it('does not open the file when the bytes in memory hold the headers and the end of image', async () => {
    const bytes = readFileSync(path.join(corpusDir, 'images/jpeg-exif-orientation-1-landscape.jpg'));
    const known = { size: bytes.length, head: bytes.subarray(0, 128 * 1024), tail: bytes.subarray(bytes.length - 16 * 1024) };
    expect(await outcome((p) => checkJpeg(p, known), '/nonexistent/never-read.jpg')).toBe('ok');
    // Without the end of image in memory, it has to read the file, and there is none.
    const noTail = { ...known, tail: Buffer.alloc(0) };
    expect(await outcome((p) => checkJpeg(p, noTail), '/nonexistent/never-read.jpg')).toBe('ENOENT');
  });

  it('finds active content that pdf-lib writes into annotations and open actions', async () => {
    const t = tempDir();
    try {
      const doc = await PDFDocument.load(tinyPdf());
      const action = doc.context.obj({ S: 'JavaScript', JS: 'app.alert(1)' });
      doc.catalog.set(doc.context.obj('OpenAction') as never, doc.context.register(action));
      const file = path.join(t.dir, 'open-action.pdf');
      writeFileSync(file, await doc.save({ useObjectStreams: true }));
      expect(await outcome(checkPdf, file)).toBe('pdf_active_content');

      const launch = await PDFDocument.load(tinyPdf());
      const page = launch.getPage(0);
      const annot = launch.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 10, 10], A: { S: 'Launch', F: 'cmd.exe' } });
      page.node.set(launch.context.obj('Annots') as never, launch.context.obj([launch.context.register(annot)]));
      const file2 = path.join(t.dir, 'launch.pdf');
      writeFileSync(file2, await launch.save());
      expect(await outcome(checkPdf, file2)).toBe('pdf_active_content');

      const clean = path.join(t.dir, 'clean.pdf');
      writeFileSync(clean, await (await PDFDocument.load(tinyPdf())).save({ useObjectStreams: true }));
      expect(await outcome(checkPdf, clean)).toBe('ok');
    } finally {
      t.remove();
    }
  });
});
