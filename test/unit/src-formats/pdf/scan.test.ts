/**
 * The server's structural PDF scan on files made here to corner it: active content inside a
 * compressed (and an encrypted) object stream, wrong and huge stream lengths, truncation,
 * cross-reference streams, incremental updates, objects hidden inside a stream body, deep
 * nesting, and the qpdf-encrypted fixtures of every revision.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkPdf, checkPdfQuickly } from '../../../../src-formats/pdf/check';
import { projectRoot, tinyPdf } from '../../../support/server-helpers';
import { bytesOf, pdf, stream } from '../../../support/pdf-bytes';
import { checkOutcomes } from '../../../support/check-outcome';

const { outcome, nextFile } = checkOutcomes('depot-pdf-scan-', '.pdf', checkPdf);

const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>';
const JS_ACTION = '<< /S /JavaScript /JS (app.alert\\(1\\)) >>';

/** An object stream holding `objects` (number → body), compressed. */
function objectStream(objects: [number, string][], compress = true): Buffer {
  let header = '';
  let content = '';
  for (const [num, body] of objects) {
    header += `${num} ${content.length} `;
    content += `${body}\n`;
  }
  const data = Buffer.from(header + content, 'latin1');
  const dict = `/Type /ObjStm /N ${objects.length} /First ${header.length}${compress ? ' /Filter /FlateDecode' : ''}`;
  return stream(dict, compress ? deflateSync(data) : data);
}

