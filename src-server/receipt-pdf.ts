/**
 * The printable "accusé de clôture": a one-page French PDF a candidate can print or keep,
 * carrying the same facts as the signed receipt, its signature and the key to check it.
 */
import type { PDFFont, PDFPage } from 'pdf-lib';
import type { ReceiptKey, SignedReceipt } from '../src-shared/contract';
import { formatTimestamp } from '../src-shared/deadline';
import { campaignTimeName } from '../src-shared/local-time';
import type { CandidateAccount } from './campaigns';

const WIN_ANSI_EXTRAS = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ']);

/** The standard fonts only know WinAnsi: keep accents they have, strip the others. */
export function printable(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(ch)) {
      out += ch;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += base.length > 0 && [...base].every((c) => c.charCodeAt(0) < 0x7f && c.charCodeAt(0) >= 0x20) ? base : '?';
  }
  return out;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  // A single word longer than the width (a signature) is cut hard.
  return lines.flatMap((l) => {
    if (font.widthOfTextAtSize(l, size) <= width) return [l];
    const parts: string[] = [];
    let rest = l;
    while (rest.length > 0) {
      let n = rest.length;
      while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
      parts.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    return parts;
  });
}

export async function receiptPdf(
  envelope: SignedReceipt,
  who: CandidateAccount,
  key: ReceiptKey,
): Promise<Uint8Array> {
  // pdf-lib (about 20 MB once loaded) is needed only for this rare download: loaded on first use.
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  doc.setTitle(printable(`Accusé de clôture ${envelope.receipt.dossier}`));
  doc.setLanguage('fr-FR');
  doc.setProducer('Assistant Dépôt');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  let page: PDFPage = doc.addPage([595.28, 841.89]);
  const margin = 56;
  const width = page.getWidth() - 2 * margin;
  let y = page.getHeight() - margin;

  const write = (text: string, font: PDFFont, size: number, gap = 4) => {
    for (const line of wrap(printable(text), font, size, width)) {
      if (y < margin + size) {
        page = doc.addPage([595.28, 841.89]);
        y = page.getHeight() - margin;
      }
      y -= size;
      page.drawText(line, { x: margin, y, size, font, color: rgb(0, 0, 0) });
      y -= gap;
    }
  };

  const r = envelope.receipt;
  write(who.campaign.organiser, regular, 11);
  write(who.campaign.title, regular, 11, 16);
  write('Accusé de clôture d’inscription', bold, 18, 14);
  write(`Dossier n° ${r.dossier} : ${r.firstName} ${r.lastName}`, regular, 12);
  const closedAt = new Date(r.closedAt);
  const zone = who.campaign.timeZone;
  write(`Clôturé le ${formatTimestamp(closedAt, zone)} (${campaignTimeName(zone, closedAt)}).`, regular, 12, 10);
  write('Votre dossier est clôturé, il est en cours d’instruction.', bold, 12, 14);
  write(`Documents reçus à la clôture (${r.documents.length}) :`, bold, 12, 6);
  for (const d of r.documents) {
    const piece = who.campaign.pieces.find((p) => p.id === d.pieceId)?.label ?? d.pieceId;
    write(`• ${piece} : ${d.filename} (${d.bytes.toLocaleString('fr-FR')} octets)`, regular, 10, 2);
    write(`  empreinte SHA-256 ${d.sha256}`, mono, 8, 6);
  }
  y -= 10;
  write(
    'Cet accusé est signé électroniquement (Ed25519). Conservez-le : il prouve la date de votre clôture ' +
      'et les documents reçus.',
    regular,
    9,
    6,
  );
  write(`Clé ${key.keyId} : ${key.publicKey}`, mono, 7, 2);
  write(`Signature : ${envelope.signature}`, mono, 7, 2);
  // Without object streams the file is a few KB larger but made in about two thirds of the time
  // (measured: 19 ms against 13 ms), which counts when a campaign export makes thousands.
  return doc.save({ useObjectStreams: false });
}
