/**
 * PDF forms made with pdf-lib, the same bytes on every run (no dates, no producer, no ID):
 * a filled AcroForm, its variants (answers without appearances, a static XFA packet beside
 * it) and a dynamic XFA form as Adobe LiveCycle writes one (an XFA packet, no AcroForm field,
 * /NeedsRendering, a placeholder page).
 */
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';

export const FORM_ANSWERS = { name: 'Dupont Emilie', city: 'Besancon', comb: '75012' } as const;

async function blankForm(): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Formulaire de candidature', { x: 72, y: 780, size: 16, font });
  page.drawText('Nom :', { x: 72, y: 700, size: 12, font });
  return doc;
}

export interface FormOptions {
  /** The answers' appearances removed and /NeedAppearances set, as some filling tools leave them. */
  withoutAppearances?: boolean;
  /** The name typed in another script (Cyrillic), which a standard PDF font cannot write. */
  nonLatinName?: boolean;
  /** An XFA packet beside the AcroForm, as a static (hybrid) LiveCycle form carries. */
  staticXfa?: boolean;
}

/** A form on one page: two text fields, a comb field, two check boxes (one ticked), a radio group. */
export async function filledForm(options: FormOptions = {}): Promise<Uint8Array> {
  const doc = await blankForm();
  const page = doc.getPage(0);
  const form = doc.getForm();
  const name = form.createTextField('nom');
  name.addToPage(page, { x: 130, y: 690, width: 250, height: 24 });
  name.setText(options.nonLatinName ? 'Дюпон' : FORM_ANSWERS.name);
  const city = form.createTextField('ville');
  city.addToPage(page, { x: 130, y: 650, width: 250, height: 24 });
  city.setText(FORM_ANSWERS.city);
  const comb = form.createTextField('code_postal');
  comb.setMaxLength(5);
  comb.enableCombing();
  comb.addToPage(page, { x: 130, y: 610, width: 100, height: 24 });
  comb.setText(FORM_ANSWERS.comb);
  const ticked = form.createCheckBox('majeur');
  ticked.addToPage(page, { x: 130, y: 570, width: 16, height: 16 });
  ticked.check();
  const unticked = form.createCheckBox('handicap');
  unticked.addToPage(page, { x: 130, y: 540, width: 16, height: 16 });
  const choice = form.createRadioGroup('session');
  choice.addOptionToPage('printemps', page, { x: 130, y: 500, width: 16, height: 16 });
  choice.addOptionToPage('automne', page, { x: 170, y: 500, width: 16, height: 16 });
  choice.select('automne');
  if (!options.nonLatinName) form.updateFieldAppearances();
  if (options.withoutAppearances || options.nonLatinName) {
    for (const field of [name, city, comb]) for (const widget of field.acroField.getWidgets()) widget.dict.delete(PDFName.of('AP'));
    form.acroForm.dict.set(PDFName.of('NeedAppearances'), doc.context.obj(true));
  }
  if (options.staticXfa) {
    const xfa = doc.context.register(doc.context.stream('<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>'));
    form.acroForm.dict.set(PDFName.of('XFA'), xfa);
  }
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}

/** A dynamic XFA form: what every reader but Adobe's shows is this placeholder page. */
export async function dynamicXfaForm(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([612, 792]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText('Please wait... If this message is not eventually replaced by the proper contents', { x: 40, y: 700, size: 10, font });
  page.drawText('of the document, your PDF viewer may not be able to display this type of document.', { x: 40, y: 686, size: 10, font });
  const xfa = doc.context.register(
    doc.context.stream('<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform layout="tb"/></template></xdp:xdp>'),
  );
  doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [], XFA: xfa }));
  doc.catalog.set(PDFName.of('NeedsRendering'), doc.context.obj(true));
  return doc.save({ useObjectStreams: false });
}
