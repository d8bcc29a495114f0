/**
 * One active-content policy for the server and the engine (issue 13): each construction that
 * was on only one side's list before is refused by the server's scan, found by the engine,
 * and absent from what the engine makes of it, which the server then accepts.
 */
import { describe, expect, it } from 'vitest';
import { normalise } from '../../../../src-engine/core';
import { openPdf } from '../../../../src-engine/pdf-read';
import { checkPdf } from '../../../../src-formats';
import { pdf, stream } from '../../../support/pdf-bytes';
import { checkOutcomes } from '../../../support/check-outcome';

const { outcome: serverOutcome } = checkOutcomes('depot-active-content-', '.pdf', checkPdf);

const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const page = (extra: string) => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] ${extra} >>`;
const link = (action: string) => `<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /A ${action} >>`;

const CASES: Record<string, Buffer> = {
  'additional actions (/AA) on a page': pdf([CATALOG, PAGES, page('/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>')]),
  'a SubmitForm action': pdf([CATALOG, PAGES, page('/Annots [4 0 R]'), link('<< /S /SubmitForm /F (https://example.org/collect) >>')]),
  'a ResetForm action': pdf([CATALOG, PAGES, page('/Annots [4 0 R]'), link('<< /S /ResetForm >>')]),
  'a Rendition action': pdf([CATALOG, PAGES, page('/Annots [4 0 R]'), link('<< /S /Rendition /OP 0 >>')]),
  'a 3D annotation': pdf([CATALOG, PAGES, page('/Annots [4 0 R]'), '<< /Type /Annot /Subtype /3D /Rect [0 0 50 50] >>']),
  'an XFA form': pdf(['<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>', PAGES, page(''), stream('', Buffer.from('<xdp/>'))]),
};

describe('the active-content policy, shared by the server and the engine', () => {
  for (const [name, bytes] of Object.entries(CASES)) {
    it(`${name}: refused by the server, found and removed by the engine`, async () => {
      expect(await serverOutcome(bytes)).toBe('pdf_active_content');
      const opened = await openPdf(new Uint8Array(bytes));
      expect(opened.activeContent).not.toEqual([]);
      const out = await normalise({ files: [{ name: 'form.pdf', bytes: new Uint8Array(bytes) }], maxBytes: 10 * 1024 * 1024 });
      expect((await openPdf(out.bytes)).activeContent).toEqual([]);
      expect(await serverOutcome(out.bytes)).toBe('ok');
    });
  }

  it('a plain page with a GoTo link is active for neither', async () => {
    const bytes = pdf([CATALOG, PAGES, page('/Annots [4 0 R]'), link('<< /S /GoTo /D [3 0 R /Fit] >>')]);
    expect(await serverOutcome(bytes)).toBe('ok');
    expect((await openPdf(new Uint8Array(bytes))).activeContent).toEqual([]);
  });
});
