/**
 * What the server checks in a PDF already on disk (api-contract.md section 3): it must parse,
 * open without a password (an owner password alone is fine) and carry no active content
 * (JavaScript, launch actions, embedded files).
 *
 * A structural scan, not a full load: the file is read through a small window, every indirect
 * object's dictionary is parsed and checked, stream bodies are jumped over by their /Length
 * (or the next `endstream` when the length is wrong) and never tokenised, and only object
 * streams, where dictionaries hide, are read, decrypted when needed and inflated, with a size
 * cap. Memory stays flat whatever the file's size, and a 5 MB scan costs about as much as
 * its dictionaries, not its images.
 *
 * The scan walks the file from start to end like pdf-lib's parser did (so every revision of
 * an incrementally updated file is seen), and also visits any object the cross-reference
 * tables or streams point at that the walk did not meet (an object hidden inside another's
 * stream body).
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import {
  decryptObjectData,
  fileKeyWithoutPassword,
  type StandardSecurity,
} from './security';
import { AppError } from '../../src-shared/errors';
import { activeContentOf } from './active-content';
import {
  BufferSource,
  FileSource,
  OverBudget,
  Parser,
  PdfRef,
  SyntaxProblem,
  isDict,
  isWhitespace,
  nameOf,
  type ByteSource,
  type PdfDict,
  type PdfValue,
} from './syntax';

/** One object stream, decompressed, can hold no more than this (a real one: a few hundred KB). */
const MAX_OBJECT_STREAM = 32 * 1024 * 1024;
/** All object streams of a file together. */
const MAX_INFLATED_TOTAL = 128 * 1024 * 1024;
/** Cross-reference entries followed to objects the walk did not meet. */
const MAX_XREF_ENTRIES = 1_000_000;
const ENDSTREAM = Buffer.from('endstream', 'latin1');

/** True when a dictionary is, or directly holds, active content (the shared policy). */
function isActiveDict(dict: PdfDict): boolean {
  return (
    activeContentOf({
      keys: () => dict.keys(),
      name: (key) => nameOf(dict.get(key)),
    }) !== undefined
  );
}

/** Depth needs no limit here: the parser refuses nesting beyond MAX_NESTING. */
function containsActive(value: PdfValue): boolean {
  if (isDict(value)) {
    if (isActiveDict(value)) return true;
    for (const inner of value.values()) if (containsActive(inner)) return true;
  } else if (Array.isArray(value)) {
    for (const inner of value) if (containsActive(inner)) return true;
  }
  return false;
}

/** What the page count needs of the catalog and page tree objects. */
interface TreeNode {
  type: 'Catalog' | 'Pages' | 'Page';
  kids: number[];
  pages: number | null;
}

interface ObjectStream {
  num: number;
  gen: number;
  start: number;
  end: number;
  dict: PdfDict;
}

interface Trailer {
  Root?: PdfValue;
  Encrypt?: PdfValue;
  ID?: PdfValue;
}

class PdfScan {
  active = false;
  readonly trailer: Trailer = {};
  readonly nodes = new Map<number, TreeNode>();
  private lastCatalog: number | null = null;
  readonly encryptDicts = new Map<number, PdfDict>();
  readonly objectStreams: ObjectStream[] = [];
  private readonly visited = new Set<number>();
  readonly xrefOffsets: number[] = [];
  private inflated = 0;

  /** `inflateBudget`: bytes object streams may inflate to before OverBudget is thrown. */
  constructor(
    private readonly src: ByteSource,
    private readonly inflateBudget = Number.POSITIVE_INFINITY,
  ) {}

