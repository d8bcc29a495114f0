/**
 * The stream filters a reader applies to object streams and cross-reference streams
 * (ISO 32000-2, 7.4): Flate and LZW with their predictors, ASCIIHex, ASCII85 and RunLength.
 * Written here rather than taken from a library because every step must stop at an output
 * cap (a small file can expand to gigabytes) and fail loudly: a stream the scan cannot decode
 * is one whose objects it cannot see, and the file is then refused, never passed unread.
 * Image filters (DCT, JPX, CCITT, JBIG2) never hold objects: meeting one here is a refusal.
 */
import { constants, inflateSync } from 'node:zlib';
import { HexPairs, SyntaxProblem, isDict, isWhitespace, nameOf, type PdfDict, type PdfValue } from './syntax';

/** The stream's filters and their parameters, in the order they are applied to decode. */
function filtersOf(dict: PdfDict): { name: string; parms: PdfDict | undefined }[] {
  const filter = dict.get('Filter');
  const parms = dict.get('DecodeParms') ?? dict.get('DP');
  const names: PdfValue[] = filter === undefined || filter === null ? [] : Array.isArray(filter) ? filter : [filter];
  const parmList: PdfValue[] = Array.isArray(parms) ? parms : [parms ?? null];
  return names.map((value, i) => {
    const name = nameOf(value);
    if (name === undefined) throw new SyntaxProblem('filter is not a name');
    const p = parmList[i];
    return { name, parms: isDict(p) ? p : undefined };
  });
}

/** Decodes a stream's data through all its filters; throws SyntaxProblem when it cannot. */
export function decodeStream(data: Buffer, dict: PdfDict, maxOutput: number): Buffer {
  let out = data;
  for (const { name, parms } of filtersOf(dict)) {
    out = decodeOne(name, out, parms, maxOutput);
    if (out.length > maxOutput) throw new SyntaxProblem('stream too large once decoded');
  }
  return out;
}

function decodeOne(name: string, data: Buffer, parms: PdfDict | undefined, maxOutput: number): Buffer {
  switch (name) {
    case 'FlateDecode':
    case 'Fl':
      return predict(inflate(data, maxOutput), parms);
    case 'LZWDecode':
    case 'LZW':
      return predict(lzw(data, parms, maxOutput), parms);
    case 'ASCIIHexDecode':
    case 'AHx':
      return asciiHex(data);
    case 'ASCII85Decode':
    case 'A85':
      return ascii85(data);
    case 'RunLengthDecode':
    case 'RL':
      return runLength(data, maxOutput);
    case 'Crypt': {
      // Only the identity crypt filter can be named on a stream the scan decodes itself.
      const filterName = parms ? nameOf(parms.get('Name')) : 'Identity';
      if (filterName === undefined || filterName === 'Identity') return data;
      throw new SyntaxProblem(`crypt filter ${filterName}`);
    }
    default:
      throw new SyntaxProblem(`filter ${name}`);
  }
}

function inflate(data: Buffer, maxOutput: number): Buffer {
  try {
    // Readers keep what inflates from a stream cut short (a missing checksum or end block);
    // a stream that is not zlib at all still fails here.
    return inflateSync(data, { maxOutputLength: maxOutput, finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    throw new SyntaxProblem('stream does not inflate');
  }
}

function numberIn(parms: PdfDict | undefined, key: string, fallback: number): number {
  const value = parms?.get(key);
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/** Undoes the TIFF (2) or PNG (10 to 15) predictor named in the parameters. */
function predict(data: Buffer, parms: PdfDict | undefined): Buffer {
  const predictor = numberIn(parms, 'Predictor', 1);
  if (predictor === 1) return data;
  const colors = numberIn(parms, 'Colors', 1);
  const bpc = numberIn(parms, 'BitsPerComponent', 8);
  const columns = numberIn(parms, 'Columns', 1);
  if (colors < 1 || colors > 32 || ![1, 2, 4, 8, 16].includes(bpc) || columns < 1 || columns > 1 << 20)
    throw new SyntaxProblem('predictor parameters');
  const pixelBytes = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowBytes = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) throw new SyntaxProblem('TIFF predictor with other than 8 bits');
    const out = Buffer.from(data);
    for (let row = 0; row + rowBytes <= out.length; row += rowBytes)
      for (let i = pixelBytes; i < rowBytes; i++) out[row + i] = (out[row + i]! + out[row + i - pixelBytes]!) & 0xff;
    return out;
  }
  if (predictor < 10 || predictor > 15) throw new SyntaxProblem(`predictor ${predictor}`);
  return undoPng(data, rowBytes, pixelBytes);
}

/** PNG predictors (7.4.4.4): each row starts with its filter type byte. */
function undoPng(data: Buffer, rowBytes: number, pixelBytes: number): Buffer {
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = Buffer.alloc(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const kind = data[r * (rowBytes + 1)]!;
    if (kind > 4) throw new SyntaxProblem('PNG predictor type');
    const base = r * rowBytes;
    for (let c = 0; c < rowBytes; c++) {
      const raw = data[r * (rowBytes + 1) + 1 + c]!;
      const left = c >= pixelBytes ? out[base + c - pixelBytes]! : 0;
      const up = r > 0 ? out[base - rowBytes + c]! : 0;
      const upLeft = r > 0 && c >= pixelBytes ? out[base - rowBytes + c - pixelBytes]! : 0;
      let predicted = 0;
      if (kind === 1) predicted = left;
      else if (kind === 2) predicted = up;
      else if (kind === 3) predicted = (left + up) >> 1;
      else if (kind === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      out[base + c] = (raw + predicted) & 0xff;
    }
  }
  return out;
}

function asciiHex(data: Buffer): Buffer {
  const out = Buffer.alloc(Math.ceil(data.length / 2));
  let n = 0;
  const pairs = new HexPairs();
  for (const c of data) {
    if (c === 0x3e) break;
    const byte = pairs.push(c);
    if (byte >= 0) out[n++] = byte;
  }
  if (pairs.rest() >= 0) out[n++] = pairs.rest();
  return out.subarray(0, n);
}

function ascii85(data: Buffer): Buffer {
  const out = Buffer.alloc(Math.ceil((data.length * 4) / 5) + 4 * data.length);
  let n = 0;
  const group: number[] = [];
  const flush = (count: number) => {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (i < group.length ? group[i]! : 84);
    if (value > 0xffffffff) throw new SyntaxProblem('ASCII85 group out of range');
    for (let i = 0; i < count; i++) out[n++] = (value >>> (24 - 8 * i)) & 0xff;
    group.length = 0;
  };
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7e) break; // ~> ends the data
    if (isWhitespace(c)) continue;
    if (c === 0x7a && group.length === 0) {
      out.fill(0, n, n + 4);
      n += 4;
      continue;
    }
    if (c < 0x21 || c > 0x75) throw new SyntaxProblem('bad ASCII85 character');
    group.push(c - 0x21);
    if (group.length === 5) flush(4);
  }
  if (group.length === 1) throw new SyntaxProblem('ASCII85 final group of one');
  if (group.length > 0) flush(group.length - 1);
  return out.subarray(0, n);
}

