/**
 * A PDF made only of pictures, written directly: each JPEG is stored as it is (DCTDecode,
 * never re-encoded), each black-and-white scan as one bit per pixel (deflated), on an A4
 * page. pdf-lib can do this too, but it costs a tenth
 * of a second to load and copies streams byte by byte; for the most common output (photos
 * or scans of a few pages) that was most of the time. Mixed documents still go through
 * pdf-lib (pdf-build.ts).
 */
import { deflateSync } from 'node:zlib';
import { A4_POINTS } from './limits';
import type { BilevelPage, Rotation } from './encode';

export type ImagePage =
  | {
      kind: 'jpeg';
      jpeg: Uint8Array;
      width: number;
      height: number;
      /** 1 (grey) or 3 (RGB): the pictures given here are already grey or sRGB. */
      components: 1 | 3;
      rotate: Rotation;
    }
  | ({ kind: 'bilevel'; rotate: Rotation } & BilevelPage);

/** Where a picture of width x height sits on its A4 page (portrait or landscape like it). */
export function a4Placement(width: number, height: number): { pageWidth: number; pageHeight: number; x: number; y: number; w: number; h: number } {
  const landscape = width > height;
  const pageWidth = landscape ? A4_POINTS.long : A4_POINTS.short;
  const pageHeight = landscape ? A4_POINTS.short : A4_POINTS.long;
  const scale = Math.min(pageWidth / width, pageHeight / height);
  const w = width * scale;
  const h = height * scale;
  return { pageWidth, pageHeight, x: (pageWidth - w) / 2, y: (pageHeight - h) / 2, w, h };
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

export function writeImagePdf(pages: ImagePage[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (part: Uint8Array) => {
    parts.push(part);
    length += part.length;
  };
  const object = (id: number, body: string, stream?: Uint8Array) => {
    offsets[id] = length;
    if (stream) {
      push(latin1(`${id} 0 obj\n${body}\nstream\n`));
      push(stream);
      push(latin1('\nendstream\nendobj\n'));
    } else {
      push(latin1(`${id} 0 obj\n${body}\nendobj\n`));
    }
  };

  // The binary comment tells transfer programs that the file is not text.
  push(latin1('%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n'));
  const pageIds = pages.map((_, i) => 3 + i * 3);
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  pages.forEach((page, i) => {
    const [pageId, contentId, imageId] = [pageIds[i]!, pageIds[i]! + 1, pageIds[i]! + 2];
    const at = a4Placement(page.width, page.height);
    const rotate = page.rotate ? ` /Rotate ${page.rotate}` : '';
    object(
      pageId,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(at.pageWidth)} ${num(at.pageHeight)}]${rotate} /Resources << /XObject << /Im0 ${imageId} 0 R >> >> /Contents ${contentId} 0 R >>`,
    );
    const content = latin1(`q ${num(at.w)} 0 0 ${num(at.h)} ${num(at.x)} ${num(at.y)} cm /Im0 Do Q`);
    object(contentId, `<< /Length ${content.length} >>`, content);
    if (page.kind === 'jpeg') {
      const space = page.components === 1 ? '/DeviceGray' : '/DeviceRGB';
      object(
        imageId,
        `<< /Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} /ColorSpace ${space} /BitsPerComponent 8 /Filter /DCTDecode /Length ${page.jpeg.length} >>`,
        page.jpeg,
      );
    } else {
      const data = deflateSync(page.packed);
      object(
        imageId,
        `<< /Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode /Length ${data.length} >>`,
        data,
      );
    }
  });

  const count = 3 + pages.length * 3;
  const xrefAt = length;
  let xref = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (let id = 1; id < count; id++) xref += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  push(latin1(`${xref}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`));

  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
