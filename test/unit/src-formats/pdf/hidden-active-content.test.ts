/**
 * Issue 14, item 1: no active content hides from the PDF checks. Each file below carries an
 * action that a real reader (qpdf, which follows startxref like PDFium and poppler) finds,
 * built so that a scan which does not follow the cross-reference as readers do misses it:
 * the real table and catalog inside a stream body, a header after other bytes, a table in a
 * stream with a filter the scan skipped, an action type given by reference, a hybrid file's
 * /XRefStm, object streams with every filter, names written with #xx escapes. The server's
 * scan refuses each; the engine never passes one on as it is, and what it makes of it is
 * accepted by the server.
 */
import { describe, expect, it } from 'vitest';
import { normalise } from '../../../../src-engine/core';
import { openPdf } from '../../../../src-engine/pdf-read';
import { sniff } from '../../../../src-engine/sniff';
import { checkPdf } from '../../../../src-formats';
import { mediaTypeFromBytes } from '../../../../src-server/file-type';
import { checkOutcomes } from '../../../support/check-outcome';
import { pdf } from '../../../support/pdf-bytes';
import { PIECES, objectStreamFile, tableInStreamBody, xrefStreamInBody } from '../../../support/hidden-pdf';
import { hasQpdf, qpdfView } from '../../../support/qpdf';

const { outcome } = checkOutcomes('depot-hidden-active-', '.pdf', checkPdf);

const { CATALOG, PAGES, PAGE, JS } = PIECES;

/** An action of type `s`, named through object 6 (`/S 6 0 R`), run when the file opens. */
function indirectActionType(s: string): Buffer {
  return pdf([`<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>`, PAGES, PAGE, '<< /S 5 0 R /F (calc.exe) /JS (x) >>'.replace(' /JS (x)', ''), `/${s}`]);
}

interface Case {
  bytes: Buffer;
  /** What qpdf finds (a name or a key), proving a reader sees the active content. */
  reader: string;
  /** The server scan's verdict. */
  server: string;
}

const CASES: Record<string, Case> = {
  '(a) the real table, catalog and JavaScript inside a stream body': { bytes: tableInStreamBody([[5, JS]]), reader: 'JavaScript', server: 'pdf_active_content' },
  '(a) a Launch action there, given by reference': { bytes: tableInStreamBody([[5, '<< /S 6 0 R /F (calc.exe) >>'], [6, '/Launch']]), reader: 'Launch', server: 'pdf_active_content' },
  '(a) a /Names JavaScript tree there, all behind references': {
    bytes: tableInStreamBody([[5, '<< /JavaScript 6 0 R >>'], [6, '<< /Names [(x) 7 0 R] >>'], [7, JS]], '/Names 5 0 R'),
    reader: 'JavaScript',
    server: 'pdf_active_content',
  },
  '(c) a cross-reference stream in ASCIIHexDecode, hidden in a stream body': { bytes: xrefStreamInBody(['ASCIIHexDecode']), reader: 'JavaScript', server: 'pdf_active_content' },
  '(c) … in ASCII85Decode': { bytes: xrefStreamInBody(['ASCII85Decode']), reader: 'JavaScript', server: 'pdf_active_content' },
  '(c) … in LZWDecode': { bytes: xrefStreamInBody(['LZWDecode']), reader: 'JavaScript', server: 'pdf_active_content' },
  '(c) … in RunLengthDecode': { bytes: xrefStreamInBody(['RunLengthDecode']), reader: 'JavaScript', server: 'pdf_active_content' },
  '(c) … in ASCIIHex over Flate with a PNG predictor': { bytes: xrefStreamInBody(['ASCIIHexDecode', 'FlateDecode'], { predictor: true }), reader: 'JavaScript', server: 'pdf_active_content' },
  '(c) a hybrid-reference file whose /XRefStm names the hidden catalog': { bytes: xrefStreamInBody(['FlateDecode'], { hybrid: true }), reader: 'JavaScript', server: 'pdf_active_content' },
  'JavaScript at the end of a /Next chain in an LZW object stream': {
    bytes: objectStreamFile(['LZWDecode'], [[4, '<< /S /GoTo /D [3 0 R /Fit] /Next 5 0 R >>'], [5, JS]], '/OpenAction 4 0 R'),
    reader: 'JavaScript',
    server: 'pdf_active_content',
  },
  'a Launch action by reference in an ASCII85 object stream': {
    bytes: objectStreamFile(['ASCII85Decode', 'FlateDecode'], [[4, '<< /S 5 0 R /F (calc.exe) >>'], [5, '/Launch']], '/OpenAction 4 0 R'),
    reader: 'Launch',
    server: 'pdf_active_content',
  },
  'a name written with #xx escapes, by reference: /S 5 0 R, 5 being /L#61unch': {
    bytes: pdf([CATALOG.replace('>>', '/OpenAction 4 0 R >>'), PAGES, PAGE, '<< /S 5 0 R /F (calc.exe) >>', '/L#61unch']),
    reader: 'Launch',
    server: 'pdf_active_content',
  },
  'additional actions (/AA) on an annotation, given by reference': {
    bytes: pdf([CATALOG, PAGES, PAGE.replace('>>', '/Annots [4 0 R] >>'), '<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /AA 5 0 R >>', '<< /E 6 0 R >>', JS]),
    reader: 'AA',
    server: 'pdf_active_content',
  },
};
for (const s of ['Launch', 'SubmitForm', 'ImportData', 'GoToR', 'GoToE', 'Rendition', 'Sound', 'Movie', 'RichMediaExecute', 'JavaScript']) {
  CASES[`an action of type ${s} given by reference (/S 5 0 R)`] = { bytes: indirectActionType(s), reader: s, server: 'pdf_active_content' };
}
for (const subtype of ['RichMedia', '3D', 'Movie', 'Sound', 'Screen', 'FileAttachment']) {
  CASES[`a ${subtype} annotation whose /Subtype is given by reference`] = {
    bytes: pdf([CATALOG, PAGES, PAGE.replace('>>', '/Annots [4 0 R] >>'), '<< /Type /Annot /Subtype 5 0 R /Rect [0 0 9 9] >>', `/${subtype}`]),
    reader: subtype,
    server: 'pdf_active_content',
  };
}

