/** PDFs written byte by byte, to corner a reader with exactly the construction a test needs. */
export type Part = string | Buffer;
export const bytesOf = (part: Part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part);

export function stream(dict: string, data: Buffer, length = data.length): Buffer {
  return Buffer.concat([bytesOf(`<< ${dict} /Length ${length} >>\nstream\n`), data, bytesOf('\nendstream')]);
}

/**
 * A PDF from object bodies numbered from 1, with a classic cross-reference table. `extra`
 * goes into the trailer; `objectOffsets` lets a test point an entry somewhere else.
 */
export function pdf(objects: Part[], options: { extra?: string; objectOffsets?: (offsets: number[], body: Buffer) => number[] } = {}): Buffer {
  const parts: Buffer[] = [bytesOf('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let size = parts[0]!.length;
  let offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(size);
    const part = Buffer.concat([bytesOf(`${i + 1} 0 obj\n`), bytesOf(body), bytesOf('\nendobj\n')]);
    parts.push(part);
    size += part.length;
  });
  const body = Buffer.concat(parts);
  if (options.objectOffsets) offsets = options.objectOffsets(offsets, body);
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${options.extra ?? ''} >>\nstartxref\n${size}\n%%EOF\n`;
  return Buffer.concat([body, bytesOf(xref)]);
}


/**
 * A file built piece by piece, with the offsets of what was placed where, so that tables can
 * point at objects wherever a test hides them. `carrier` opens a stream whose body holds
 * what is added until `close`; its /Length is patched in when it closes.
 */
export class Layout {
  private readonly parts: Buffer[] = [];
  length = 0;
  private readonly marks = new Map<string, number>();
  private openCarrier: { partIndex: number; start: number } | null = null;

  add(part: Part, mark?: string): this {
    if (mark) this.marks.set(mark, this.length);
    const bytes = bytesOf(part);
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }

  /** `N 0 obj … endobj`, marked with its number unless `mark` says otherwise. */
  object(num: number, body: Part, mark = String(num)): this {
    return this.add(Buffer.concat([bytesOf(`${num} 0 obj\n`), bytesOf(body), bytesOf('\nendobj\n')]), mark);
  }

  carrier(num: number): this {
    this.add(`${num} 0 obj\n`, String(num));
    this.openCarrier = { partIndex: this.parts.length, start: 0 };
    this.add('<< /Length 0000000000 >>\nstream\n');
    this.openCarrier.start = this.length;
    return this;
  }

  close(): this {
    const open = this.openCarrier!;
    const length = this.length - open.start;
    this.parts[open.partIndex] = bytesOf(`<< /Length ${String(length).padStart(10, '0')} >>\nstream\n`);
    this.openCarrier = null;
    return this.add('\nendstream\nendobj\n');
  }

  at(mark: string): number {
    const at = this.marks.get(mark);
    if (at === undefined) throw new Error(`no mark ${mark}`);
    return at;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A classic cross-reference table with one subsection per entry ([number, offset]). */
export function xrefTable(entries: [number, number][], trailer: string): string {
  const rows = entries.map(([num, offset]) => `${num} 1\n${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  return `xref\n0 1\n0000000000 65535 f \n${rows}trailer\n${trailer}\n`;
}

/** The rows of a cross-reference stream with /W [1 4 2] and the /Index its entries need. */
export function xrefStreamRows(entries: [number, number][]): { rows: Buffer; index: string } {
  const rows = entries.map(([, offset]) => {
    const row = Buffer.alloc(7);
    row[0] = 1;
    row.writeUInt32BE(offset, 1);
    return row;
  });
  return { rows: Buffer.concat(rows), index: `[${entries.map(([num]) => `${num} 1`).join(' ')}]` };
}

/** Encoders for every filter a reader applies to object and cross-reference streams. */
export const ENCODERS: Record<string, (data: Buffer) => Buffer> = {
  ASCIIHexDecode: (data) => Buffer.from(`${data.toString('hex').replace(/(.{64})/g, '$1\n')}>`, 'latin1'),
  ASCII85Decode: (data) => {
    let out = '';
    for (let i = 0; i < data.length; i += 4) {
      const group = data.subarray(i, i + 4);
      const padded = Buffer.concat([group, Buffer.alloc(4 - group.length)]);
      let value = padded.readUInt32BE(0);
      if (group.length === 4 && value === 0) {
        out += 'z';
        continue;
      }
      const chars: string[] = [];
      for (let k = 0; k < 5; k++) {
        chars.unshift(String.fromCharCode(0x21 + (value % 85)));
        value = Math.floor(value / 85);
      }
      out += chars.slice(0, group.length + 1).join('');
    }
    return Buffer.from(`${out}~>`, 'latin1');
  },
  RunLengthDecode: (data) => {
    const parts: Buffer[] = [];
    for (let i = 0; i < data.length; i += 128) {
      const chunk = data.subarray(i, i + 128);
      parts.push(Buffer.from([chunk.length - 1]), chunk);
    }
    parts.push(Buffer.from([128]));
    return Buffer.concat(parts);
  },
  /** Literal codes only, 9 bits wide, with a clear code often enough that the width never grows. */
  LZWDecode: (data) => {
    const codes: number[] = [256];
    data.forEach((byte, i) => {
      if (i > 0 && i % 200 === 0) codes.push(256);
      codes.push(byte);
    });
    codes.push(257);
    const out = Buffer.alloc(Math.ceil((codes.length * 9) / 8));
    let bit = 0;
    for (const code of codes) {
      for (let k = 8; k >= 0; k--, bit++) if ((code >> k) & 1) out[bit >> 3]! |= 0x80 >> (bit & 7);
    }
    return out;
  },
};

/**
 * The file of issue 14, item 5: `entries` objects hidden in one big stream body, each a
 * stream whose /Length is wrong, named by the cross-reference table. A scan that searches
 * for `endstream` afresh for each one reads the rest of the body every time.
 */
export function wrongLengthsPdf(entries: number, bodyBytes: number): Buffer {
  const l = new Layout().add('%PDF-1.7\n').object(1, '<< /Type /Catalog /Pages 2 0 R >>').object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  l.object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>').carrier(4);
  const hidden: [number, number][] = [];
  for (let i = 0; i < entries; i++) {
    hidden.push([100 + i, l.length]);
    l.add(`${100 + i} 0 obj\n<< /Length 1 >>\nstream\nxx\n`);
  }
  if (l.length - l.at('4') < bodyBytes) l.add(Buffer.alloc(bodyBytes - (l.length - l.at('4')), 0x41));
  l.close();
  const xrefAt = l.length;
  l.add(xrefTable([[1, l.at('1')], [2, l.at('2')], [3, l.at('3')], [4, l.at('4')], ...hidden], `<< /Size ${100 + entries} /Root 1 0 R >>`));
  return l.add(`startxref\n${xrefAt}\n%%EOF\n`).bytes();
}

/**
 * `depth` objects hidden inside one another's literal string, each named by the table: a
 * scan parses each from its header to the end of the outer string, work that grows with
 * depth squared, and must stop at its bound.
 */
export function nestedStringsPdf(depth: number): Buffer {
  const l = new Layout().add('%PDF-1.7\n').object(1, '<< /Type /Catalog /Pages 2 0 R >>').object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  l.object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>');
  const hidden: [number, number][] = [];
  l.add('4 0 obj\n(', '4');
  for (let i = 0; i < depth; i++) {
    hidden.push([100 + i, l.length]);
    l.add(`${100 + i} 0 obj (`);
  }
  l.add(')'.repeat(depth + 1)).add('\nendobj\n');
  const xrefAt = l.length;
  l.add(xrefTable([[1, l.at('1')], [2, l.at('2')], [3, l.at('3')], [4, l.at('4')], ...hidden], `<< /Size ${100 + depth} /Root 1 0 R >>`));
  return l.add(`startxref\n${xrefAt}\n%%EOF\n`).bytes();
}