  /** Walks the file from its header to its end, as pdf-lib's parser does. */
  walk(): void {
    const header = this.src.indexOf(Buffer.from('%PDF-', 'latin1'), 0, Math.min(this.src.length, 1024));
    if (header < 0) throw new SyntaxProblem('no header');
    const p = new Parser(this.src, header + 5);
    while (p.pos < this.src.length) {
      p.skipWhitespace();
      if (p.pos >= this.src.length) break;
      const start = p.pos;
      const c = p.peek();
      if (c >= 0x30 && c <= 0x39) {
        const object = p.objectHeader();
        if (object) {
          this.objectBody(p, object.num, object.gen, start);
          continue;
        }
      } else if (p.matchKeyword('xref')) {
        this.xrefTable(p);
        continue;
      } else if (p.matchKeyword('trailer')) {
        const dict = p.value();
        if (!isDict(dict)) throw new SyntaxProblem('trailer is not a dictionary');
        this.mergeTrailer(dict);
        continue;
      } else if (p.matchKeyword('startxref')) {
        p.skipWhitespace();
        p.unsignedInt();
        continue;
      }
      // Junk between objects: readers skip it, so does the walk.
      p.pos = start + 1;
    }
  }

  /** The objects the cross-reference tables name at offsets the walk never met. */
  visitHiddenObjects(): void {
    // In file order, so that neighbouring entries (a table shifted by a few bytes, as in
    // files rewritten by careless tools) are served by the same read window.
    const unvisited = this.xrefOffsets.filter((offset) => !this.visited.has(offset)).sort((a, b) => a - b);
    for (const offset of unvisited) {
      if (this.visited.has(offset) || offset >= this.src.length) continue;
      const p = new Parser(this.src, offset);
      const object = p.objectHeader();
      if (!object) continue; // a stale offset: readers then rebuild the table from the walk
      try {
        this.objectBody(p, object.num, object.gen, offset);
      } catch (err) {
        if (!(err instanceof SyntaxProblem)) throw err;
      }
    }
  }

  private objectBody(p: Parser, num: number, gen: number, start: number): void {
    this.visited.add(start);
    const value = p.value();
    p.skipWhitespace();
    if (isDict(value) && p.matchKeyword('stream')) {
      if (p.peek() === 0x0d) p.pos++;
      if (p.peek() === 0x0a) p.pos++;
      const dataStart = p.pos;
      const end = this.streamEnd(value, dataStart);
      p.pos = end.next;
      const type = nameOf(value.get('Type'));
      if (type === 'ObjStm') this.objectStreams.push({ num, gen, start: dataStart, end: end.dataEnd, dict: value });
      else if (type === 'XRef') {
        this.mergeTrailer(value);
        this.xrefStreamOffsets(value, dataStart, end.dataEnd);
      }
    }
    p.skipWhitespace();
    p.matchKeyword('endobj');
    this.note(num, value);
  }

  /**
   * Where a stream's data ends: at /Length when `endstream` follows there, else at the next
   * `endstream` (a wrong or indirect length), found with a byte search, never a token walk.
   */
  private streamEnd(dict: PdfDict, dataStart: number): { dataEnd: number; next: number } {
    const length = dict.get('Length');
    if (typeof length === 'number' && Number.isInteger(length) && length >= 0 && dataStart + length <= this.src.length) {
      let q = dataStart + length;
      for (let i = 0; i < 4 && isWhitespace(this.src.at(q)); i++) q++;
      const p = new Parser(this.src, q);
      if (p.matchKeyword('endstream')) return { dataEnd: dataStart + length, next: p.pos };
    }
    const at = this.src.indexOf(ENDSTREAM, dataStart);
    if (at < 0) throw new SyntaxProblem('stream without endstream');
    let dataEnd = at;
    if (dataEnd > dataStart && this.src.at(dataEnd - 1) === 0x0a) dataEnd--;
    if (dataEnd > dataStart && this.src.at(dataEnd - 1) === 0x0d) dataEnd--;
    return { dataEnd, next: at + ENDSTREAM.length };
  }

  private xrefTable(p: Parser): void {
    p.skipWhitespace();
    for (;;) {
      const first = p.unsignedInt();
      if (first === null) return;
      p.skipWhitespace();
      const second = p.unsignedInt();
      if (second === null) return;
      p.skipWhitespace();
      const kind = p.peek();
      if (kind === 0x6e || kind === 0x66) {
        p.pos++;
        if (kind === 0x6e && this.xrefOffsets.length < MAX_XREF_ENTRIES) this.xrefOffsets.push(first);
      }
      p.skipWhitespace();
    }
  }

