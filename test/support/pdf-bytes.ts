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