function runLength(data: Buffer, maxOutput: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (let i = 0; i < data.length; ) {
    const length = data[i++]!;
    if (length === 128) break;
    let part: Buffer;
    if (length < 128) {
      part = data.subarray(i, i + length + 1);
      i += length + 1;
    } else {
      if (i >= data.length) break;
      part = Buffer.alloc(257 - length, data[i++]!);
    }
    total += part.length;
    if (total > maxOutput) throw new SyntaxProblem('stream too large once decoded');
    parts.push(part);
  }
  return Buffer.concat(parts);
}

/** LZW as in 7.4.4.2: 9 to 12-bit codes, 256 clears, 257 ends, /EarlyChange 1 by default. */
function lzw(data: Buffer, parms: PdfDict | undefined, maxOutput: number): Buffer {
  const early = numberIn(parms, 'EarlyChange', 1) === 0 ? 0 : 1;
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const lengths = new Uint32Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    lengths[i] = 1;
  }
  const chunks: Buffer[] = [];
  let chunk = Buffer.alloc(64 * 1024);
  let n = 0;
  let total = 0;
  const emit = (code: number) => {
    const length = lengths[code]!;
    total += length;
    if (total > maxOutput) throw new SyntaxProblem('stream too large once decoded');
    if (n + length > chunk.length) {
      chunks.push(chunk.subarray(0, n));
      chunk = Buffer.alloc(Math.max(64 * 1024, length));
      n = 0;
    }
    for (let c = code, i = length - 1; i >= 0; i--, c = prefix[c]!) chunk[n + i] = suffix[c]!;
    n += length;
  };
  const firstByte = (code: number) => {
    let c = code;
    while (prefix[c]! >= 0) c = prefix[c]!;
    return suffix[c]!;
  };
  let next = 258;
  let width = 9;
  let previous = -1;
  let bits = 0;
  let held = 0;
  for (const byte of data) {
    held = (held << 8) | byte;
    bits += 8;
    while (bits >= width) {
      const code = (held >>> (bits - width)) & ((1 << width) - 1);
      bits -= width;
      held &= (1 << bits) - 1;
      if (code === 256) {
        next = 258;
        width = 9;
        previous = -1;
        continue;
      }
      if (code === 257) return Buffer.concat([...chunks, chunk.subarray(0, n)]);
      if (previous < 0) {
        if (code > 255) throw new SyntaxProblem('bad LZW code');
        emit(code);
        previous = code;
        continue;
      }
      let first: number;
      if (code < next) first = firstByte(code);
      else if (code === next) first = firstByte(previous);
      else throw new SyntaxProblem('bad LZW code');
      if (next < 4096) {
        prefix[next] = previous;
        suffix[next] = first;
        lengths[next] = lengths[previous]! + 1;
        next++;
      }
      emit(code);
      previous = code;
      if (next + early >= 1 << width && width < 12) width++;
    }
  }
  return Buffer.concat([...chunks, chunk.subarray(0, n)]);
}