  /**
   * The offsets a cross-reference stream gives (entries of type 1), so that objects hidden in
   * another stream's body are visited as with a classic table. A stream we cannot decode is
   * left alone: readers then rebuild the table by walking the file, as the scan did.
   */
  private xrefStreamOffsets(dict: PdfDict, start: number, end: number): void {
    const widths = dict.get('W');
    if (!Array.isArray(widths) || widths.length !== 3 || !widths.every((w) => typeof w === 'number' && w >= 0 && w <= 8)) return;
    const [w1, w2, w3] = widths as [number, number, number];
    const rowLength = w1 + w2 + w3;
    if (rowLength === 0 || end - start > MAX_OBJECT_STREAM) return;
    let data: Buffer = this.src.slice(start, end);
    const filter = dict.get('Filter');
    const filters = filter === undefined ? [] : Array.isArray(filter) ? filter.map(nameOf) : [nameOf(filter)];
    try {
      for (const name of filters) {
        if (name !== 'FlateDecode' && name !== 'Fl') return;
        data = inflateSync(data, { maxOutputLength: MAX_OBJECT_STREAM });
      }
    } catch {
      return;
    }
    const parms = dict.get('DecodeParms');
    const predictor = isDict(parms) && typeof parms.get('Predictor') === 'number' ? (parms.get('Predictor') as number) : 1;
    if (predictor >= 10) data = undoPngPredictor(data, rowLength);
    else if (predictor !== 1) return;
    const field = (row: number, from: number, width: number) => {
      let value = 0;
      for (let i = 0; i < width; i++) value = value * 256 + data[row + from + i]!;
      return value;
    };
    for (let row = 0; row + rowLength <= data.length && this.xrefOffsets.length < MAX_XREF_ENTRIES; row += rowLength) {
      const type = w1 === 0 ? 1 : field(row, 0, w1);
      if (type === 1) this.xrefOffsets.push(field(row, w1, w2));
    }
  }

  /** A later trailer (incremental update) overrides what it names, as in readers. */
  private mergeTrailer(dict: PdfDict): void {
    for (const key of ['Root', 'Encrypt', 'ID'] as const) {
      const value = dict.get(key);
      if (value !== undefined && value !== null) this.trailer[key] = value;
    }
  }

  private note(num: number, value: PdfValue): void {
    if (!this.active && containsActive(value)) this.active = true;
    if (!isDict(value)) return;
    const type = nameOf(value.get('Type'));
    if (type === 'Catalog' || type === 'Pages' || type === 'Page') {
      const kids = value.get('Kids');
      const pages = value.get('Pages');
      this.nodes.set(num, {
        type,
        kids: Array.isArray(kids) ? kids.filter((k): k is PdfRef => k instanceof PdfRef).map((k) => k.num) : [],
        pages: pages instanceof PdfRef ? pages.num : null,
      });
      if (type === 'Catalog') this.lastCatalog = num;
    }
    if (value.has('Filter') && value.has('O') && value.has('U')) this.encryptDicts.set(num, value);
  }

  /** The file's /Encrypt dictionary as the security handler wants it; null when not encrypted. */
  security(): StandardSecurity | 'unreadable' | null {
    const ref = this.trailer.Encrypt;
    if (ref === undefined) return null;
    const enc = ref instanceof PdfRef ? this.encryptDicts.get(ref.num) : ref;
    if (!isDict(enc)) return 'unreadable';
    const number = (key: string, fallback: number) => {
      const v = enc.get(key);
      return typeof v === 'number' ? v : fallback;
    };
    const bytes = (key: string): Uint8Array => {
      const v = enc.get(key);
      return v instanceof Uint8Array ? v : new Uint8Array(0);
    };
    const id = this.trailer.ID;
    const id0 = Array.isArray(id) && id[0] instanceof Uint8Array ? id[0] : new Uint8Array(0);
    const v = number('V', 0);
    const method = (key: string): string => {
      if (v < 4) return 'RC4';
      const name = nameOf(enc.get(key)) ?? 'Identity';
      if (name === 'Identity') return 'Identity';
      const cf = enc.get('CF');
      const filter = isDict(cf) ? cf.get(name) : undefined;
      const cfm = isDict(filter) ? nameOf(filter.get('CFM')) : undefined;
      return cfm === 'V2' ? 'RC4' : (cfm ?? 'None');
    };
    return {
      filter: nameOf(enc.get('Filter')) ?? '',
      v,
      r: number('R', 0),
      lengthBits: number('Length', 40),
      o: bytes('O'),
      u: bytes('U'),
      oe: bytes('OE'),
      ue: bytes('UE'),
      p: number('P', 0),
      encryptMetadata: enc.get('EncryptMetadata') !== false,
      id0,
      streamMethod: method('StmF'),
      stringMethod: method('StrF'),
    };
  }

