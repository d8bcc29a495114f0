/**
 * The pages of a document as the person arranges them before sending: which pages, in which
 * order, turned by how much. Pure functions, so the rules are tested without a browser.
 */
import type { PagePreview, PageRef, PreparedPage } from '../src-shared/assistant-api';
import type { Corners, PageCheck } from '../src-shared/documents';

export type Rotation = 0 | 90 | 180 | 270;
export interface ArrangedPage {
  file: number;
  page: number;
  rotate: Rotation;
  /** A photo's corners chosen by the person; null: the whole photo; absent: found by the engine. */
  corners?: Corners | null;
  /** A photo of a text page sent in black and white. */
  bw?: boolean;
}

export function pageKey(page: { file: number; page: number }): string {
  return `${page.file}:${page.page}`;
}

/** Every page of every chosen file, in the order chosen, upright as the engine sees it. */
export function initialArrangement(pages: readonly PagePreview[]): ArrangedPage[] {
  return pages.map((p) => ({ file: p.file, page: p.page, rotate: 0 }));
}

export function rotate(pages: readonly ArrangedPage[], index: number, by: 90 | -90): ArrangedPage[] {
  return pages.map((p, i) => (i === index ? { ...p, rotate: (((p.rotate + by) % 360) + 360) % 360 as Rotation } : p));
}

/** Moves a page one place earlier (-1) or later (+1); out of range, nothing changes. */
export function move(pages: readonly ArrangedPage[], index: number, by: -1 | 1): ArrangedPage[] {
  const target = index + by;
  if (index < 0 || index >= pages.length || target < 0 || target >= pages.length) return [...pages];
  const next = [...pages];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/** A document keeps at least one page: removing the last one is refused. */
export function remove(pages: readonly ArrangedPage[], index: number): ArrangedPage[] {
  if (pages.length <= 1) return [...pages];
  return pages.filter((_, i) => i !== index);
}

/** One page's corners as the person chose them in the corner editor (undefined: back to the engine's). */
export function setCorners(pages: readonly ArrangedPage[], index: number, corners: Corners | null | undefined): ArrangedPage[] {
  return pages.map((p, i) => {
    if (i !== index) return p;
    const { corners: _old, ...rest } = p;
    return corners === undefined ? rest : { ...rest, corners };
  });
}

export function setBlackAndWhite(pages: readonly ArrangedPage[], index: number, bw: boolean): ArrangedPage[] {
  return pages.map((p, i) => {
    if (i !== index) return p;
    const { bw: _old, ...rest } = p;
    return bw ? { ...rest, bw } : rest;
  });
}

/** What prepareDocument is asked for; what the engine does by default (no turn, its own corners) is left out. */
export function toPageRefs(pages: readonly ArrangedPage[]): PageRef[] {
  return pages.map((p) => ({
    file: p.file,
    page: p.page,
    ...(p.rotate === 0 ? {} : { rotate: p.rotate }),
    ...(p.corners === undefined ? {} : { corners: p.corners }),
    ...(p.bw ? { bw: true } : {}),
  }));
}

/**
 * A photo's page taken again ("Reprendre la photo"): the chosen files the other pages still
 * use, in their order, then the new file. Answers which old files to keep and how each page's
 * file number changes; `replaced` (the new file's pages) takes the place of page `index`.
 */
export function filesKept(pages: readonly ArrangedPage[], index: number): { keep: number[]; renumber: Map<number, number> } {
  const keep = [...new Set(pages.filter((_, i) => i !== index).map((p) => p.file))].sort((a, b) => a - b);
  return { keep, renumber: new Map(keep.map((file, n) => [file, n])) };
}

export function replacePage(
  pages: readonly ArrangedPage[],
  index: number,
  renumber: ReadonlyMap<number, number>,
  replaced: readonly { file: number; page: number }[],
): ArrangedPage[] {
  return pages.flatMap((p, i) =>
    i === index
      ? replaced.map((r) => ({ file: r.file, page: r.page, rotate: 0 as Rotation }))
      : [{ ...p, file: renumber.get(p.file)! }],
  );
}

/** Whether the page is a photo where the engine looked for a document (the corner editor applies). */
export function isPhoto(preview: PagePreview | undefined): boolean {
  return preview !== undefined && preview.corners !== undefined;
}

/** Warnings about where the document is in the photo: answered once the person keeps the whole photo. */
const ABOUT_CORNERS = new Set<PageCheck['code']>(['no_document_found', 'cut_off']);

/**
 * A page's warnings: from the document just prepared (they follow the corners chosen), else
 * from the inspection. A photo kept whole is not checked again by the engine: the inspection's
 * warnings about the photo itself (blur, darkness…) still hold, those about the corners do not.
 */
export function checksOf(page: ArrangedPage, preview: PagePreview | undefined, report: readonly PreparedPage[] | undefined): PageCheck[] {
  if (page.corners === null) return (preview?.checks ?? []).filter((c) => !ABOUT_CORNERS.has(c.code));
  const prepared = report?.find((r) => r.source.file === page.file && r.source.page === page.page);
  return prepared?.checks ?? preview?.checks ?? [];
}

/** The rotation a thumbnail needs on screen, and whether its box turns from portrait to landscape. */
export function isSideways(rotation: Rotation): boolean {
  return rotation === 90 || rotation === 270;
}
