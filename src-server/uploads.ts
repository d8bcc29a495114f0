/**
 * Reading the upload headers: the RFC 9530 Content-Digest and the file name from
 * Content-Disposition (RFC 6266 / 8187), made safe to show and to hand back on download.
 */
import type { AcceptedMediaType } from '../src-shared/contract';
import { extensionOf } from './file-type';

/** The declared SHA-256 (32 bytes), or null when absent or unusable. */
export function declaredSha256(header: string | string[] | undefined): Buffer | null {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return null;
  for (const member of text.split(',')) {
    const m = /^\s*sha-256\s*=\s*:([A-Za-z0-9+/]*={0,2}):\s*$/i.exec(member);
    if (!m) continue;
    const bytes = Buffer.from(m[1]!, 'base64');
    if (bytes.length === 32) return bytes;
  }
  return null;
}

const MAX_NAME = 150;

function decodeExtValue(value: string): string | null {
  const m = /^([A-Za-z0-9-]+)'[^']*'(.*)$/.exec(value.trim());
  if (!m) return null;
  const charset = m[1]!.toLowerCase();
  try {
    if (charset === 'utf-8') return decodeURIComponent(m[2]!);
    if (charset === 'iso-8859-1')
      return unescape(m[2]!); // Latin-1 percent-encoding maps byte for byte to code points
  } catch {
    return null;
  }
  return null;
}

export function filenameFrom(header: string | undefined): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (star) {
    const decoded = decodeExtValue(star[1]!);
    if (decoded) return decoded;
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return bare ? bare[1]! : null;
}

const KNOWN_EXTENSIONS = /\.(pdf|jpe?g|jpe)$/i;

/** A name safe for a download header and a screen, with the extension of the real type. */
export function safeFilename(raw: string | null, mediaType: AcceptedMediaType): string {
  const ext = extensionOf(mediaType);
  let name = (raw ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/^.*[\\/]/, '')
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/^\.+/, '');
  name = name.replace(KNOWN_EXTENSIONS, '');
  if (name.length === 0) name = 'document';
  if (name.length > MAX_NAME) name = name.slice(0, MAX_NAME);
  return `${name}${ext}`;
}

/** Content-Disposition for a download: ASCII fallback plus the exact UTF-8 name. */
export function attachmentHeader(filename: string): string {
  const ascii = filename.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_') || 'document';
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
