/** PDFs written by hand, byte for byte, for cases no tool writes on purpose. */

/**
 * A one-page PDF: `catalog` is object 1, the page tree, the page and its content are objects
 * 2 to 4, and `more` are objects 5, 6…
 */
export function pdfFromObjects([catalog, ...more]: [string, ...string[]], label = 'test'): Buffer {
  const content = `BT /F1 12 Tf 72 720 Td (${label}) Tj ET`;
  const objects = [
    catalog,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    ...more,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  const size = objects.length + 1;
  out += `xref\n0 ${size}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * A document-level JavaScript name tree whose script object is gone (object 7 is in no
 * revision): no action dictionary, no /JS key, nothing but the name tree itself to find.
 * Readers still find the tree. Written in the catalog, or as an object of its own (the usual
 * way). Both files pass `qpdf --check`.
 */
export const JAVASCRIPT_NAME_TREE = {
  direct: pdfFromObjects(['<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript << /Names [(init) 7 0 R] >> >> >>']),
  indirect: pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R /Names 5 0 R >>',
    '<< /JavaScript 6 0 R >>',
    '<< /Names [(init) 7 0 R] >>',
  ]),
};
