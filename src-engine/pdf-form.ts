/**
 * PDF forms (issue 16). A filled AcroForm is flattened: each visible field's appearance is
 * drawn into its page and the interactive parts go, so what the service receives shows the
 * answers in every reader and cannot be changed by a click. A dynamic XFA form (Adobe
 * LiveCycle) is refused: its pages are built by Adobe Reader alone, every other reader (and
 * this engine) only sees the "please wait" placeholder page.
 *
 * pdf-lib's `form.flatten()` is not used as it is: it draws a check box by its value rather
 * than its widget's /AS state, draws hidden widgets, ignores an appearance's /BBox and
 * /Matrix, and throws on a widget without appearance. Its appearance generators are used
 * for fields that have none (or whose reader is asked to redraw them, /NeedAppearances).
 */
import type { PDFDict, PDFDocument, PDFFont, PDFObject, PDFRef, PDFStream } from 'pdf-lib';
import { AppError } from '../src-shared/errors';
import { loadPdfLib, type PdfLib } from './pdf-lib';

/** `fields`: an AcroForm with fields to flatten; `dynamic-xfa`: a form only Adobe Reader draws. */
export type FormKind = 'none' | 'fields' | 'dynamic-xfa';

/** Widget flags (PDF 32000-1 12.5.3) that keep a widget off the screen. */
const HIDDEN = 1 << 1;
const NO_VIEW = 1 << 5;
const MAX_FIELD_DEPTH = 32;

function isTrue(lib: PdfLib, value: PDFObject | undefined): boolean {
  return value instanceof lib.PDFBool && value.asBoolean();
}

/** Terminal fields other than signatures, counted down the /Fields tree (kinds inherited). */
function countFields(lib: PdfLib, doc: PDFDocument, fields: PDFObject | undefined): number {
  const { PDFArray, PDFDict, PDFName } = lib;
  let count = 0;
  const seen = new Set<PDFObject>();
  const visit = (object: PDFObject | undefined, kind: string | undefined, depth: number): void => {
    const dict = doc.context.lookup(object);
    if (!(dict instanceof PDFDict) || seen.has(dict) || depth > MAX_FIELD_DEPTH) return;
    seen.add(dict);
    const ft = dict.get(PDFName.of('FT'));
    const own = ft instanceof PDFName ? ft.decodeText() : kind;
    const kids = doc.context.lookup(dict.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray && kids.size() > 0) {
      for (let i = 0; i < kids.size(); i++) visit(kids.get(i), own, depth + 1);
    } else if (own !== 'Sig') {
      count += 1;
    }
  };
  const list = doc.context.lookup(fields);
  if (list instanceof PDFArray) for (let i = 0; i < list.size(); i++) visit(list.get(i), undefined, 0);
  return count;
}

/**
 * What kind of form the document holds. An XFA packet makes it dynamic when the catalog asks
 * the reader to build the pages from it (/NeedsRendering, which LiveCycle sets on dynamic
 * forms): the pages in the file are then only a placeholder. Without it, Adobe Reader itself
 * shows the file's own pages (a static or hybrid form, its fields also written as AcroForm):
 * those are flattened and the XFA dropped.
 */
export function formKindOf(lib: PdfLib, doc: PDFDocument): FormKind {
  const { PDFDict, PDFName } = lib;
  const form = doc.context.lookup(doc.catalog.get(PDFName.of('AcroForm')));
  if (!(form instanceof PDFDict)) return 'none';
  const needsRendering = isTrue(lib, doc.context.lookup(doc.catalog.get(PDFName.of('NeedsRendering'))));
  if (form.has(PDFName.of('XFA')) && needsRendering) return 'dynamic-xfa';
  return countFields(lib, doc, form.get(PDFName.of('Fields'))) > 0 ? 'fields' : 'none';
}

/**
 * Whether the widget's field holds typed text or a choice (looked up the /Parent chain as
 * readers do): an answer that would be lost without an appearance to draw.
 */
