/** The engine's one pdf-lib, loaded on first use. */
export type PdfLib = typeof import('pdf-lib');
let pdfLib: PdfLib | undefined;

/** pdf-lib is loaded on first use: a photo-only request never pays for it. */
export async function loadPdfLib(): Promise<PdfLib> {
  if (!pdfLib) {
    // Bundled from its CommonJS build, pdf-lib arrives as a default export only.
    const loaded = (await import('pdf-lib')) as Partial<PdfLib> & { default?: PdfLib };
    pdfLib = (loaded.PDFDocument ? loaded : loaded.default) as PdfLib;
  }
  return pdfLib;
}
