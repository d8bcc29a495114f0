/**
 * PDF object syntax (ISO 32000-2, 7.2 and 7.3) over bytes read on demand: only what a
 * structural check needs. Dictionaries and arrays are parsed; stream bodies are never
 * tokenised nor held (the scanner jumps over them).
 */
import { readSync } from 'node:fs';

export class PdfName {
  constructor(readonly value: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export type PdfDict = Map<string, PdfValue>;
export type PdfValue = null | boolean | number | PdfName | PdfRef | Uint8Array | PdfValue[] | PdfDict;

/** The file does not follow the syntax: the caller refuses it as corrupt. */
export class SyntaxProblem extends Error {}

/** The scan would read more than it was allowed to here: the caller hands the file on. */
export class OverBudget extends Error {}

/** Random access to bytes: a file read through a small window, or a buffer. */
export interface ByteSource {
  readonly length: number;
  /** The byte at `pos`, or -1 past the end. */
  at(pos: number): number;
  slice(start: number, end: number): Buffer;
  /** First position >= from (and < until) where `needle` starts, or -1. */
  indexOf(needle: Buffer, from: number, until?: number): number;
}

export class BufferSource implements ByteSource {
  constructor(private readonly bytes: Buffer) {}
  get length(): number {
    return this.bytes.length;
  }
  at(pos: number): number {
    return pos >= 0 && pos < this.bytes.length ? this.bytes[pos]! : -1;
  }
  slice(start: number, end: number): Buffer {
    return this.bytes.subarray(start, end);
  }
  indexOf(needle: Buffer, from: number, until = this.bytes.length): number {
    const at = this.bytes.indexOf(needle, from);
    return at >= 0 && at + needle.length <= until ? at : -1;
  }
}

const WINDOW = 64 * 1024;

/** One window on the file: WINDOW bytes from `start`. */
interface Window {
  bytes: Buffer;
  start: number;
  length: number;
}

/**
 * A file descriptor read through two small windows. Reads are synchronous on purpose: the
 * scan runs in a worker thread, where blocking is harmless and a synchronous parser stays
 * simple. Two windows, because the scan often works in two places at once (objects one after
 * another, and the end of the stream each one opens): with one, every step was a new read.
 */
export class FileSource implements ByteSource {
  private readonly windows: Window[] = [
    { bytes: Buffer.allocUnsafe(WINDOW), start: 0, length: 0 },
    { bytes: Buffer.allocUnsafe(WINDOW), start: 0, length: 0 },
  ];
  /** The window to replace on the next miss: the one used least recently. */
  private spare = 0;
  private readonly scratch = Buffer.allocUnsafe(WINDOW);

  private bytesRead = 0;

  /** `budget`: bytes this source may read before it throws OverBudget. */
  constructor(
    private readonly fd: number,
    readonly length: number,
    private readonly budget = Number.POSITIVE_INFINITY,
  ) {}

  private readInto(buffer: Buffer, length: number, position: number): number {
    this.bytesRead += length;
    if (this.bytesRead > this.budget) throw new OverBudget();
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buffer, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }

  at(pos: number): number {
    if (pos < 0 || pos >= this.length) return -1;
    for (let i = 0; i < 2; i++) {
      const w = this.windows[i]!;
      if (pos >= w.start && pos < w.start + w.length) {
        this.spare = 1 - i;
        return w.bytes[pos - w.start]!;
      }
    }
    // Parsing mostly moves forward; starting the window a little before pos serves the
    // occasional step back (a failed reference look-ahead) without a second read.
    const w = this.windows[this.spare]!;
    const start = Math.max(0, pos - 64);
    w.length = this.readInto(w.bytes, Math.min(WINDOW, this.length - start), start);
    w.start = start;
    this.spare = 1 - this.spare;
    return w.bytes[pos - start]!;
  }

  slice(start: number, end: number): Buffer {
    const out = Buffer.allocUnsafe(Math.max(0, end - start));
    return out.subarray(0, this.readInto(out, out.length, start));
  }

  indexOf(needle: Buffer, from: number, until = this.length): number {
    // Chunks overlap by the needle's length less one, so a match across a boundary is found.
    for (let start = from; start + needle.length <= until; start += WINDOW - needle.length + 1) {
      const n = this.readInto(this.scratch, Math.min(WINDOW, until - start), start);
      const at = this.scratch.subarray(0, n).indexOf(needle);
      if (at >= 0) return start + at;
      if (n < WINDOW) break;
    }
    return -1;
  }
}

const WHITESPACE = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WHITESPACE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;

export function isWhitespace(c: number): boolean {
  return c >= 0 && WHITESPACE[c] === 1;
}

function isRegular(c: number): boolean {
  return c >= 0 && WHITESPACE[c] === 0 && DELIMITER[c] === 0;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Hex digits read two by two, whitespace skipped (hex strings and the ASCIIHex filter): feed
 * each byte, get a byte back on every second digit.
 */
export class HexPairs {
  private high = -1;
  /** The byte `c` completes, or -1 (a first digit, or whitespace); throws on anything else. */
  push(c: number): number {
    if (isWhitespace(c)) return -1;
    const v = hexValue(c);
    if (v < 0) throw new SyntaxProblem('bad hex digit');
    if (this.high < 0) {
      this.high = v;
      return -1;
    }
    const byte = this.high * 16 + v;
    this.high = -1;
    return byte;
  }
  /** A last lone digit, read as if a 0 followed (7.3.4.3), or -1. */
  rest(): number {
    return this.high < 0 ? -1 : this.high * 16;
  }
}

/** Nesting beyond this is no real document's and could exhaust the stack. */
export const MAX_NESTING = 256;
/**
 * Strings are kept only up to this size: the check needs short ones (the /Encrypt values, the
 * file identifier), and a hostile file's giant string must not be copied into memory.
 */
const MAX_KEPT_STRING = 4096;

export class Parser {
  constructor(
    readonly src: ByteSource,
    public pos = 0,
  ) {}

  peek(): number {
    return this.src.at(this.pos);
  }

  skipWhitespace(): void {
    for (;;) {
      const c = this.src.at(this.pos);
      if (c === 0x25) {
        // A comment runs to the end of the line.
        while (this.pos < this.src.length) {
          const d = this.src.at(this.pos);
          if (d === 0x0a || d === 0x0d) break;
          this.pos++;
        }
      } else if (isWhitespace(c)) this.pos++;
      else return;
    }
  }

  /** Consumes `word` if it is next and ends there (a delimiter, whitespace or the end follows). */
  matchKeyword(word: string): boolean {
    for (let i = 0; i < word.length; i++) if (this.src.at(this.pos + i) !== word.charCodeAt(i)) return false;
    if (isRegular(this.src.at(this.pos + word.length))) return false;
    this.pos += word.length;
    return true;
  }

  /** An unsigned integer, or null (position unchanged) when none is next. */
  unsignedInt(): number | null {
    const start = this.pos;
    let value = 0;
    while (isDigit(this.src.at(this.pos))) {
      value = value * 10 + (this.src.at(this.pos) - 0x30);
      this.pos++;
    }
    if (this.pos === start || this.pos - start > 15) {
      this.pos = start;
      return null;
    }
    return value;
  }

  /** `N G obj`: the header of an indirect object, or null (position unchanged). */
  objectHeader(): { num: number; gen: number } | null {
    const start = this.pos;
    const num = this.unsignedInt();
    if (num !== null && isWhitespace(this.peek())) {
      this.skipWhitespace();
      const gen = this.unsignedInt();
      if (gen !== null) {
        this.skipWhitespace();
        if (this.matchKeyword('obj')) return { num, gen };
      }
    }
    this.pos = start;
    return null;
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw new SyntaxProblem('nesting too deep');
    this.skipWhitespace();
    const c = this.peek();
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) {
      if (this.src.at(this.pos + 1) === 0x3c) return this.dict(depth);
      return this.hexString();
    }
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipWhitespace();
        const d = this.peek();
        if (d === 0x5d) {
          this.pos++;
          return items;
        }
        if (d < 0) throw new SyntaxProblem('unterminated array');
        items.push(this.value(depth + 1));
      }
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) return this.numberOrRef();
    if (this.matchKeyword('true')) return true;
    if (this.matchKeyword('false')) return false;
    if (this.matchKeyword('null')) return null;
    throw new SyntaxProblem(`unexpected byte ${c} at ${this.pos}`);
  }