function holdsAnswer(lib: PdfLib, doc: PDFDocument, widget: PDFDict): boolean {
  const { PDFDict, PDFName } = lib;
  let kind: string | undefined;
  let answer = false;
  let node: PDFObject | undefined = widget;
  for (let depth = 0; node instanceof PDFDict && depth <= MAX_FIELD_DEPTH; depth++) {
    const ft = node.get(PDFName.of('FT'));
    kind ??= ft instanceof PDFName ? ft.decodeText() : undefined;
    const value = doc.context.lookup(node.get(PDFName.of('V')));
    if (value instanceof lib.PDFString || value instanceof lib.PDFHexString) answer ||= value.decodeText().trim() !== '';
    if (value instanceof lib.PDFArray) answer ||= value.size() > 0;
    node = doc.context.lookup(node.get(PDFName.of('Parent')));
  }
  return answer && (kind === 'Tx' || kind === 'Ch');
}

/** The appearance a reader shows for the widget: /AP /N, or its /AS state when it has states. */
function normalAppearance(lib: PdfLib, doc: PDFDocument, widget: PDFDict): PDFStream | undefined {
  const { PDFDict, PDFName, PDFStream } = lib;
  const ap = doc.context.lookup(widget.get(PDFName.of('AP')));
  if (!(ap instanceof PDFDict)) return undefined;
  const normal = doc.context.lookup(ap.get(PDFName.of('N')));
  if (normal instanceof PDFStream) return normal;
  if (!(normal instanceof PDFDict)) return undefined;
  const state = widget.get(PDFName.of('AS'));
  if (!(state instanceof PDFName)) return undefined;
  const chosen = doc.context.lookup(normal.get(state));
  return chosen instanceof PDFStream ? chosen : undefined;
}

function numbers(lib: PdfLib, doc: PDFDocument, value: PDFObject | undefined, size: number): number[] | undefined {
  const array = doc.context.lookup(value);
  if (!(array instanceof lib.PDFArray) || array.size() !== size) return undefined;
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    const n = doc.context.lookup(array.get(i));
    if (!(n instanceof lib.PDFNumber) || !Number.isFinite(n.asNumber())) return undefined;
    out.push(n.asNumber());
  }
  return out;
}

/**
 * The matrix that puts the appearance on the widget's rectangle (PDF 32000-1 12.5.5): the
 * form's bounding box, once through its own /Matrix, is scaled and moved onto /Rect.
 */
