import { AppError, ENGINE_DETAILS } from '../../../src-shared/errors';

/** What the engine can read; the type always comes from the bytes, never from the name. */
export type InputKind = 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif' | 'bmp' | 'heic' | 'avif' | 'pdf';

const BY_MIME: Record<string, InputKind> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/tiff': 'tiff',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/heic': 'heic',
  'image/heic-sequence': 'heic',
  'image/heif': 'heic',
  'image/heif-sequence': 'heic',
  'image/avif': 'avif',
  'application/pdf': 'pdf',
};

const OFFICE = new Set(['docx', 'doc', 'odt', 'rtf', 'xlsx', 'xls', 'ods', 'pptx', 'ppt', 'odp', 'cfb']);
const ARCHIVES = new Set(['zip', 'rar', '7z', 'gz', 'tar', 'bz2', 'xz', 'cab', 'zst']);
const PROGRAMS = new Set(['exe', 'elf', 'mach', 'msi', 'dmg', 'deb', 'rpm', 'apk', 'wasm', 'class', 'dex']);

/** The position of "%PDF-" when a PDF starts within its first KiB (readers allow junk before it). */
export function pdfHeaderOffset(bytes: Uint8Array): number {
  const end = Math.min(bytes.length - 5, 1024);
  for (let i = 0; i <= end; i++) {
    if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x46 && bytes[i + 4] === 0x2d)
      return i;
  }
  return -1;
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096)).toLowerCase();
  return head.includes('<svg');
}

/**
 * The kind of a file, or a refusal that says what it is and how to get a document from it.
 * SVG is refused here, before any image library can see it (librsvg would render it).
 */
export async function sniff(bytes: Uint8Array): Promise<InputKind> {
  if (bytes.length === 0) throw new AppError('file_empty');
  const { fileTypeFromBuffer } = await import('file-type');
  const type = await fileTypeFromBuffer(bytes);
  const kind = type ? BY_MIME[type.mime] : undefined;
  if (kind) return kind;
  if (!type && pdfHeaderOffset(bytes) >= 0) return 'pdf';
  if (type && OFFICE.has(type.ext)) throw new AppError('file_type_not_allowed', ENGINE_DETAILS.officeDocument);
  if (type && ARCHIVES.has(type.ext)) throw new AppError('file_type_not_allowed', ENGINE_DETAILS.archive);
  if (type && PROGRAMS.has(type.ext)) throw new AppError('file_type_not_allowed', ENGINE_DETAILS.program);
  if ((type && type.ext === 'svg') || looksLikeSvg(bytes))
    throw new AppError('file_type_not_allowed', ENGINE_DETAILS.vectorImage);
  throw new AppError('file_type_not_allowed');
}
