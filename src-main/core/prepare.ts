/**
 * Turns what the person chose into the file that is sent. For now only files that are already
 * PDF or JPEG are taken, as they are (the document engine will convert the rest).
 */
import { fileTypeFromBuffer } from 'file-type';
import { PDFDocument } from 'pdf-lib';
import type { InputFile } from '../../src-shared/assistant-api';
import { AppError } from '../../src-shared/errors';
import { formatMegabytes } from '../../src-shared/format';

export interface PreparedFile {
  bytes: Uint8Array;
  mediaType: 'application/pdf' | 'image/jpeg';
  filename: string;
  pages: number;
  summary: string;
}

export async function prepareFiles(files: InputFile[], limits: { maxBytes: number }): Promise<PreparedFile> {
  if (files.length !== 1)
    throw new AppError('file_type_not_allowed', 'Choisissez un seul fichier, au format PDF ou JPEG.');
  const file = files[0]!;
  if (file.bytes.byteLength === 0) throw new AppError('file_empty');
  const type = await fileTypeFromBuffer(file.bytes);
  const mediaType = type?.mime === 'application/pdf' || type?.mime === 'image/jpeg' ? type.mime : null;
  if (!mediaType) throw new AppError('file_type_not_allowed');
  if (file.bytes.byteLength > limits.maxBytes)
    throw new AppError(
      'file_too_large',
      `Le fichier pèse ${formatMegabytes(file.bytes.byteLength)} ; cette pièce accepte au plus ${formatMegabytes(limits.maxBytes)}.`,
    );
  const pages = mediaType === 'application/pdf' ? await countPdfPages(file.bytes) : 1;
  const extension = mediaType === 'application/pdf' ? '.pdf' : '.jpg';
  const base = file.name.replace(/\.[^.]*$/, '') || 'document';
  return {
    bytes: file.bytes,
    mediaType,
    filename: base + extension,
    pages,
    summary: 'Fichier gardé tel quel.',
  };
}

async function countPdfPages(bytes: Uint8Array): Promise<number> {
  try {
    const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    return pdf.getPageCount();
  } catch {
    throw new AppError('file_corrupt');
  }
}