  /** Reads each object stream (decrypted with the file key when there is one) and its objects. */
  readObjectStreams(encryption: { security: StandardSecurity; fileKey: Uint8Array } | null): void {
    // Objects found inside may not add object streams (the format forbids streams there), so
    // this list does not grow while it is read.
    for (const stream of this.objectStreams) {
      if (stream.end - stream.start > MAX_OBJECT_STREAM) throw new SyntaxProblem('object stream too large');
      let data: Uint8Array = this.src.slice(stream.start, stream.end);
      if (encryption) {
        const { security, fileKey } = encryption;
        try {
          data = decryptObjectData(security, fileKey, security.streamMethod, stream.num, stream.gen, data);
        } catch {
          throw new SyntaxProblem('object stream does not decrypt');
        }
      }
      const filters = stream.dict.get('Filter');
      const names = filters === undefined ? [] : Array.isArray(filters) ? filters.map(nameOf) : [nameOf(filters)];
      for (const name of names) {
        if (name !== 'FlateDecode' && name !== 'Fl') throw new SyntaxProblem(`object stream filter ${name}`);
        const room = Math.min(MAX_OBJECT_STREAM, MAX_INFLATED_TOTAL - this.inflated);
        if (room <= 0) throw new SyntaxProblem('object streams too large');
        try {
          data = inflateSync(data, { maxOutputLength: room });
        } catch {
          throw new SyntaxProblem('object stream does not inflate');
        }
        this.inflated += data.length;
        if (this.inflated > this.inflateBudget) throw new OverBudget();
      }
      this.objectStreamObjects(stream.dict, Buffer.from(data.buffer, data.byteOffset, data.length));
    }
  }

  private objectStreamObjects(dict: PdfDict, data: Buffer): void {
    const n = dict.get('N');
    const first = dict.get('First');
    if (typeof n !== 'number' || typeof first !== 'number' || n < 0 || first < 0) throw new SyntaxProblem('object stream header');
    const p = new Parser(new BufferSource(data));
    const entries: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      p.skipWhitespace();
      const num = p.unsignedInt();
      p.skipWhitespace();
      const offset = p.unsignedInt();
      if (num === null || offset === null) throw new SyntaxProblem('object stream header');
      entries.push([num, offset]);
    }
    for (const [num, offset] of entries) {
      p.pos = first + offset;
      this.note(num, p.value());
    }
  }

  /** Whether the page tree from the catalog reaches at least one page. */
  hasPage(): boolean {
    const root = this.trailer.Root;
    let catalog = root instanceof PdfRef ? this.nodes.get(root.num) : undefined;
    // A trailer naming no catalog: pdf-lib (and readers) take a catalog found in the file.
    if (catalog?.type !== 'Catalog' && this.lastCatalog !== null) catalog = this.nodes.get(this.lastCatalog);
    if (catalog?.type !== 'Catalog' || catalog.pages === null) return false;
    if (this.nodes.get(catalog.pages)?.type !== 'Pages') return false;
    const seen = new Set<number>();
    const stack = [catalog.pages];
    while (stack.length > 0) {
      const num = stack.pop()!;
      if (seen.has(num)) continue;
      seen.add(num);
      const node = this.nodes.get(num);
      if (node?.type === 'Page') return true;
      if (node?.type === 'Pages') stack.push(...node.kids);
    }
    return false;
  }
}

