/**
 * PDF forms through the engine (issue 16): the answers of a filled AcroForm end up in the
 * page's content (read back by PDFium, which, like any text extraction, ignores form fields),
 * ticked boxes stay ticked, nothing interactive is left; a dynamic XFA form is refused.
 */
import { PDFiumLibrary } from '@hyzyla/pdfium';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, normalise } from '../../../src-engine/core';
import { ERRORS } from '../../../src-shared/errors';
import { dynamicXfaForm, filledForm, FORM_ANSWERS } from '../../support/form-pdf';
import { pdf, stream } from '../../support/pdf-bytes';
import { refusal } from '../../support/refusal';

let pdfium: PDFiumLibrary;
beforeAll(async () => {
  pdfium = await PDFiumLibrary.init();
});
afterAll(() => pdfium.destroy());

const MAX = 5_000_000;

async function run(bytes: Uint8Array, name = 'formulaire.pdf') {
  return normalise({ files: [{ name, bytes }], maxBytes: MAX, to: 'pdf' });
}

async function pageText(bytes: Uint8Array): Promise<string> {
  const doc = await pdfium.loadDocument(new Uint8Array(bytes));
  try {
    return doc.getPage(0).getText();
  } finally {
    doc.destroy();
  }
}

/** Mean grey level (0 black, 255 white) inside a square of PDF points, drawn without annotations. */
async function meanGrey(bytes: Uint8Array, x: number, y: number, size: number): Promise<number> {
  const doc = await pdfium.loadDocument(new Uint8Array(bytes));
  try {
    const page = doc.getPage(0);
    const { originalHeight } = page.getOriginalSize();
    const render = await page.render({ scale: 2, render: 'bitmap', colorSpace: 'BGRA', transparent: false });
    const { data } = await sharp(render.data, { raw: { width: render.width, height: render.height, channels: 4 } })
      .extract({ left: Math.round(x * 2), top: Math.round((originalHeight - y - size) * 2), width: size * 2, height: size * 2 })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return data.reduce((sum, v) => sum + v, 0) / data.length;
  } finally {
    doc.destroy();
  }
}

async function widgetsAndForm(bytes: Uint8Array): Promise<{ acroForm: boolean; widgets: number; xfa: boolean }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  let widgets = 0;
  let xfa = false;
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Subtype')) === PDFName.of('Widget')) widgets += 1;
    if (object instanceof PDFDict && object.has(PDFName.of('XFA'))) xfa = true;
  }
  return { acroForm: doc.catalog.has(PDFName.of('AcroForm')), widgets, xfa };
}

