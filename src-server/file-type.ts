/**
 * The file type, read from the bytes: only PDF and JPEG are stored. We look at the signatures
 * ourselves rather than through `file-type`, because that library reports PDFs written by
 * Adobe Illustrator as `application/illustrator`, and any PDF a reader opens must pass here.
 */
import type { AcceptedMediaType } from '../src-shared/contract';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

export function mediaTypeFromBytes(head: Buffer): AcceptedMediaType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  // PDF readers accept the header anywhere in the first 1024 bytes (ISO 32000 tolerance).
  const at = head.subarray(0, 1024).indexOf(PDF_MAGIC);
  if (at >= 0) return 'application/pdf';
  return null;
}

export function extensionOf(mediaType: AcceptedMediaType): string {
  return mediaType === 'application/pdf' ? '.pdf' : '.jpg';
}
