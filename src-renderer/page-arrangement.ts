/**
 * The pages of a document as the person arranges them before sending: which pages, in which
 * order, turned by how much. Pure functions, so the rules are tested without a browser.
 */
import type { PagePreview, PageRef } from '../src-shared/assistant-api';

export type Rotation = 0 | 90 | 180 | 270;
export interface ArrangedPage {
  file: number;
  page: number;
  rotate: Rotation;
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

/** What prepareDocument is asked for; rotation 0 is left out, as the engine defaults to it. */
export function toPageRefs(pages: readonly ArrangedPage[]): PageRef[] {
  return pages.map((p) => (p.rotate === 0 ? { file: p.file, page: p.page } : { file: p.file, page: p.page, rotate: p.rotate }));
}

/** The rotation a thumbnail needs on screen, and whether its box turns from portrait to landscape. */
export function isSideways(rotation: Rotation): boolean {
  return rotation === 90 || rotation === 270;
}