describe('a filled AcroForm is flattened into its page', () => {
  it('puts the typed answers in the page text and leaves no form behind', async () => {
    const input = await filledForm();
    // The fixture is what it says: answers in fields, not in the page.
    expect(await pageText(input)).not.toContain(FORM_ANSWERS.name);
    expect((await widgetsAndForm(input)).widgets).toBeGreaterThan(0);

    const out = await run(input);
    const text = await pageText(out.bytes);
    expect(text).toContain(FORM_ANSWERS.name);
    expect(text).toContain(FORM_ANSWERS.city);
    expect(text.replace(/\s/g, '')).toContain(FORM_ANSWERS.comb);
    expect(text).toContain('Formulaire de candidature');
    expect(await widgetsAndForm(out.bytes)).toEqual({ acroForm: false, widgets: 0, xfa: false });
    expect(out.summary).toContain('réponses du formulaire intégrées aux pages');
  });

  it('keeps a ticked box ticked, an empty one empty, and the chosen radio button', async () => {
    const out = await run(await filledForm());
    const ticked = await meanGrey(out.bytes, 133, 573, 10);
    const empty = await meanGrey(out.bytes, 133, 543, 10);
    const chosen = await meanGrey(out.bytes, 173, 503, 10);
    const notChosen = await meanGrey(out.bytes, 133, 503, 10);
    expect(empty).toBeGreaterThan(240);
    expect(notChosen).toBeGreaterThan(240);
    expect(ticked).toBeLessThan(empty - 30);
    expect(chosen).toBeLessThan(notChosen - 30);
  });

  it('shows the answers when the page is asked as a JPEG, and in its thumbnail', async () => {
    const input = await filledForm();
    const out = await normalise({ files: [{ name: 'formulaire.pdf', bytes: input }], maxBytes: MAX, to: 'jpeg' });
    const [preview] = await inspect([{ name: 'formulaire.pdf', bytes: input }]);
    for (const jpeg of [out.bytes, preview!.thumbnail]) {
      const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
      const scale = info.width / 595;
      // Mean grey of the box's inside (PDF points, origin bottom left).
      const box = (x: number, y: number) => {
        let sum = 0;
        let n = 0;
        for (let py = Math.round((842 - y - 10) * scale); py < Math.round((842 - y) * scale); py++)
          for (let px = Math.round(x * scale); px < Math.round((x + 10) * scale); px++, n++) sum += data[py * info.width + px]!;
        return sum / n;
      };
      expect(box(133, 573)).toBeLessThan(box(133, 543) - 20);
    }
  });

  it('draws answers that came without appearances (/NeedAppearances), as a reader would', async () => {
    const input = await filledForm({ withoutAppearances: true });
    const out = await run(input);
    expect(await pageText(out.bytes)).toContain(FORM_ANSWERS.name);
    expect((await widgetsAndForm(out.bytes)).acroForm).toBe(false);
  });

  it('flattens a static form that carries an XFA packet beside its fields, and drops the XFA', async () => {
    const out = await run(await filledForm({ staticXfa: true }));
    expect(await pageText(out.bytes)).toContain(FORM_ANSWERS.name);
    expect(await widgetsAndForm(out.bytes)).toEqual({ acroForm: false, widgets: 0, xfa: false });
    expect(out.summary).not.toContain('éléments actifs');
  });

  it('refuses, rather than lose it, an answer no standard font can draw and that has no appearance', async () => {
    const error = await refusal(run(await filledForm({ nonLatinName: true })));
    expect(error.code).toBe('pdf_form_not_flattened');
  });

  it('keeps the file\'s own appearance of a non-Latin answer it is asked to redraw but cannot', async () => {
    const cyrillic = Buffer.from('\ufeffДюпон', 'utf16le').swap16().toString('hex');
    const bytes = pdf([
      '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /NeedAppearances true /DA (/Helv 0 Tf 0 g) >> >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>',
      `<< /Type /Annot /Subtype /Widget /FT /Tx /T (nom) /V <${cyrillic}> /Rect [20 20 180 60] /AP << /N 5 0 R >> /P 3 0 R >>`,
      stream('/Type /XObject /Subtype /Form /BBox [0 0 160 40]', Buffer.from('0 g 0 0 160 40 re f')),
    ]);
    const out = (await run(new Uint8Array(bytes))).bytes;
    expect(await meanGrey(out, 30, 30, 20)).toBeLessThan(20);
    expect((await widgetsAndForm(out)).acroForm).toBe(false);
  });

  it('keeps a signed form byte for byte: the signature wins, its widgets show the answers as signed', async () => {
    const doc = await PDFDocument.load(await filledForm(), { updateMetadata: false });
    const signature = doc.context.register(doc.context.obj({ Type: 'Sig', ByteRange: [0, 0, 0, 0], Contents: doc.context.obj([]) }));
    doc.catalog.set(PDFName.of('Perms'), doc.context.obj({ DocMDP: signature }));
    const bytes = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
    const out = await run(bytes);
    expect(Buffer.from(out.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('still keeps a PDF without a form byte for byte', async () => {
    const plain = await PDFDocument.create({ updateMetadata: false });
    plain.addPage([595, 842]).drawText('Attestation');
    const bytes = await plain.save();
    const out = await run(bytes);
    expect(Buffer.from(out.bytes).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('each widget drawn where and as a reader draws it', () => {
  const black = Buffer.from('0 g 0 0 1000 1000 re f');
  const widget = (rect: string, ap: number, extra = '') =>
    `<< /Type /Annot /Subtype /Widget /FT /Tx /T (f${ap}) /V (x) /Rect [${rect}] /AP << /N ${ap} 0 R >> /P 3 0 R ${extra} >>`;
  const bytes = pdf([
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R 6 0 R] >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R 5 0 R 6 0 R] >>',
    // An appearance whose box does not start at 0 0: it is moved onto /Rect, not beside it.
    widget('20 120 120 140', 7),
    // A hidden widget: nothing to draw.
    widget('20 20 60 60', 8, '/F 2'),
    // A turned appearance (/Matrix a quarter turn): its turned box fills /Rect.
    widget('140 20 160 60', 9),
    stream('/Type /XObject /Subtype /Form /BBox [10 10 110 30]', black),
    stream('/Type /XObject /Subtype /Form /BBox [0 0 40 40]', black),
    stream('/Type /XObject /Subtype /Form /BBox [0 0 40 20] /Matrix [0 1 -1 0 0 0]', black),
  ]);

  it('places offset and turned appearances on their rectangle and leaves hidden ones out', async () => {
    const out = (await run(new Uint8Array(bytes))).bytes;
    expect(await meanGrey(out, 25, 122, 15)).toBeLessThan(20);
    expect(await meanGrey(out, 105, 122, 15)).toBeLessThan(20);
    // Where a plain move to the rectangle's corner would have put the offset box's far end.
    expect(await meanGrey(out, 121, 141, 8)).toBeGreaterThan(235);
    expect(await meanGrey(out, 25, 25, 30)).toBeGreaterThan(235);
    expect(await meanGrey(out, 141, 21, 18)).toBeLessThan(20);
    expect(await meanGrey(out, 141, 42, 18)).toBeLessThan(20);
    expect(await widgetsAndForm(out)).toEqual({ acroForm: false, widgets: 0, xfa: false });
  });
});

describe('a dynamic XFA form', () => {
  it('is refused with its own code, when added and when prepared', async () => {
    const input = await dynamicXfaForm();
    expect(await pageText(input)).toContain('Please wait');
    expect((await refusal(run(input))).code).toBe('pdf_dynamic_form');
    expect((await refusal(inspect([{ name: 'formulaire.pdf', bytes: input }]))).code).toBe('pdf_dynamic_form');
  });

  it('tells the person, in plain French, how to get a PDF that shows the form', () => {
    const { message } = ERRORS.pdf_dynamic_form;
    expect(message).toContain('Adobe Acrobat Reader');
    expect(message).toContain('« Imprimer »');
    expect(message).toMatch(/Microsoft Print to PDF/);
    expect(message).toMatch(/Enregistrer au format PDF/);
    // No jargon the person cannot act on.
    expect(message).not.toMatch(/XFA|AcroForm|NeedsRendering/);
  });
});
