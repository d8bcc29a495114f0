/**
 * The file type, read from the bytes: only PDF and JPEG are stored. We look at the signatures
 * ourselves rather than through `file-type`, because that library reports PDFs written by
 * Adobe Illustrator as `application/illustrator`, and any PDF a reader opens must pass here.
 */
import type { AcceptedMediaType } from '../src-shared/contract';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

export function mediaTypeFromBytes(head: Buffer): AcceptedMediaType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  // At byte 0 only (api-contract.md 5.6). Readers accept the header anywhere in the first
  // 1024 bytes, but what comes before it is then shown by a browser: an HTML page with a
  // script and a PDF after it must not be stored as a PDF.
  if (head.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) return 'application/pdf';
  return null;
}

export function extensionOf(mediaType: AcceptedMediaType): string {
  return mediaType === 'application/pdf' ? '.pdf' : '.jpg';
}
