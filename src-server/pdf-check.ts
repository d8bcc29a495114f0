/**
 * What the server checks in a PDF already on disk (api-contract.md section 3): it must parse,
 * open without a password (an owner password alone is fine) and carry no active content
 * (JavaScript, launch actions, embedded files). Every object of the file is visited, so active
 * content hidden anywhere (an annotation's action, a name tree, an object stream) is found.
 */
import { readFile } from 'node:fs/promises';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFStream,
  type PDFObject,
} from 'pdf-lib';
import { AppError } from '../src-shared/errors';
import { emptyUserPasswordOpens, scanEncryptedObjectStreams } from './pdf-security';

// pdf-lib reports every object it cannot parse on console.warn; an encrypted object stream is
// expected here and a hostile file could flood the log, so those lines are dropped.
const PDF_LIB_NOISE = /^(Trying to parse invalid object|Invalid object ref|Removing parsed object)/;
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && PDF_LIB_NOISE.test(args[0])) return;
  warn(...args);
};

const ACTIVE_ACTIONS = new Set(['JavaScript', 'Launch', 'GoToE', 'RichMediaExecute', 'ImportData']);
const ACTIVE_KEYS = new Set(['JS', 'EmbeddedFiles', 'EF', 'RichMedia', 'XFA']);
const ACTIVE_TYPES = new Set(['EmbeddedFile']);
const ACTIVE_SUBTYPES = new Set(['FileAttachment', 'RichMedia', 'Sound', 'Movie', 'Screen']);
const MAX_DEPTH = 64;

function nameOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFName ? value.decodeText() : undefined;
}

/** True when a dictionary is, or directly holds, active content. */
function isActiveDict(dict: PDFDict): boolean {
  for (const [key] of dict.entries()) {
    if (ACTIVE_KEYS.has(key.decodeText())) return true;
  }
  const s = nameOf(dict.get(PDFName.of('S')));
  if (s && ACTIVE_ACTIONS.has(s)) return true;
  const type = nameOf(dict.get(PDFName.of('Type')));
  if (type && ACTIVE_TYPES.has(type)) return true;
  const subtype = nameOf(dict.get(PDFName.of('Subtype')));
  if (subtype && ACTIVE_SUBTYPES.has(subtype)) return true;
  // A document-level JavaScript name tree: /Names << /JavaScript ... >>.
  const names = dict.get(PDFName.of('Names'));
  if (names instanceof PDFDict && names.has(PDFName.of('JavaScript'))) return true;
  return false;
}

function containsActive(root: PDFObject, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (root instanceof PDFStream) return containsActive(root.dict, depth + 1);
  if (root instanceof PDFDict) {
    if (isActiveDict(root)) return true;
    for (const [, value] of root.entries()) if (containsActive(value, depth + 1)) return true;
    return false;
  }
  if (root instanceof PDFArray) {
    for (let i = 0; i < root.size(); i++) if (containsActive(root.get(i), depth + 1)) return true;
  }
  return false;
}

function hasEofMarker(bytes: Buffer): boolean {
  // Readers look for %%EOF in the last 1024 bytes; a file cut short by a failed transfer lacks it.
  return bytes.subarray(Math.max(0, bytes.length - 1024)).includes('%%EOF', 0, 'latin1');
}

export async function checkPdf(filePath: string): Promise<void> {
  const bytes = await readFile(filePath);
  if (!hasEofMarker(bytes)) throw new AppError('file_corrupt');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch {
    // Encrypted files' object streams cannot be parsed before decryption: load again letting
    // those through as invalid objects, and look at them below with the file key.
    let loose: PDFDocument | null = null;
    try {
      loose = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
    } catch {
      loose = null;
    }
    if (!loose?.context.trailerInfo.Encrypt) throw new AppError('file_corrupt');
    doc = loose;
  }
  const encrypt = doc.context.trailerInfo.Encrypt;
  let fileKey: Buffer | null = null;
  if (encrypt) {
    const result = emptyUserPasswordOpens(doc);
    if (result.kind === 'needs_password') throw new AppError('pdf_encrypted');
    if (result.kind === 'unsupported') throw new AppError('pdf_encrypted');
    fileKey = result.fileKey;
  } else {
    try {
      if (doc.getPageCount() < 1) throw new Error('no pages');
    } catch {
      throw new AppError('file_corrupt');
    }
  }
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (containsActive(object)) throw new AppError('pdf_active_content');
  }
  if (encrypt && fileKey) {
    const scan = scanEncryptedObjectStreams(doc, fileKey);
    if (scan === 'corrupt') throw new AppError('file_corrupt');
    if (scan === 'active') throw new AppError('pdf_active_content');
  }
}
