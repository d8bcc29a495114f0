import { AppError, ENGINE_DETAILS } from '../src-shared/errors';

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

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096)).toLowerCase();
  return head.includes('<svg');
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

/**
 * The signatures of the kinds we accept, checked first: they are few and fixed, and this
 * spares loading file-type (over 100 ms) on every request. file-type still names everything
 * else, so that a refusal can say what the file is.
 */
export function acceptedKind(bytes: Uint8Array): InputKind | undefined {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*')) return 'tiff';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const size = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0);
    const end = Math.min(b.length, Math.max(16, size));
    const brands = [ascii(b, 8, 4)];
    for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(b, at, 4));
    if (brands.includes('avif') || brands.includes('avis')) return 'avif';
    if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'heic';
  }
  // Only at byte 0 (api-contract.md 5.6): readers also take a header further in, but then a
  // page with a script before it (`<html><script>…%PDF-`) would pass for a PDF.
  if (b.length >= 5 && ascii(b, 0, 5) === '%PDF-') return 'pdf';
  return undefined;
}

/**
 * The kind of a file, or a refusal that says what it is and how to get a document from it.
 * SVG is refused here, before any image library can see it (librsvg would render it).
 */
export async function sniff(bytes: Uint8Array): Promise<InputKind> {
  if (bytes.length === 0) throw new AppError('file_empty');
  const fast = acceptedKind(bytes);
  if (fast) return fast;
  const { fileTypeFromBuffer } = await import('file-type');
  const type = await fileTypeFromBuffer(bytes);
  const kind = type ? BY_MIME[type.mime] : undefined;
  if (kind) return kind;
  if (type && OFFICE.has(type.ext)) throw new AppError('file_type_not_allowed', ENGINE_DETAILS.officeDocument);
  if (type && ARCHIVES.has(type.ext)) throw new AppError('file_type_not_allowed', ENGINE_DETAILS.archive);
  if (type && PROGRAMS.has(type.ext)) throw new AppError('file_type_not_allowed', ENGINE_DETAILS.program);
  if ((type && type.ext === 'svg') || looksLikeSvg(bytes))
    throw new AppError('file_type_not_allowed', ENGINE_DETAILS.vectorImage);
  throw new AppError('file_type_not_allowed');
}