/** PNG predictors (ISO 32000-2, 7.4.4.4): each row starts with its filter type byte. */
function undoPngPredictor(data: Buffer, columns: number): Buffer {
  const rows = Math.floor(data.length / (columns + 1));
  const out = Buffer.alloc(rows * columns);
  for (let r = 0; r < rows; r++) {
    const kind = data[r * (columns + 1)]!;
    for (let c = 0; c < columns; c++) {
      const raw = data[r * (columns + 1) + 1 + c]!;
      const left = c > 0 ? out[r * columns + c - 1]! : 0;
      const up = r > 0 ? out[(r - 1) * columns + c]! : 0;
      const upLeft = r > 0 && c > 0 ? out[(r - 1) * columns + c - 1]! : 0;
      let predicted = 0;
      if (kind === 1) predicted = left;
      else if (kind === 2) predicted = up;
      else if (kind === 3) predicted = (left + up) >> 1;
      else if (kind === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      out[r * columns + c] = (raw + predicted) & 0xff;
    }
  }
  return out;
}

function hasEofMarker(src: ByteSource): boolean {
  // Readers look for %%EOF in the last 1024 bytes; a file cut short by a failed transfer lacks it.
  const from = Math.max(0, src.length - 1024);
  return src.indexOf(Buffer.from('%%EOF', 'latin1'), from) >= 0;
}

/**
 * The verdict on a PDF held by `src`; throws AppError with the code to answer (or OverBudget
 * when the scan would inflate more than `inflateBudget` bytes of object streams).
 */
export function checkPdfSource(src: ByteSource, inflateBudget?: number): void {
  const corrupt = () => new AppError('file_corrupt');
  if (!hasEofMarker(src)) throw corrupt();
  const scan = new PdfScan(src, inflateBudget);
  try {
    scan.walk();
    scan.visitHiddenObjects();
  } catch (err) {
    if (err instanceof SyntaxProblem) throw corrupt();
    throw err;
  }
  const security = scan.security();
  if (security === 'unreadable') throw new AppError('pdf_encrypted');
  let encryption: { security: StandardSecurity; fileKey: Uint8Array } | null = null;
  if (security) {
    const fileKey = fileKeyWithoutPassword(security);
    if (!fileKey) throw new AppError('pdf_encrypted');
    encryption = { security, fileKey };
  }
  try {
    scan.readObjectStreams(encryption);
  } catch (err) {
    if (err instanceof SyntaxProblem) throw corrupt();
    throw err;
  }
  // The page tree of an encrypted file is checked too: dictionaries are never encrypted.
  if (!scan.hasPage()) throw corrupt();
  if (scan.active) throw new AppError('pdf_active_content');
}

/**
 * Most uploads are a page or two: a few dictionaries around big image streams, whose scan
 * reads a few windows of the file and takes well under a millisecond. Those are checked at
 * once, on the caller's thread, within this budget; a file that needs more (many objects,
 * big object streams, or a hostile one) stops at the budget and goes to a worker thread,
 * where time and memory are bounded. Measured: handing every PDF to the single worker made
 * PDF uploads slower and bigger than JPEG ones for no benefit on ordinary files.
 */
const QUICK_READ_BUDGET = 512 * 1024;
const QUICK_INFLATE_BUDGET = 512 * 1024;

/** The verdict within the quick budget, or false when the file needs the full check. */
export function checkPdfQuickly(filePath: string): boolean {
  const fd = openSync(filePath, 'r');
  try {
    checkPdfSource(new FileSource(fd, fstatSync(fd).size, QUICK_READ_BUDGET), QUICK_INFLATE_BUDGET);
    return true;
  } catch (err) {
    if (err instanceof OverBudget) return false;
    throw err;
  } finally {
    closeSync(fd);
  }
}

export async function checkPdf(filePath: string): Promise<void> {
  const fd = openSync(filePath, 'r');
  try {
    checkPdfSource(new FileSource(fd, fstatSync(fd).size));
  } finally {
    closeSync(fd);
  }
}

/** The /Encrypt values of a PDF held in memory (null when not encrypted), for tests and tools. */
export function pdfSecurity(bytes: Buffer): StandardSecurity | null {
  const scan = new PdfScan(new BufferSource(bytes));
  scan.walk();
  const security = scan.security();
  if (security === 'unreadable') throw new SyntaxProblem('unreadable /Encrypt');
  return security;
}
