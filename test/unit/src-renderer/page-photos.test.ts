import { describe, expect, it } from 'vitest';
import type { PagePreview } from '../../../src-shared/assistant-api';
import type { Corners } from '../../../src-shared/documents';
import {
  checksOf,
  filesKept,
  isPhoto,
  replacePage,
  setBlackAndWhite,
  setCorners,
  toPageRefs,
  type ArrangedPage,
} from '../../../src-renderer/page-arrangement';

const corners: Corners = [
  [10, 20],
  [300, 25],
  [310, 400],
  [5, 390],
];
const blurred = { code: 'blurred' as const, message: 'La photo est floue' };

describe("a photo page's choices reach the engine", () => {
  const pages: ArrangedPage[] = [
    { file: 0, page: 0, rotate: 0 },
    { file: 1, page: 0, rotate: 90 },
  ];

  it('carries chosen corners, the whole photo (null) and black and white; the defaults are left out', () => {
    let next = setCorners(pages, 0, corners);
    next = setCorners(next, 1, null);
    next = setBlackAndWhite(next, 1, true);
    expect(toPageRefs(next)).toEqual([
      { file: 0, page: 0, corners },
      { file: 1, page: 0, rotate: 90, corners: null, bw: true },
    ]);
  });

  it('goes back to the engine’s own corners and to colour', () => {
    const back = setBlackAndWhite(setCorners(setCorners(setBlackAndWhite(pages, 0, true), 0, corners), 0, undefined), 0, false);
    expect(toPageRefs(back)[0]).toEqual({ file: 0, page: 0 });
    expect('corners' in back[0]!).toBe(false);
  });
});

describe('« Reprendre la photo »', () => {
  it('keeps the files the other pages use, in order, renumbered, and puts the new pages in place of the old one', () => {
    // Three files; the page of file 1 is taken again; file 2 has two pages.
    const pages: ArrangedPage[] = [
      { file: 2, page: 1, rotate: 0 },
      { file: 1, page: 0, rotate: 0, corners },
      { file: 0, page: 0, rotate: 180, bw: true },
      { file: 2, page: 0, rotate: 0 },
    ];
    const { keep, renumber } = filesKept(pages, 1);
    expect(keep).toEqual([0, 2]);
    // The new file comes after those kept: number 2.
    const next = replacePage(pages, 1, renumber, [{ file: 2, page: 0 }]);
    expect(next).toEqual([
      { file: 1, page: 1, rotate: 0 },
      { file: 2, page: 0, rotate: 0 },
      { file: 0, page: 0, rotate: 180, bw: true },
      { file: 1, page: 0, rotate: 0 },
    ]);
  });

  it('keeps a file still used by another of its pages', () => {
    const pages: ArrangedPage[] = [
      { file: 0, page: 0, rotate: 0 },
      { file: 0, page: 1, rotate: 0 },
    ];
    expect(filesKept(pages, 1).keep).toEqual([0]);
  });
});

describe('warnings and photos', () => {
  const photo: PagePreview = { file: 0, page: 0, width: 3, height: 4, thumbnail: new Uint8Array(), corners, checks: [blurred] };
  const pdfPage: PagePreview = { file: 1, page: 0, width: 3, height: 4, thumbnail: new Uint8Array() };

  it('tells a photo (the engine looked for a document, found or not) from a PDF page', () => {
    expect(isPhoto(photo)).toBe(true);
    expect(isPhoto({ ...photo, corners: null })).toBe(true);
    expect(isPhoto(pdfPage)).toBe(false);
  });

  it('takes the warnings of the document just prepared, else those of the inspection', () => {
    const page = { file: 0, page: 0, rotate: 0 as const };
    expect(checksOf(page, photo, undefined)).toEqual([blurred]);
    expect(checksOf(page, photo, [{ source: { file: 0, page: 0 }, corners: null, checks: [] }])).toEqual([]);
  });

  it('keeps the warnings about the photo itself when it is kept whole, not those about its corners', () => {
    const lost = { code: 'no_document_found' as const, message: 'Aucune feuille' };
    const whole = { file: 0, page: 0, rotate: 0 as const, corners: null };
    const report = [{ source: { file: 0, page: 0 }, corners: null, checks: [] }];
    expect(checksOf(whole, { ...photo, checks: [blurred, lost] }, report)).toEqual([blurred]);
  });
});
