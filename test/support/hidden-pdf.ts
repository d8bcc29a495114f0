/**
 * PDFs that hide an action from a scan which does not read the cross-reference as readers
 * do (issue 14, item 1): the real table inside a stream body, a cross-reference stream in any
 * filter, a hybrid file's /XRefStm, object streams in any filter.
 */
import { deflateSync } from 'node:zlib';
import { ENCODERS, Layout, xrefStreamRows, xrefTable } from './pdf-bytes';

export const PIECES = {
  CATALOG: '<< /Type /Catalog /Pages 2 0 R >>',
  PAGES: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  PAGE: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  JS: '<< /S /JavaScript /JS (app.alert\\(1\\)) >>',
};
const { CATALOG, PAGES, PAGE } = PIECES;

/** A clean first revision a walk from the top sees: catalog 1, pages 2, page 3. */
function decoy(): Layout {
  return new Layout().add('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n').object(1, CATALOG, 'decoy1').object(2, PAGES).object(3, PAGE);
}

/**
 * (a) The real cross-reference table, catalog and action inside the body of stream 4; the
 * decoy's own table and trailer sit in the clear after it, and startxref names the hidden one.
 */
export function tableInStreamBody(hidden: [number, string][], catalogExtra = '/OpenAction 5 0 R'): Buffer {
  const l = decoy().carrier(4);
  l.object(1, `<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`, 'real1');
  for (const [num, body] of hidden) l.object(num, body);
  const entries: [number, number][] = [[1, l.at('real1')], [2, l.at('2')], [3, l.at('3')], [4, l.at('4')], ...hidden.map(([n]): [number, number] => [n, l.at(String(n))])];
  l.add(xrefTable(entries, `<< /Size ${Math.max(...entries.map(([n]) => n)) + 1} /Root 1 0 R >>`), 'realxref');
  l.close();
  l.add(xrefTable([[1, l.at('decoy1')], [2, l.at('2')], [3, l.at('3')], [4, l.at('4')]], '<< /Size 5 /Root 1 0 R >>'));
  return l.add(`startxref\n${l.at('realxref')}\n%%EOF\n`).bytes();
}

/**
 * (c) The real catalog and action inside stream 4's body, named by a cross-reference stream
 * (object 9) encoded with `filters`, also hidden there. With `hybrid`, startxref names a
 * classic table in the clear (the decoy's objects but the catalog) whose trailer's /XRefStm
 * points at the hidden stream, as hybrid-reference files do.
 */
export function xrefStreamInBody(filters: string[], options: { hybrid?: boolean; predictor?: boolean; action?: string } = {}): Buffer {
  const l = decoy().carrier(4);
  l.object(1, '<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>', 'real1').object(5, options.action ?? PIECES.JS);
  // The stream names itself (object 9), where it is about to be added.
  const entries: [number, number][] = [[1, l.at('real1')], [2, l.at('2')], [3, l.at('3')], [4, l.at('4')], [5, l.at('5')], [9, l.length]];
  const table = xrefStreamRows(entries);
  const index = table.index;
  let rows = table.rows;
  let parms = '';
  if (options.predictor) {
    // PNG Up rows, as most writers make them.
    const rowLength = 7;
    const out: Buffer[] = [];
    for (let r = 0; r * rowLength < rows.length; r++) {
      const row = rows.subarray(r * rowLength, (r + 1) * rowLength);
      out.push(Buffer.from([2]), Buffer.from(row.map((b, c) => (b - (r > 0 ? rows[(r - 1) * rowLength + c]! : 0)) & 0xff)));
    }
    rows = Buffer.concat(out);
    parms = ` /DecodeParms [${filters.map((f) => (f === 'FlateDecode' ? '<< /Predictor 12 /Columns 7 >>' : 'null')).join(' ')}]`;
  }
  let data: Buffer = rows;
  for (const f of [...filters].reverse()) data = f === 'FlateDecode' ? deflateSync(data) : ENCODERS[f]!(data);
  const dict = `/Type /XRef /Size 10 /W [1 4 2] /Index ${index} /Root 1 0 R /Filter [${filters.map((f) => `/${f}`).join(' ')}]${parms}`;
  l.add(Buffer.concat([Buffer.from(`9 0 obj\n<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n')]), 'xrefstm');
  l.close();
  if (options.hybrid) {
    l.add(xrefTable([[2, l.at('2')], [3, l.at('3')], [4, l.at('4')]], `<< /Size 10 /Root 1 0 R /XRefStm ${l.at('xrefstm')} >>`), 'table');
    return l.add(`startxref\n${l.at('table')}\n%%EOF\n`).bytes();
  }
  // The decoy's own table in the clear, which the walk reads.
  l.add(xrefTable([[1, l.at('decoy1')], [2, l.at('2')], [3, l.at('3')], [4, l.at('4')]], '<< /Size 5 /Root 1 0 R >>'));
  return l.add(`startxref\n${l.at('xrefstm')}\n%%EOF\n`).bytes();
}

/** An object stream (object 6) encoded with `filters` holding `objects`, in a plain file. */
export function objectStreamFile(filters: string[], objects: [number, string][], catalogExtra: string): Buffer {
  let header = '';
  let content = '';
  for (const [num, body] of objects) {
    header += `${num} ${content.length} `;
    content += `${body}\n`;
  }
  let data: Buffer = Buffer.from(header + content, 'latin1');
  for (const f of [...filters].reverse()) data = f === 'FlateDecode' ? deflateSync(data) : ENCODERS[f]!(data);
  const dict = `/Type /ObjStm /N ${objects.length} /First ${header.length} /Filter [${filters.map((f) => `/${f}`).join(' ')}] /Length ${data.length}`;
  const l = new Layout().add('%PDF-1.7\n').object(1, `<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`).object(2, PAGES).object(3, PAGE);
  l.add(Buffer.concat([Buffer.from(`6 0 obj\n<< ${dict} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n')]), '6');
  // Objects inside the object stream are type-2 entries: a cross-reference stream names them.
  const rows: Buffer[] = [];
  const index: string[] = [];
  for (const [num, at] of [[1, l.at('1')], [2, l.at('2')], [3, l.at('3')], [6, l.at('6')]] as const) {
    const row = Buffer.alloc(7);
    row[0] = 1;
    row.writeUInt32BE(at, 1);
    rows.push(row);
    index.push(`${num} 1`);
  }
  objects.forEach(([num], i) => {
    const row = Buffer.alloc(7);
    row[0] = 2;
    row.writeUInt32BE(6, 1);
    row.writeUInt16BE(i, 5);
    rows.push(row);
    index.push(`${num} 1`);
  });
  const xrefAt = l.length;
  const xrefData = Buffer.concat(rows);
  l.add(Buffer.concat([Buffer.from(`20 0 obj\n<< /Type /XRef /Size 21 /W [1 4 2] /Index [${index.join(' ')} 20 1] /Root 1 0 R /Length ${xrefData.length + 7} >>\nstream\n`, 'latin1'), xrefData, Buffer.from([1, 0, 0, 0, 0, 0, 0]), Buffer.from('\nendstream\nendobj\n')]));
  // The stream's own entry: patch its offset in (its last row).
  const bytes = l.add(`startxref\n${xrefAt}\n%%EOF\n`).bytes();
  const rowAt = bytes.indexOf(xrefData) + xrefData.length;
  bytes.writeUInt32BE(xrefAt, rowAt + 1);
  return bytes;
}

