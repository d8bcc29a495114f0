/**
 * Opening a PDF: parse it (pdf-lib), tell a password-protected file from one with an owner
 * password only, and find what must not be sent on (active content), what must be kept byte
 * for byte (a signature), and whether it is whole.
 */
import type { PDFDocument, PDFObject } from 'pdf-lib';
import { AppError } from '../src-shared/errors';
import { fileKeyWithoutPassword, scanPdfBytes, type StandardSecurity } from '../src-formats';
import { loadPdfLib, type PdfLib } from './pdf-lib';

export interface OpenedPdf {
  doc: PDFDocument;
  pageCount: number;
  /**
   * Set when the file is encrypted with an owner password only; `decrypted` says whether
   * the document in `doc` could be decrypted (then it can be rewritten like any other).
   */
  encryption?: { security: StandardSecurity; fileKey: Uint8Array; decrypted: boolean };
  /**
   * JavaScript, launch or submit actions, embedded files, XFA, rich media: what the shared
   * scan (src-formats, the server's own) finds, so the engine never keeps as they are bytes
   * the server would refuse.
   */
  activeContent: string[];
  signed: boolean;
  /**
   * The shared scan reads it as readers do (header at byte 0, cross-reference followed from
   * startxref, %%EOF): nothing to repair. Otherwise the document is rebuilt from what
   * pdf-lib reads, and only that is sent.
   */
  wellFormed: boolean;
}

function tailHasEof(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  return tail.includes('%%EOF');
}

function bytesOf(lib: PdfLib, value: PDFObject | undefined): Uint8Array {
  if (value instanceof lib.PDFHexString || value instanceof lib.PDFString) return value.asBytes();
  return new Uint8Array(0);
}

function numberOf(lib: PdfLib, value: PDFObject | undefined, fallback: number): number {
  return value instanceof lib.PDFNumber ? value.asNumber() : fallback;
}

function nameOf(lib: PdfLib, value: PDFObject | undefined): string | undefined {
  return value instanceof lib.PDFName ? value.decodeText() : undefined;
}

/** Reads the /Encrypt dictionary into the plain values the security handler needs. */
function readSecurity(lib: PdfLib, doc: PDFDocument): StandardSecurity | undefined {
  const { context } = doc;
  const encrypt = context.lookup(context.trailerInfo.Encrypt);
  if (!(encrypt instanceof lib.PDFDict)) return undefined;
  const get = (key: string) => encrypt.get(lib.PDFName.of(key));
  const id = context.lookup(context.trailerInfo.ID);
  const id0 = id instanceof lib.PDFArray && id.size() > 0 ? bytesOf(lib, id.get(0)) : new Uint8Array(0);
  const v = numberOf(lib, get('V'), 0);
  const method = (filterKey: string): string => {
    if (v < 4) return 'RC4';
    const name = nameOf(lib, get(filterKey)) ?? 'Identity';
    if (name === 'Identity') return 'Identity';
    const cf = context.lookup(get('CF'));
    const filter = cf instanceof lib.PDFDict ? context.lookup(cf.get(lib.PDFName.of(name))) : undefined;
    const cfm = filter instanceof lib.PDFDict ? nameOf(lib, filter.get(lib.PDFName.of('CFM'))) : undefined;
    return cfm === 'V2' ? 'RC4' : (cfm ?? 'None');
  };
  const encryptMetadata = get('EncryptMetadata');
  return {
    filter: nameOf(lib, get('Filter')) ?? '',
    v,
    r: numberOf(lib, get('R'), 0),
    lengthBits: numberOf(lib, get('Length'), 40),
    o: bytesOf(lib, get('O')),
    u: bytesOf(lib, get('U')),
    oe: bytesOf(lib, get('OE')),
    ue: bytesOf(lib, get('UE')),
    p: numberOf(lib, get('P'), 0),
    encryptMetadata: !(encryptMetadata instanceof lib.PDFBool) || encryptMetadata.asBoolean(),
    id0,
    streamMethod: method('StmF'),
    stringMethod: method('StrF'),
  };
}

/** The shared scan's verdict: its reasons, or null when it cannot read the file as readers do. */
function sharedScan(bytes: Uint8Array): string[] | null {
  try {
    return scanPdfBytes(bytes).activeContent;
  } catch (err) {
    if (err instanceof AppError) return null;
    throw err;
  }
}

function isSigned(lib: PdfLib, doc: PDFDocument): boolean {
  const { PDFDict, PDFName } = lib;
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.has(PDFName.of('ByteRange')) && object.has(PDFName.of('Contents'))) return true;
  }
  return false;
}

/** pdf-lib reports recoverable parse problems on the console; the engine reports by codes. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  console.log = () => undefined;
  console.warn = () => undefined;
  try {
    return await work();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

function countPagesInClear(bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString('latin1');
  const linearized = /\/Linearized\s[^>]*\/N\s+(\d+)/.exec(text.slice(0, 2048));
  if (linearized) return Number(linearized[1]);
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g);
  return Math.max(1, pages?.length ?? 0);
}

export async function openPdf(bytes: Uint8Array): Promise<OpenedPdf> {
  const lib = await loadPdfLib();
  const load = (strict: boolean) =>
    quietly(() => lib.PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: strict }));
  let doc: PDFDocument;
  try {
    doc = await load(true);
  } catch {
    // An encrypted file's object streams cannot be parsed before decryption: read it
    // leniently only to look at its /Encrypt dictionary. A clear file that fails is broken.
    let lenient: PDFDocument | undefined;
    try {
      lenient = await load(false);
    } catch {
      lenient = undefined;
    }
    if (!lenient || !lenient.context.trailerInfo.Encrypt) throw new AppError('file_corrupt');
    doc = lenient;
  }
  let encryption: OpenedPdf['encryption'];
  if (doc.context.trailerInfo.Encrypt) {
    const security = readSecurity(lib, doc);
    const fileKey = security ? fileKeyWithoutPassword(security) : undefined;
    if (!security || !fileKey) throw new AppError('pdf_encrypted');
    let decrypted = false;
    try {
      const { decryptDocument } = await import('./pdf-decrypt');
      await quietly(() => decryptDocument(lib, doc, security, fileKey));
      decrypted = true;
    } catch {
      decrypted = false;
    }
    encryption = { security, fileKey, decrypted };
  }
  let pageCount: number;
  try {
    pageCount = doc.getPageCount();
  } catch {
    // An owner-password file keeps its page tree in encrypted object streams, which pdf-lib
    // cannot read: count pages from the bytes that are in clear.
    if (!encryption) throw new AppError('file_corrupt');
    pageCount = countPagesInClear(bytes);
  }
  if (pageCount < 1) throw new AppError('file_corrupt');
  const active = sharedScan(bytes);
  return {
    doc,
    pageCount,
    encryption,
    activeContent: active ?? [],
    signed: isSigned(lib, doc),
    wellFormed: active !== null && tailHasEof(bytes),
  };
}