describe('PDF structural scan', () => {
  it('accepts a minimal valid file and the shared tiny PDF', async () => {
    expect(await outcome(pdf([CATALOG, PAGES, PAGE]))).toBe('ok');
    expect(await outcome(tinyPdf())).toBe('ok');
  });

  it('refuses a file whose page tree reaches no page', async () => {
    expect(await outcome(pdf([CATALOG, '<< /Type /Pages /Kids [] /Count 0 >>']))).toBe('file_corrupt');
    expect(await outcome(pdf(['<< /Type /Catalog >>', PAGES, PAGE]))).toBe('file_corrupt');
  });

  it('finds JavaScript inside a compressed object stream, and nowhere else', async () => {
    const catalog = '<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>';
    const active = pdf([catalog, PAGES, PAGE, objectStream([[5, JS_ACTION]])]);
    // Neither the action's name nor its key may be readable in the file's bytes.
    expect(active.includes('JavaScript')).toBe(false);
    expect(await outcome(active)).toBe('pdf_active_content');
    const clean = pdf([CATALOG, PAGES, PAGE, objectStream([[5, '<< /Producer (test) >>']])]);
    expect(await outcome(clean)).toBe('ok');
    // The page tree itself may live in an object stream.
    const pagesInside = pdf([CATALOG, '<< /Title (x) >>', '<< /Title (y) >>', objectStream([[2, PAGES], [3, PAGE]])]);
    expect(await outcome(pagesInside)).toBe('ok');
  });

  it('reads names written with #xx escapes as readers do', async () => {
    expect(await outcome(pdf([CATALOG, PAGES, PAGE, '<< /S /J#61vaScript /J#53 (x) >>']))).toBe('pdf_active_content');
    expect(await outcome(pdf([CATALOG, PAGES, PAGE, '<< /Type /Annot /Subtype /FileAtt#61chment >>']))).toBe('pdf_active_content');
  });

  it('refuses an object stream that does not inflate', async () => {
    const broken = stream('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', Buffer.from('not deflate data'));
    expect(await outcome(pdf([CATALOG, PAGES, PAGE, broken]))).toBe('file_corrupt');
  });

  it('survives wrong stream lengths: too short, too long, huge, indirect', async () => {
    const data = Buffer.from('BT (endstrea) Tj ET q Q '.repeat(50), 'latin1');
    for (const length of [3, data.length + 40, 99_999_999_999]) {
      const file = pdf([CATALOG, PAGES, PAGE, stream('', data, length), JS_ACTION]);
      expect(await outcome(file)).toBe('pdf_active_content');
      expect(await outcome(pdf([CATALOG, PAGES, PAGE, stream('', data, length)]))).toBe('ok');
    }
    const indirect = Buffer.concat([bytesOf('<< /Length 6 0 R >>\nstream\n'), data, bytesOf('\nendstream')]);
    expect(await outcome(pdf([CATALOG, PAGES, PAGE, indirect, JS_ACTION, String(data.length)]))).toBe('pdf_active_content');
  });

  it('never looks inside a stream body whose length is right', async () => {
    // A content stream that merely mentions /JavaScript is page text, not an action.
    const data = Buffer.from('BT (/S /JavaScript /JS) Tj ET << /S /Launch >>', 'latin1');
    expect(await outcome(pdf([CATALOG, PAGES, PAGE, stream('', data)]))).toBe('ok');
  });

  it('refuses truncated files', async () => {
    const whole = pdf([CATALOG, PAGES, PAGE, stream('', randomBytes(5000))]);
    // Cut inside the stream body: no %%EOF.
    expect(await outcome(whole.subarray(0, 3000))).toBe('file_corrupt');
    // Cut inside the stream body, then an end marker pasted on: no endstream anywhere.
    expect(await outcome(Buffer.concat([whole.subarray(0, 3000), bytesOf('\n%%EOF\n')]))).toBe('file_corrupt');
    // Cut inside a dictionary.
    const cut = whole.indexOf('/MediaBox');
    expect(await outcome(Buffer.concat([whole.subarray(0, cut), bytesOf('\n%%EOF\n')]))).toBe('file_corrupt');
  });

  it('reads the catalog from a cross-reference stream when there is no trailer', async () => {
    const objects = [CATALOG, PAGES, PAGE];
    let body = '%PDF-1.7\n';
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(body.length);
      body += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xrefAt = body.length;
    const rows = [Buffer.from([0, 0, 0, 0, 0, 0xff, 0xff]), ...[...offsets, xrefAt].map((o) => {
      const row = Buffer.alloc(7);
      row[0] = 1;
      row.writeUInt32BE(o, 1);
      return row;
    })];
    const xref = stream('/Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode', deflateSync(Buffer.concat(rows)));
    const file = Buffer.concat([bytesOf(body), bytesOf('4 0 obj\n'), xref, bytesOf(`\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`)]);
    expect(await outcome(file)).toBe('ok');
    const withoutRoot = Buffer.from(file.toString('latin1').replace('/Root 1 0 R', '/Info 9 0 R').replace('/Type /Catalog', '/Type /Katalog'), 'latin1');
    expect(await outcome(withoutRoot)).toBe('file_corrupt');
  });

  it('finds JavaScript added by an incremental update in a later revision', async () => {
    const first = pdf([CATALOG, PAGES, PAGE]);
    const catalogAt = first.length;
    const update =
      `1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>\nendobj\n` +
      `4 0 obj\n${JS_ACTION}\nendobj\n`;
    const jsAt = catalogAt + update.indexOf('4 0 obj');
    const xrefAt = catalogAt + update.length;
    const tail =
      `xref\n1 1\n${String(catalogAt).padStart(10, '0')} 00000 n \n4 1\n${String(jsAt).padStart(10, '0')} 00000 n \n` +
      `trailer\n<< /Size 5 /Root 1 0 R /Prev ${first.indexOf('xref')} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    expect(await outcome(Buffer.concat([first, bytesOf(update + tail)]))).toBe('pdf_active_content');
  });

  it('finds an object hidden inside another stream body that the cross-reference table points at', async () => {
    const hidden = `6 0 obj\n${JS_ACTION}\nendobj\n`;
    const carrier = stream('', Buffer.from(`padding ${hidden} padding`, 'latin1'));
    const catalog = '<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>';
    const file = pdf([catalog, PAGES, PAGE, carrier, '<< >>', '<< >>'], {
      objectOffsets: (offsets, body) => [...offsets.slice(0, 5), body.indexOf('6 0 obj\n<< /S')],
    });
    expect(await outcome(file)).toBe('pdf_active_content');
  });

  it('finds an object hidden in a stream body that a cross-reference stream (PNG Up predictor) points at', async () => {
    const hidden = `6 0 obj\n${JS_ACTION}\nendobj\n`;
    const objects = ['<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>', PAGES, PAGE];
    let body = '%PDF-1.7\n';
    const offsets: number[] = [];
    objects.forEach((o, i) => {
      offsets.push(body.length);
      body += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    offsets.push(body.length);
    const carrierData = `padding ${hidden} padding`;
    body += `4 0 obj\n<< /Length ${carrierData.length} >>\nstream\n${carrierData}\nendstream\nendobj\n`;
    const xrefAt = body.length;
    const withEntry = (entry6: number) => {
      const rows = [[0, 0, 0xffff], ...offsets.map((o) => [1, o, 0]), [1, xrefAt, 0], [1, entry6, 0]].map(([t, o, g]) => {
        const row = Buffer.alloc(7);
        row[0] = t!;
        row.writeUInt32BE(o!, 1);
        row.writeUInt16BE(g!, 5);
        return row;
      });
      // PNG "Up" rows, as most writers make them: each byte minus the one above.
      const predicted = rows.map((row, r) => Buffer.concat([Buffer.from([2]), Buffer.from(row.map((b, c) => (b - (r > 0 ? rows[r - 1]![c]! : 0)) & 0xff))]));
      const xref = stream('/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>', deflateSync(Buffer.concat(predicted)));
      return Buffer.concat([bytesOf(body), bytesOf('5 0 obj\n'), xref, bytesOf(`\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`)]);
    };
    expect(await outcome(withEntry(body.indexOf('6 0 obj')))).toBe('pdf_active_content');
    // Control: an entry pointing at a free-standing object leaves the hidden bytes as mere
    // data, so the catalog's /OpenAction 6 0 R now points at nothing: unreadable, not active.
    expect(await outcome(withEntry(offsets[1]!))).toBe('file_corrupt');
  });

  it('refuses absurd nesting without exhausting the stack', async () => {
    const deep = `<< /A ${'['.repeat(100_000)}${']'.repeat(100_000)} >>`;
    expect(await outcome(pdf([CATALOG, PAGES, PAGE, deep]))).toBe('file_corrupt');
    const fine = `<< /A ${'['.repeat(50)}1${']'.repeat(50)} >>`;
    expect(await outcome(pdf([CATALOG, PAGES, PAGE, fine]))).toBe('ok');
  });

  it('refuses a file with no header or with garbage where an object should be', async () => {
    expect(await outcome(Buffer.from('hello %%EOF\n'))).toBe('file_corrupt');
    expect(await outcome(pdf([CATALOG, PAGES, PAGE, '<< /A ) >>']))).toBe('file_corrupt');
  });
});

/**
 * AES-256, revision 5 (plain SHA-256 key derivation), with an empty user password: readers
 * open it without asking, and its object streams can only be read after decryption.
 */
function encryptedWithEmptyPassword(objects: [number, string][], catalogExtra: string): Buffer {
  const fileKey = randomBytes(32);
  const validationSalt = randomBytes(8);
  const keySalt = randomBytes(8);
  const u = Buffer.concat([createHash('sha256').update(validationSalt).digest(), validationSalt, keySalt]);
  const ueCipher = createCipheriv('aes-256-cbc', createHash('sha256').update(keySalt).digest(), Buffer.alloc(16));
  ueCipher.setAutoPadding(false);
  const ue = Buffer.concat([ueCipher.update(fileKey), ueCipher.final()]);
  const o = randomBytes(48);
  const oe = randomBytes(32);
  const hex = (b: Buffer) => `<${b.toString('hex')}>`;
  let header = '';
  let content = '';
  for (const [num, body] of objects) {
    header += `${num} ${content.length} `;
    content += `${body}\n`;
  }
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', fileKey, iv);
  const encrypted = Buffer.concat([iv, cipher.update(deflateSync(Buffer.from(header + content, 'latin1'))), cipher.final()]);
  const objStm = stream(`/Type /ObjStm /N ${objects.length} /First ${header.length} /Filter /FlateDecode`, encrypted);
  const encrypt =
    `<< /Filter /Standard /V 5 /R 5 /Length 256 /P -4 /O ${hex(o)} /U ${hex(u)} /OE ${hex(oe)} /UE ${hex(ue)} ` +
    `/CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF >>`;
  return pdf([`<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`, PAGES, PAGE, objStm, encrypt], {
    extra: `/Encrypt 5 0 R /ID [${hex(randomBytes(16))} ${hex(randomBytes(16))}]`,
  });
}

describe('PDF structural scan, encrypted files', () => {
  it('decrypts object streams of a file that opens without a password and looks inside', async () => {
    const active = encryptedWithEmptyPassword([[6, JS_ACTION]], '/OpenAction 6 0 R');
    expect(await outcome(active)).toBe('pdf_active_content');
    expect(await outcome(encryptedWithEmptyPassword([[6, '<< /Author (x) >>']], ''))).toBe('ok');
  });

  it('refuses an encrypted object stream that does not decrypt to a valid one', async () => {
    const file = encryptedWithEmptyPassword([[6, '<< /Author (x) >>']], '');
    // Another file's key: the stream decrypts to noise.
    const other = encryptedWithEmptyPassword([[6, '<< /Author (x) >>']], '');
    const swapped = Buffer.from(file.toString('latin1').replace(/\/UE <[0-9a-f]+>/, other.toString('latin1').match(/\/UE <[0-9a-f]+>/)![0]).replace(/\/U <[0-9a-f]+>/, other.toString('latin1').match(/\/U <[0-9a-f]+>/)![0]), 'latin1');
    expect(await outcome(swapped)).toBe('file_corrupt');
  });

  const fixtures = path.join(projectRoot, 'test', 'fixtures', 'engine');
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.pdf'))) {
    const expected = file.startsWith('user-password') ? 'pdf_encrypted' : 'ok';
    it(`qpdf fixture ${file} → ${expected}`, async () => {
      expect(await outcome(readFileSync(path.join(fixtures, file)))).toBe(expected);
    });
  }
});

describe('PDF quick check (on the event loop, within a budget)', () => {
  const write = (bytes: Buffer) => {
    const file = nextFile('quick');
    writeFileSync(file, bytes);
    return file;
  };

  it('answers at once for a page around a big image whose length is right', () => {
    const image = stream('/Type /XObject /Subtype /Image /Filter /DCTDecode', randomBytes(3_000_000));
    expect(checkPdfQuickly(write(pdf([CATALOG, PAGES, PAGE, image])))).toBe(true);
    expect(() => checkPdfQuickly(write(pdf([CATALOG, PAGES, PAGE, image, JS_ACTION])))).toThrow(
      expect.objectContaining({ code: 'pdf_active_content' }),
    );
  });

  it('hands over a file whose scan needs more than the budget', () => {
    // An indirect length: the end of 3 MB of data is found by reading through it.
    const data = randomBytes(3_000_000).map((b) => (b === 0x65 ? 0x66 : b)); // no "e": no stray "endstream"
    const body = Buffer.concat([bytesOf('<< /Length 6 0 R >>\nstream\n'), data, bytesOf('\nendstream')]);
    const file = write(pdf([CATALOG, PAGES, PAGE, body, '<< >>', String(data.length)]));
    expect(checkPdfQuickly(file)).toBe(false);
    return expect(checkPdf(file)).resolves.toBeUndefined();
  });
});
