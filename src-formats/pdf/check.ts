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
 * What is stored is only what is shown (api-contract.md 5.6): the file starts with `%PDF-` at
 * byte 0, and its cross-reference is followed from `startxref` through every `/Prev` and
 * `/XRefStm`, as readers do, with every filter a reader applies; the trailer found there names
 * the catalog and the encryption. Belt and braces, the scan also walks the file from start to
 * end (every revision, and objects no table names) and visits every object any table or
 * stream points at that the walk did not meet (an object hidden inside another's stream
 * body). An indirect value the policy needs (an `/S`, `/OpenAction`, `/Names` given as a
 * reference) is resolved once every object is known; one that resolves to nothing is refused.
 *
 * Work is bounded per file (MAX_WORK bytes touched): a file that needs more is refused as too
 * complex (`pdf_too_complex`), never left to run out a time limit. Stream ends are found from
 * one list of `endstream` positions, built once, so the work stays linear in the file's size.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import {
  decryptObjectData,
  fileKeyWithoutPassword,
  type StandardSecurity,
} from './security';
import { AppError } from '../../src-shared/errors';
import { ACTION_KEYS, activeContentOf, activeName } from './active-content';
import { decodeStream } from './filters';
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
  PdfName,
  type ByteSource,
  type PdfDict,
  type PdfValue,
} from './syntax';

/** One object or cross-reference stream, decoded, can hold no more than this (a real one: a few hundred KB). */
const MAX_OBJECT_STREAM = 32 * 1024 * 1024;
/** All object streams of a file together. */
const MAX_INFLATED_TOTAL = 128 * 1024 * 1024;
/** Cross-reference entries followed to objects the walk did not meet. */
const MAX_XREF_ENTRIES = 1_000_000;
/** Cross-reference sections followed from startxref (one per revision; real files: a few). */
const MAX_XREF_SECTIONS = 10_000;
/**
 * Bytes the scan may touch, all reads and parses together (a 10 MB file of ordinary structure
 * touches about twice its size; 10 MB of nothing but dictionaries, about three times).
 * Measured: about 2 s of one core at the bound, on a file made to reach it.
 */
export const MAX_WORK = 96 * 1024 * 1024;
/** Bytes read from disk for one file (windows re-read when the scan jumps about): about 0.5 s. */
const MAX_READ = 2 * 1024 * 1024 * 1024;
const ENDSTREAM = Buffer.from('endstream', 'latin1');
const STARTXREF = Buffer.from('startxref', 'latin1');

/** Counts the bytes a scan touches, and stops it (OverBudget) past its allowance. */
class WorkMeter {
  used = 0;
  constructor(readonly limit: number) {}
  spend(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) throw new OverBudget();
  }
}

/** A byte source whose every read is paid for on the meter. */
class MeteredSource implements ByteSource {
  constructor(
    private readonly inner: ByteSource,
    private readonly meter: WorkMeter,
  ) {}
  get length(): number {
    return this.inner.length;
  }
  at(pos: number): number {
    // The parser's hot path: the meter's count inlined.
    if (++this.meter.used > this.meter.limit) throw new OverBudget();
    return this.inner.at(pos);
  }
  slice(start: number, end: number): Buffer {
    this.meter.spend(Math.max(0, end - start));
    return this.inner.slice(start, end);
  }
  indexOf(needle: Buffer, from: number, until = this.inner.length): number {
    const at = this.inner.indexOf(needle, from, until);
    this.meter.spend((at < 0 ? until : at + needle.length) - from);
    return at;
  }
}

/** A value the policy needs that is given as an indirect reference, checked once all objects are known. */
interface Pending {
  key: string;
  num: number;
}

/** What resolving a reference needs to know of an object: its name, or where it points. */
interface Summary {
  name?: string;
  ref?: number;
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
  /** Why the file is active content (the policy's reasons); empty when it is not. */
  readonly reasons = new Set<string>();
  /** Named by the newest cross-reference section reached from startxref (older ones fill gaps). */
  readonly trailer: Trailer = {};
  readonly nodes = new Map<number, TreeNode>();
  private lastCatalog: number | null = null;
  readonly encryptDicts = new Map<number, PdfDict>();
  readonly objectStreams: ObjectStream[] = [];
  private readonly visited = new Set<number>();
  readonly xrefOffsets: number[] = [];
  private inflated = 0;
  private readonly summaries = new Map<number, Summary[]>();
  private readonly pending: Pending[] = [];
  private endstreams: number[] | null = null;
  private readonly src: ByteSource;

  /** `inflateBudget`: bytes object streams may inflate to before OverBudget is thrown. */
  constructor(
    src: ByteSource,
    private readonly inflateBudget = Number.POSITIVE_INFINITY,
    private readonly meter = new WorkMeter(MAX_WORK),
  ) {
    this.src = new MeteredSource(src, meter);
  }

