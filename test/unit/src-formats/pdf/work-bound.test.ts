/**
 * Issue 14, item 5: one expensive PDF cannot stall the checks. The scan's work is bounded per
 * file and stays linear in its size: stream ends come from one list of `endstream` positions,
 * and a file that would need more than MAX_WORK is refused as too complex, at once.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_WORK, scanPdfFile } from '../../../../src-formats';
import { checkPdf } from '../../../../src-formats/pdf/check';
import { checkOutcomes } from '../../../support/check-outcome';
import { nestedStringsPdf, wrongLengthsPdf } from '../../../support/pdf-bytes';
import { hasQpdf, qpdfView } from '../../../support/qpdf';

const { outcome, nextFile } = checkOutcomes('depot-pdf-work-', '.pdf', checkPdf);

describe('the PDF scan does bounded, linear work', () => {
  it('objects with wrong stream lengths hidden in one big body: work linear in the size', () => {
    const bytes = wrongLengthsPdf(4000, 1_000_000);
    // A reader reads the same file (a smaller one: qpdf's own work grows with the entries).
    if (hasQpdf) expect(qpdfView(wrongLengthsPdf(200, 100_000)).pages).toBe(1);
    const file = nextFile('wrong-lengths');
    writeFileSync(file, bytes);
    const result = scanPdfFile(file);
    expect(result.activeContent).toEqual([]);
    // Before: each hidden stream searched the rest of the body, about 4000 × 0.5 MB.
    expect(result.work).toBeLessThan(4 * bytes.length);
  });

  it('objects hidden inside one another (work growing with their square) are refused as too complex', async () => {
    const bytes = nestedStringsPdf(40_000);
    expect(await outcome(bytes)).toBe('pdf_too_complex');
    // The same construction, shallow: well within the bound, and accepted.
    const shallow = nestedStringsPdf(50);
    expect(await outcome(shallow)).toBe('ok');
    const file = nextFile('shallow');
    writeFileSync(file, shallow);
    expect(scanPdfFile(file).work).toBeLessThan(MAX_WORK);
  });
});