function placement(lib: PdfLib, doc: PDFDocument, widget: PDFDict, appearance: PDFStream): number[] | undefined {
  const { PDFName } = lib;
  const rect = numbers(lib, doc, widget.get(PDFName.of('Rect')), 4);
  const bbox = numbers(lib, doc, appearance.dict.get(PDFName.of('BBox')), 4);
  if (!rect || !bbox) return undefined;
  const [a, b, c, d, e, f] = numbers(lib, doc, appearance.dict.get(PDFName.of('Matrix')), 6) ?? [1, 0, 0, 1, 0, 0];
  const corners = [
    [bbox[0]!, bbox[1]!],
    [bbox[2]!, bbox[1]!],
    [bbox[0]!, bbox[3]!],
    [bbox[2]!, bbox[3]!],
  ].map(([x, y]) => [a! * x! + c! * y! + e!, b! * x! + d! * y! + f!] as const);
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  const [bx0, bx1, by0, by1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const [rx0, rx1, ry0, ry1] = [Math.min(rect[0]!, rect[2]!), Math.max(rect[0]!, rect[2]!), Math.min(rect[1]!, rect[3]!), Math.max(rect[1]!, rect[3]!)];
  if (bx1 - bx0 <= 0 || by1 - by0 <= 0 || rx1 - rx0 <= 0 || ry1 - ry0 <= 0) return undefined;
  const sx = (rx1 - rx0) / (bx1 - bx0);
  const sy = (ry1 - ry0) / (by1 - by0);
  return [sx, 0, 0, sy, rx0 - bx0 * sx, ry0 - by0 * sy];
}

/**
 * Draws the appearances pdf-lib can make for fields that have none, or all of them when the
 * file asks readers to redraw (/NeedAppearances): what a reader would show. Text a standard
 * font cannot write (outside Latin-1) keeps the file's own appearance when there is one.
 */
async function generateAppearances(lib: PdfLib, doc: PDFDocument, redrawAll: boolean): Promise<void> {
  let form: ReturnType<PDFDocument['getForm']>;
  let fields: ReturnType<typeof form.getFields>;
  try {
    form = doc.getForm();
    fields = form.getFields();
  } catch {
    // A field tree pdf-lib cannot read: the widgets' own appearances are drawn as they are.
    return;
  }
  let font: PDFFont | undefined;
  for (const field of fields) {
    const text = field instanceof lib.PDFTextField || field instanceof lib.PDFDropdown || field instanceof lib.PDFOptionList;
    const states = field instanceof lib.PDFCheckBox || field instanceof lib.PDFRadioGroup;
    if (!text && !states) continue;
    try {
      if (!(field.needsAppearancesUpdate() || (redrawAll && text))) continue;
      if (text) {
        font ??= await doc.embedFont(lib.StandardFonts.Helvetica);
        field.defaultUpdateAppearances(font);
      } else {
        field.defaultUpdateAppearances();
      }
    } catch {
      // Left as it was: a widget still without appearance but with a value is refused below.
      continue;
    }
  }
}

/** Flattens the document's form in place and removes it (/AcroForm, its XFA, the widgets). */
export async function flattenForm(doc: PDFDocument): Promise<void> {
  const lib = await loadPdfLib();
  const { PDFArray, PDFDict, PDFName, PDFNumber } = lib;
  const form = doc.context.lookup(doc.catalog.get(PDFName.of('AcroForm')));
  if (!(form instanceof PDFDict)) return;
  // pdf-lib would drop it too, with a console warning: the engine reports by codes only.
  form.delete(PDFName.of('XFA'));
  await generateAppearances(lib, doc, isTrue(lib, doc.context.lookup(form.get(PDFName.of('NeedAppearances')))));
  const defaultResources = form.get(PDFName.of('DR'));
  for (const page of doc.getPages()) {
    const annots = doc.context.lookup(page.node.get(PDFName.of('Annots')));
    if (!(annots instanceof PDFArray)) continue;
    const drawn: string[] = [];
    for (let i = annots.size() - 1; i >= 0; i--) {
      const widget = doc.context.lookup(annots.get(i));
      if (!(widget instanceof PDFDict) || widget.get(PDFName.of('Subtype')) !== PDFName.of('Widget')) continue;
      annots.remove(i);
      const flags = doc.context.lookup(widget.get(PDFName.of('F')));
      if (flags instanceof PDFNumber && flags.asNumber() & (HIDDEN | NO_VIEW)) continue;
      const appearance = normalAppearance(lib, doc, widget);
      const matrix = appearance ? placement(lib, doc, widget, appearance) : undefined;
      if (!appearance || !matrix) {
        // Nothing a reader would draw either, unless the field holds an answer we cannot show.
        if (holdsAnswer(lib, doc, widget)) throw new AppError('pdf_form_not_flattened');
        continue;
      }
      // Some files keep the appearances' fonts in the form's /DR only; the form is going.
      if (!appearance.dict.has(PDFName.of('Resources')) && defaultResources) appearance.dict.set(PDFName.of('Resources'), defaultResources);
      const ref: PDFRef = doc.context.getObjectRef(appearance) ?? doc.context.register(appearance);
      const key = page.node.newXObject('Field', ref);
      drawn.unshift(`q ${matrix.map((n) => Number(n.toFixed(5))).join(' ')} cm ${key.toString()} Do Q`);
    }
    if (annots.size() === 0) page.node.delete(PDFName.of('Annots'));
    if (drawn.length === 0) continue;
    // The page's own content may leave its graphics state changed: it is closed in q … Q
    // before the fields are drawn in the page's default space.
    const contents = page.node.get(PDFName.of('Contents'));
    const existing = doc.context.lookup(contents);
    const streams: PDFObject[] = existing instanceof PDFArray ? existing.asArray() : contents ? [contents] : [];
    const open = doc.context.register(doc.context.stream('q'));
    const fields = doc.context.register(doc.context.flateStream(`Q\n${drawn.join('\n')}\n`));
    page.node.set(PDFName.of('Contents'), doc.context.obj(streams.length ? [open, ...streams, fields] : [fields]));
  }
  doc.catalog.delete(PDFName.of('AcroForm'));
  doc.catalog.delete(PDFName.of('NeedsRendering'));
}