  private dict(depth: number): PdfDict {
    this.pos += 2;
    const dict: PdfDict = new Map();
    for (;;) {
      this.skipWhitespace();
      const c = this.peek();
      if (c === 0x3e && this.src.at(this.pos + 1) === 0x3e) {
        this.pos += 2;
        return dict;
      }
      if (c !== 0x2f) throw new SyntaxProblem(`dictionary key expected at ${this.pos}`);
      const key = this.name().value;
      dict.set(key, this.value(depth + 1));
    }
  }

  name(): PdfName {
    this.pos++; // the slash
    let text = '';
    for (;;) {
      const c = this.peek();
      if (!isRegular(c)) break;
      let byte = c;
      this.pos++;
      if (c === 0x23) {
        // #xx: any byte, so that /J#61vaScript is read as /JavaScript, as readers do.
        const hi = hexValue(this.peek());
        const lo = hexValue(this.src.at(this.pos + 1));
        if (hi >= 0 && lo >= 0) {
          byte = hi * 16 + lo;
          this.pos += 2;
        }
      }
      text += String.fromCharCode(byte);
      if (text.length > 1024) throw new SyntaxProblem('name too long');
    }
    return new PdfName(text);
  }

  private literalString(): Uint8Array {
    this.pos++;
    const out: number[] = [];
    const keep = (b: number) => {
      if (out.length < MAX_KEPT_STRING) out.push(b);
    };
    let nesting = 1;
    for (;;) {
      const c = this.peek();
      if (c < 0) throw new SyntaxProblem('unterminated string');
      this.pos++;
      if (c === 0x5c) {
        const e = this.peek();
        if (e < 0) throw new SyntaxProblem('unterminated string');
        this.pos++;
        const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (simple[e] !== undefined) keep(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let i = 0; i < 2 && this.peek() >= 0x30 && this.peek() <= 0x37; i++) v = v * 8 + (this.src.at(this.pos++) - 0x30);
          keep(v & 0xff);
        } else if (e === 0x0d) {
          if (this.peek() === 0x0a) this.pos++; // a line continuation
        } else if (e !== 0x0a) keep(e);
        continue;
      }
      if (c === 0x28) nesting++;
      else if (c === 0x29 && --nesting === 0) return Uint8Array.from(out);
      keep(c);
    }
  }

  private hexString(): Uint8Array {
    this.pos++;
    const out: number[] = [];
    const pairs = new HexPairs();
    for (;;) {
      const c = this.peek();
      if (c < 0) throw new SyntaxProblem('unterminated hex string');
      this.pos++;
      if (c === 0x3e) break;
      const byte = pairs.push(c);
      if (byte >= 0 && out.length < MAX_KEPT_STRING) out.push(byte);
    }
    if (pairs.rest() >= 0 && out.length < MAX_KEPT_STRING) out.push(pairs.rest());
    return Uint8Array.from(out);
  }

  private numberOrRef(): number | PdfRef {
    let text = '';
    if (this.peek() === 0x2b || this.peek() === 0x2d) text += String.fromCharCode(this.src.at(this.pos++));
    while (isDigit(this.peek()) || this.peek() === 0x2e) {
      text += String.fromCharCode(this.src.at(this.pos++));
      if (text.length > 64) throw new SyntaxProblem('number too long');
    }
    const value = Number(text === '-' || text === '+' || text === '.' ? 'x' : text);
    if (!Number.isFinite(value)) {
      // Readers take a lone sign or a stray period as zero; so does pdf-lib.
      if (/^[+-]?\.?$/.test(text)) return 0;
      throw new SyntaxProblem(`bad number ${text}`);
    }
    if (!/^\d+$/.test(text)) return value;
    // N G R: an indirect reference.
    const after = this.pos;
    this.skipWhitespace();
    const gen = this.unsignedInt();
    if (gen !== null) {
      this.skipWhitespace();
      if (this.matchKeyword('R')) return new PdfRef(value, gen);
    }
    this.pos = after;
    return value;
  }
}

export function nameOf(value: PdfValue | undefined): string | undefined {
  return value instanceof PdfName ? value.value : undefined;
}

export function isDict(value: PdfValue | undefined): value is PdfDict {
  return value instanceof Map;
}