  /**
   * Walks the file from its header to its end, as pdf-lib's parser does. The header is at
   * byte 0: readers count offsets from it, so bytes before it would shift every offset
   * between what a reader shows and what a scan from byte 0 sees.
   */
  walk(): void {
    if (this.src.indexOf(Buffer.from('%PDF-', 'latin1'), 0, 5) !== 0) throw new SyntaxProblem('no header at byte 0');
    const p = new Parser(this.src, 5);
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
        // Only the sections reached from startxref name the catalog; this one may be a decoy.
        const dict = p.value();
        if (!isDict(dict)) throw new SyntaxProblem('trailer is not a dictionary');
        this.inspect(dict);
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

  /**
   * Follows the cross-reference from the last `startxref` through every `/Prev` and
   * `/XRefStm`, as readers do. A section that is not where it is said to be is refused:
   * a reader would then rebuild the table its own way, and what it shows is anyone's guess.
   */
  followStartxref(): void {
    const tailFrom = Math.max(0, this.src.length - 1024);
    let at = -1;
    for (let from = tailFrom; ; ) {
      const found = this.src.indexOf(STARTXREF, from);
      if (found < 0) break;
      at = found;
      from = found + 1;
    }
    if (at < 0) throw new SyntaxProblem('no startxref');
    const p = new Parser(this.src, at + STARTXREF.length);
    p.skipWhitespace();
    const first = p.unsignedInt();
    if (first === null) throw new SyntaxProblem('startxref without an offset');
    const queue = [first];
    const seen = new Set<number>();
    let newest = true;
    for (let offset = queue.shift(); offset !== undefined; offset = queue.shift()) {
      if (seen.has(offset)) continue; // a /Prev loop: every section is read once
      seen.add(offset);
      if (seen.size > MAX_XREF_SECTIONS) throw new SyntaxProblem('too many cross-reference sections');
      const section = this.xrefSection(offset);
      this.mergeTrailer(section, newest);
      newest = false;
      for (const key of ['XRefStm', 'Prev']) {
        const next = section.get(key);
        if (next === undefined || next === null) continue;
        if (typeof next !== 'number' || !Number.isInteger(next) || next < 0) throw new SyntaxProblem(`bad /${key}`);
        queue.push(next);
      }
    }
  }

  /** The trailer (or cross-reference stream dictionary) of the section at `offset`. */
  private xrefSection(offset: number): PdfDict {
    if (offset >= this.src.length) throw new SyntaxProblem('cross-reference offset past the end');
    const p = new Parser(this.src, offset);
    if (p.matchKeyword('xref')) {
      this.xrefTable(p);
      p.skipWhitespace();
      if (!p.matchKeyword('trailer')) throw new SyntaxProblem('cross-reference table without trailer');
      const dict = p.value();
      if (!isDict(dict)) throw new SyntaxProblem('trailer is not a dictionary');
      this.inspect(dict);
      return dict;
    }
    const object = p.objectHeader();
    if (!object) throw new SyntaxProblem('startxref leads to no cross-reference');
    const dict = this.objectBody(p, object.num, object.gen, offset);
    if (!isDict(dict) || nameOf(dict.get('Type')) !== 'XRef') throw new SyntaxProblem('startxref leads to no cross-reference stream');
    return dict;
  }

  /**
   * The objects the cross-reference tables name at offsets the walk never met, until none is
   * left (an object found there may be a cross-reference stream naming more).
   */
  visitHiddenObjects(): void {
    for (let done = 0; done < this.xrefOffsets.length; ) {
      // In file order, so that neighbouring entries are served by the same read window.
      const batch = this.xrefOffsets.slice(done).sort((a, b) => a - b);
      done = this.xrefOffsets.length;
      for (const offset of batch) {
        if (this.visited.has(offset) || offset >= this.src.length) continue;
        const p = new Parser(this.src, offset);
        const object = p.objectHeader();
        // A stale offset (a table shifted by a careless rewrite): readers then find the
        // object by its header, as the walk did.
        if (!object) continue;
        this.objectBody(p, object.num, object.gen, offset);
      }
    }
  }

  private objectBody(p: Parser, num: number, gen: number, start: number): PdfValue {
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
      else if (type === 'XRef') this.xrefStreamOffsets(value, dataStart, end.dataEnd);
    }
    p.skipWhitespace();
    p.matchKeyword('endobj');
    this.note(num, value);
    return value;
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
    const at = this.endstreamFrom(dataStart);
    if (at < 0) throw new SyntaxProblem('stream without endstream');
    let dataEnd = at;
    if (dataEnd > dataStart && this.src.at(dataEnd - 1) === 0x0a) dataEnd--;
    if (dataEnd > dataStart && this.src.at(dataEnd - 1) === 0x0d) dataEnd--;
    return { dataEnd, next: at + ENDSTREAM.length };
  }

