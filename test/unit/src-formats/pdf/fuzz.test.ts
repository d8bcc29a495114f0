/**
 * Property-based tests of the PDF scan with what issue 14 taught: wherever an action sits
 * (direct or behind references, in a hidden revision, an object stream or a cross-reference
 * stream, under any chain of filters, its names written with #xx escapes), the scan refuses
 * it when it runs something and accepts the same file with a harmless action; and any bytes
 * before the header make the file unreadable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVE_ACTIONS, checkPdf } from '../../../../src-formats';
import { checkOutcomes } from '../../../support/check-outcome';
import { objectStreamFile, tableInStreamBody, xrefStreamInBody } from '../../../support/hidden-pdf';
import { pdf } from '../../../support/pdf-bytes';
import { hasQpdf, qpdfView } from '../../../support/qpdf';

const { outcome } = checkOutcomes('depot-pdf-fuzz-', '.pdf', checkPdf);

const FILTERS = ['FlateDecode', 'ASCIIHexDecode', 'ASCII85Decode', 'LZWDecode', 'RunLengthDecode'];
const HARMLESS = ['GoTo', 'URI', 'Named', 'Thread'];

/** A name as a writer may spell it: some characters as #xx escapes. */
const spelt = (name: string) =>
  fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((escape) =>
    [...name].map((ch, i) => (escape[i] ? `#${ch.charCodeAt(0).toString(16).padStart(2, '0')}` : ch)).join(''),
  );

const placement = fc.record({
  indirect: fc.boolean(),
  where: fc.constantFrom('plain', 'hidden table', 'xref stream', 'object stream'),
  filters: fc.array(fc.constantFrom(...FILTERS), { minLength: 1, maxLength: 3 }),
});

/** The file with an action of type `type` run on opening, placed as `p` says. */
function build(type: string, p: { indirect: boolean; where: string; filters: string[] }): Buffer {
  // Object 5 is the action; with `indirect`, its /S is object 6 (after the action).
  const action = p.indirect ? '<< /S 6 0 R /F (x) /URI (https://example.org) /N /NextPage >>' : `<< /S /${type} /F (x) /URI (https://example.org) /N /NextPage >>`;
  const objects: [number, string][] = p.indirect ? [[5, action], [6, `/${type}`]] : [[5, action]];
  switch (p.where) {
    case 'hidden table':
      return tableInStreamBody(objects);
    case 'xref stream':
      // The action itself is direct there: the point is the table's filters.
      return xrefStreamInBody(p.filters, { action: `<< /S /${type} /F (x) /URI (https://example.org) /N /NextPage >>` });
    case 'object stream':
      return objectStreamFile(p.filters, objects, '/OpenAction 5 0 R');
    default:
      return pdf(['<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>', action.replace('6 0 R', '5 0 R'), `/${type}`]);
  }
}

describe('PDF scan properties (fuzz)', () => {
  it('an action that runs something is refused wherever and however it is written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ACTIVE_ACTIONS).chain((type) => spelt(type).map((name) => ({ type, name }))),
        placement,
        async ({ name }, p) => {
          expect(await outcome(build(name, p))).toBe('pdf_active_content');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the same files with a harmless action are accepted, and a reader reads them cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...HARMLESS), placement, async (type, p) => {
        const bytes = build(type, p);
        if (hasQpdf) expect(qpdfView(bytes).pages).toBe(1);
        expect(await outcome(bytes)).toBe('ok');
      }),
      { numRuns: 30 },
    );
  });

  it('any bytes before the header make the file unreadable', async () => {
    const file = pdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>']);
    expect(await outcome(file)).toBe('ok');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (prefix) => {
        expect(await outcome(Buffer.concat([Buffer.from(prefix), file]))).toBe('file_corrupt');
      }),
      { numRuns: 40 },
    );
  });
});