describe('no active content hides from the PDF checks (issue 14, item 1)', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it.skipIf(!hasQpdf)(`${name}: a reader finds it`, () => {
      const view = qpdfView(c.bytes);
      expect(view.clean).toBe(true);
      expect(view.pages).toBe(1);
      expect(view.finds(c.reader)).toBe(true);
    });

    it(`${name}: the server refuses it`, async () => {
      expect(await outcome(c.bytes)).toBe(c.server);
    });

    it(`${name}: the engine never passes it on as it is, and the server takes what it makes`, async () => {
      const opened = await openPdf(new Uint8Array(c.bytes));
      expect(opened.activeContent.length > 0 || !opened.wellFormed).toBe(true);
      const out = await normalise({ files: [{ name: 'doc.pdf', bytes: new Uint8Array(c.bytes) }], maxBytes: 10 * 1024 * 1024 });
      expect(Buffer.from(out.bytes).equals(c.bytes)).toBe(false);
      expect(await outcome(out.bytes)).toBe('ok');
    });
  }

  it('(b) a page with a script before a PDF is no PDF: refused by the server and the engine', async () => {
    const page = pdf([CATALOG.replace('>>', '/OpenAction 4 0 R >>'), PAGES, PAGE, JS]);
    const html = Buffer.from('<html><script>alert(document.domain)</script></html>\n', 'latin1');
    const bytes = Buffer.concat([html, page]);
    if (hasQpdf) expect(qpdfView(bytes).pages).toBe(1); // readers count offsets from the header
    expect(mediaTypeFromBytes(bytes)).toBeNull();
    expect(await outcome(bytes)).toBe('file_corrupt');
    await expect(sniff(new Uint8Array(bytes))).rejects.toMatchObject({ code: 'file_type_not_allowed' });
    // The same bytes without the page before them are a PDF (with active content).
    expect(mediaTypeFromBytes(page)).toBe('application/pdf');
    expect(await sniff(new Uint8Array(page))).toBe('pdf');
  });

  it('clean object streams in every filter are accepted', async () => {
    for (const filters of [['LZWDecode'], ['ASCII85Decode'], ['ASCIIHexDecode', 'FlateDecode'], ['RunLengthDecode']]) {
      const bytes = objectStreamFile(filters, [[4, '<< /S /GoTo /D [3 0 R /Fit] >>']], '/OpenAction 4 0 R');
      if (hasQpdf) expect(qpdfView(bytes).clean).toBe(true);
      expect(await outcome(bytes), filters.join(' ')).toBe('ok');
    }
  });

  it('refuses what cannot be resolved: an unknown filter, a startxref leading nowhere, an /OpenAction to nothing', async () => {
    const jbig = objectStreamFile(['FlateDecode'], [[4, '<< /S /GoTo /D [3 0 R /Fit] >>']], '').toString('latin1').replace('/Filter [/FlateDecode]', '/Filter [/JBIG2Decode]');
    expect(await outcome(Buffer.from(jbig, 'latin1'))).toBe('file_corrupt');
    const file = pdf([CATALOG, PAGES, PAGE]).toString('latin1');
    expect(await outcome(Buffer.from(file.replace(/startxref\n\d+/, 'startxref\n3'), 'latin1'))).toBe('file_corrupt');
    expect(await outcome(pdf([CATALOG.replace('>>', '/OpenAction 9 0 R >>'), PAGES, PAGE]))).toBe('file_corrupt');
  });
});