  /**
   * The first `endstream` at or after `from`. Every position is found in one pass over the
   * file, the first time one is needed: searching afresh for each stream whose length is
   * wrong made the work grow with streams × file size (a crafted file: 20 s).
   */
  private endstreamFrom(from: number): number {
    if (!this.endstreams) {
      this.endstreams = [];
      for (let at = this.src.indexOf(ENDSTREAM, 0); at >= 0; at = this.src.indexOf(ENDSTREAM, at + 1)) this.endstreams.push(at);
    }
    const list = this.endstreams;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length ? list[lo]! : -1;
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
   * another stream's body are visited as with a classic table. A stream that does not
   * decode is refused: its entries are the reader's map of the file.
   */
  private xrefStreamOffsets(dict: PdfDict, start: number, end: number): void {
    const widths = dict.get('W');
    if (!Array.isArray(widths) || widths.length !== 3 || !widths.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= 8))
      throw new SyntaxProblem('cross-reference stream /W');
    const [w1, w2, w3] = widths as [number, number, number];
    const rowLength = w1 + w2 + w3;
    if (rowLength === 0 || end - start > MAX_OBJECT_STREAM) throw new SyntaxProblem('cross-reference stream size');
    const data = this.decoded(dict, this.src.slice(start, end));
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

  /** A stream's data through every filter it names, counted against the inflate allowances. */
  private decoded(dict: PdfDict, data: Buffer): Buffer {
    const room = Math.min(MAX_OBJECT_STREAM, MAX_INFLATED_TOTAL - this.inflated);
    if (room <= 0) throw new SyntaxProblem('streams too large once decoded');
    const out = decodeStream(data, dict, room);
    this.inflated += out.length;
    this.meter.spend(out.length);
    if (this.inflated > this.inflateBudget) throw new OverBudget();
    return out;
  }

  /** The newest section names the catalog; an older one fills only what newer ones left out. */
  private mergeTrailer(dict: PdfDict, newest: boolean): void {
    for (const key of ['Root', 'Encrypt', 'ID'] as const) {
      const value = dict.get(key);
      if (value !== undefined && value !== null && (newest || this.trailer[key] === undefined)) this.trailer[key] = value;
    }
  }

  private note(num: number, value: PdfValue): void {
    this.inspect(value);
    this.summarise(num, value);
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

  /**
   * Applies the policy to a value and everything inside it. Depth needs no limit here: the
   * parser refuses nesting beyond MAX_NESTING.
   */
  private inspect(value: PdfValue): void {
    if (Array.isArray(value)) {
      for (const inner of value) this.inspect(inner);
      return;
    }
    if (!isDict(value)) return;
    const reason = activeContentOf({ keys: () => value.keys(), name: (key) => nameOf(value.get(key)) });
    if (reason) this.reasons.add(reason);
    for (const key of ACTION_KEYS) {
      const held = value.get(key);
      // /Next may be an array of actions; other arrays under these keys (a name tree's
      // /Names leaves, whose entries may be gone in genuine files) are not followed.
      const refs =
        held instanceof PdfRef ? [held] : key === 'Next' && Array.isArray(held) ? held.filter((v): v is PdfRef => v instanceof PdfRef) : [];
      for (const ref of refs) this.pending.push({ key, num: ref.num });
    }
    for (const inner of value.values()) this.inspect(inner);
  }

  private summarise(num: number, value: PdfValue): void {
    const summary: Summary = value instanceof PdfName ? { name: value.value } : value instanceof PdfRef ? { ref: value.num } : {};
    const list = this.summaries.get(num);
    if (list) list.push(summary);
    else this.summaries.set(num, [summary]);
  }

  /** Every definition of object `num`, references followed (a few hops at most). */
  private definitions(num: number, hops = 0): Summary[] {
    const list = this.summaries.get(num) ?? [];
    if (hops >= 8) return list;
    return list.flatMap((s) => (s.ref !== undefined ? this.definitions(s.ref, hops + 1) : [s]));
  }

  /**
   * Checks the values the policy met as indirect references, now that every object is known:
   * `/S 7 0 R` where 7 is `/Launch` is a Launch action; an `/OpenAction` that points at
   * nothing found is refused as unreadable.
   */
  resolvePending(): void {
    let unresolved: Pending | undefined;
    for (const pending of this.pending) {
      const found = this.definitions(pending.num);
      if (found.length === 0) unresolved ??= pending;
      for (const definition of found) {
        const reason = definition.name !== undefined ? activeName(pending.key, definition.name) : undefined;
        if (reason) this.reasons.add(reason);
      }
    }
    // A file already known to be active is refused as such: the clearer answer.
    if (unresolved && this.reasons.size === 0) throw new SyntaxProblem(`/${unresolved.key} ${unresolved.num} 0 R resolves to nothing`);
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
      const decoded = this.decoded(stream.dict, Buffer.from(data.buffer, data.byteOffset, data.length));
      this.objectStreamObjects(stream.dict, decoded);
    }
  }

  private objectStreamObjects(dict: PdfDict, data: Buffer): void {
    const n = dict.get('N');
    const first = dict.get('First');
    if (typeof n !== 'number' || typeof first !== 'number' || n < 0 || first < 0) throw new SyntaxProblem('object stream header');
    const p = new Parser(new MeteredSource(new BufferSource(data), this.meter));
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

function hasEofMarker(src: ByteSource): boolean {
  // Readers look for %%EOF in the last 1024 bytes; a file cut short by a failed transfer lacks it.
  const from = Math.max(0, src.length - 1024);
  return src.indexOf(Buffer.from('%%EOF', 'latin1'), from) >= 0;
}

/** What a full scan learns of a PDF: why it is active content (empty when it is not). */
export interface PdfScanResult {
  activeContent: string[];
  /** Bytes the scan touched (reads and parses), bounded by MAX_WORK. */
  work: number;
}

/**
 * The scan of a PDF held by `src`, throwing AppError (`file_corrupt`, `pdf_encrypted`,
 * `pdf_too_complex`) when it cannot be read as readers read it. `budget` (the quick check)
 * turns the bounds into OverBudget, so that the caller hands the file on.
 */
export function scanPdfSource(src: ByteSource, budget?: { inflate: number; work: number }): PdfScanResult {
  const corrupt = () => new AppError('file_corrupt');
  const meter = new WorkMeter(budget?.work ?? MAX_WORK);
  const scan = new PdfScan(src, budget?.inflate, meter);
  try {
    if (!hasEofMarker(src)) throw corrupt();
    try {
      scan.walk();
      scan.followStartxref();
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
      scan.resolvePending();
    } catch (err) {
      if (err instanceof SyntaxProblem) throw corrupt();
      throw err;
    }
    // The page tree of an encrypted file is checked too: dictionaries are never encrypted.
    if (!scan.hasPage()) throw corrupt();
    return { activeContent: [...scan.reasons], work: meter.used };
  } catch (err) {
    if (err instanceof OverBudget && !budget) throw new AppError('pdf_too_complex');
    throw err;
  }
}

/** The verdict on a PDF held by `src` (see scanPdfSource): active content is refused too. */
export function checkPdfSource(src: ByteSource, budget?: { inflate: number; work: number }): void {
  if (scanPdfSource(src, budget).activeContent.length > 0) throw new AppError('pdf_active_content');
}

/** The scan of a PDF held in memory (the engine's): see scanPdfSource. */
export function scanPdfBytes(bytes: Uint8Array): PdfScanResult {
  return scanPdfSource(new BufferSource(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
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
const QUICK_WORK_BUDGET = 2 * 1024 * 1024;

/** The verdict within the quick budget, or false when the file needs the full check. */
export function checkPdfQuickly(filePath: string): boolean {
  const fd = openSync(filePath, 'r');
  try {
    checkPdfSource(new FileSource(fd, fstatSync(fd).size, QUICK_READ_BUDGET), { inflate: QUICK_INFLATE_BUDGET, work: QUICK_WORK_BUDGET });
    return true;
  } catch (err) {
    if (err instanceof OverBudget) return false;
    throw err;
  } finally {
    closeSync(fd);
  }
}

export async function checkPdf(filePath: string): Promise<void> {
  const result = scanPdfFile(filePath);
  if (result.activeContent.length > 0) throw new AppError('pdf_active_content');
}

/** The full scan of a PDF on disk (see scanPdfSource). */
export function scanPdfFile(filePath: string): PdfScanResult {
  const fd = openSync(filePath, 'r');
  try {
    // Over the read bound, FileSource throws OverBudget: refused as too complex like the rest.
    return scanPdfSource(new FileSource(fd, fstatSync(fd).size, MAX_READ));
  } finally {
    closeSync(fd);
  }
}

/** The /Encrypt values of a PDF held in memory (null when not encrypted), for tests and tools. */
export function pdfSecurity(bytes: Buffer): StandardSecurity | null {
  const scan = new PdfScan(new BufferSource(bytes));
  scan.walk();
  scan.followStartxref();
  const security = scan.security();
  if (security === 'unreadable') throw new SyntaxProblem('unreadable /Encrypt');
  return security;
}
