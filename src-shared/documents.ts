/**
 * Documents as the assistant handles them before sending: pages to preview, page edits, and
 * the prepared file. Used by the document engine, the assistant API and the UI alike.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ScanCheckCode } from './errors';

/** A file as the person chose it: its name and its bytes. */
export const InputFileSchema = Type.Object({
  name: Type.String({ maxLength: 1000 }),
  bytes: Type.Uint8Array(),
});
export type InputFile = Static<typeof InputFileSchema>;

const PointSchema = Type.Tuple([Type.Number({ minimum: -1e6, maximum: 1e6 }), Type.Number({ minimum: -1e6, maximum: 1e6 })]);
/**
 * A document's four corners in a photo: top-left, top-right, bottom-right, bottom-left, in
 * pixels of the upright photo (api-contract.md section 5.1).
 */
export const CornersSchema = Type.Tuple([PointSchema, PointSchema, PointSchema, PointSchema]);
export type Corners = Static<typeof CornersSchema>;

/** One page of the chosen files, in output order; pages left out are removed. */
export const PageRefSchema = Type.Object({
  file: Type.Integer({ minimum: 0, maximum: 49 }),
  page: Type.Integer({ minimum: 0, maximum: 9999 }),
  rotate: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(90), Type.Literal(180), Type.Literal(270)])),
  /**
   * For a photo: the corners chosen by the person ("Recadrer" with the handles), or null to
   * keep the whole photo ("Garder la photo entière"); absent, the engine finds them itself.
   */
  corners: Type.Optional(Type.Union([CornersSchema, Type.Null()])),
  /** For a photo of a text page: sent in black and white, lighter and sharper. */
  bw: Type.Optional(Type.Boolean()),
});
export type PageRef = Static<typeof PageRefSchema>;

/** A page of the chosen files as the preview shows it. */
export interface PagePreview {
  file: number;
  page: number;
  width: number;
  height: number;
  /** A small JPEG. */
  thumbnail: Uint8Array;
  /** The document found in a photo (null: none looked for or found); see PageReport. */
  corners?: Corners | null;
  checks?: PageCheck[];
}

/** A quality warning on a page, with the plain-French fix (codes: SCAN_CHECKS in errors.ts). */
export interface PageCheck {
  code: ScanCheckCode;
  message: string;
}

/** What the engine did with one output page (api-contract.md section 5.1). */
export interface PageReport {
  source: { file: number; page: number };
  corners: Corners | null;
  checks: PageCheck[];
}

/** A photo page flattened and cropped, as it will be sent (before the person's turn): a small JPEG and its size. */
export interface FlattenedPreview {
  thumbnail: Uint8Array;
  width: number;
  height: number;
  /** The document has an ID card's shape (its colours are kept: black and white is not offered). */
  card: boolean;
}

/** One page of a prepared document: what the engine found and did, and, for a photo it flattened, the page as sent. */
export interface PreparedPage extends PageReport {
  flattened?: FlattenedPreview;
}

/** A page of a photo larger than its thumbnail, for placing the document's corners by hand: a JPEG of the upright photo and its size. */
export interface PagePicture {
  picture: Uint8Array;
  width: number;
  height: number;
}

/** Files chosen by the person, kept on this computer under `sourceId` while they arrange the pages. */
export interface InspectedFiles {
  sourceId: string;
  pages: PagePreview[];
}

/** A document prepared locally, ready to send, as the preview shows it. */
export interface PreparedDocument {
  id: string;
  pieceId: string;
  filename: string;
  mediaType: 'application/pdf' | 'image/jpeg';
  bytes: number;
  pages: number;
  /** What the engine did, in plain French ("Photo remise à l'endroit et convertie en JPEG."). */
  summary: string;
  /**
   * Per output page, in order: the corners used, the quality warnings, and a flattened photo's
   * thumbnail as it will be sent. Given with the answer of prepareDocument; not kept on disk.
   */
  report?: PreparedPage[];
}
