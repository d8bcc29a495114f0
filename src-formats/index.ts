/**
 * File formats read byte by byte, shared by the desktop engine and the companion API so that
 * both apply the same rules (issue 13): JPEG segments, ISO-BMFF boxes, PDF syntax, the PDF
 * standard security handler and the active-content policy. Imports nothing of ours but
 * src-shared; each format has a README in its folder.
 */
export { isobmffIsWhole, readBoxes, type Box } from './isobmff/boxes';
export { checkJpeg, type KnownBytes } from './jpeg/check';
export { jpegScanData, readJpegHeader, readJpegLayout, stripJpegMetadata, type JpegHeader, type JpegLayout } from './jpeg/segments';
export { checkPdf, checkPdfQuickly, checkPdfSource, pdfSecurity, scanPdfBytes, scanPdfFile, MAX_WORK, type PdfScanResult } from './pdf/check';
export {
  decryptObjectData,
  fileKeyForUserPassword,
  fileKeyWithoutPassword,
  opensWithoutPassword,
  rc4,
  type StandardSecurity,
} from './pdf/security';
export { ACTIVE_ACTIONS, ACTIVE_ANNOTATIONS, ACTIVE_KEYS, ACTIVE_NAMES, ACTIVE_TYPES, activeContentOf, activeName, type DictView } from './pdf/active-content';
export { BufferSource, FileSource, type ByteSource } from './pdf/syntax';
