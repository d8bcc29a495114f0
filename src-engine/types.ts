/** The engine's public shapes (re-exported by index.ts); shared by the caller and the worker. */
import type { Logger } from '../src-shared/log';
import type { SpawnOptions, WorkerHandle } from './spawn';
export interface EngineInputFile {
  name: string;
  bytes: Uint8Array;
}

import type { Corners, PageCheck, PagePicture, PagePreview, PageRef, PageReport, PreparedPage } from '../src-shared/documents';

export type { Corners, PageCheck, PagePicture, PagePreview, PageRef, PageReport, PreparedPage };

/** Corners chosen by hand for one page (null: keep the whole photo). */
export interface PageCorners {
  file: number;
  page: number;
  corners: Corners | null;
}

export interface NormaliseRequest {
  files: EngineInputFile[];
  /** auto: one single-page image becomes a JPEG, everything else a PDF. */
  to?: 'pdf' | 'jpeg' | 'auto';
  /** The piece's size budget. */
  maxBytes: number;
  /** Rotate / reorder / remove pages before building (and corners per page, see PageRef). */
  pages?: PageRef[];
  /** auto (default): photos of documents are cropped and flattened; off: left as they are. */
  scan?: 'auto' | 'off';
  /** Corners chosen by hand (the command's --corners); a page's own `corners` wins. */
  corners?: PageCorners[];
  /** Every photo sent in black and white (the command's --bw); a page's own `bw` wins. */
  bw?: boolean;
  /** Also answer, in `report`, each flattened photo page's thumbnail as it will be sent (for the preview). */
  thumbnails?: boolean;
}

/** One page of one file, drawn larger than a thumbnail (the corner editor's picture). */
export interface PictureRequest {
  file: EngineInputFile;
  page: number;
  /** The picture's long side at most (never enlarged). */
  longSide: number;
}

export interface NormalisedDocument {
  bytes: Uint8Array;
  mediaType: 'application/pdf' | 'image/jpeg';
  pages: number;
  /** Plain French: what was done. */
  summary: string;
  /** Suggested name with the right extension. */
  filename: string;
  /**
   * One entry per output page: where it came from, the document's corners, quality warnings
   * (and, when asked with `thumbnails`, a flattened page's thumbnail).
   */
  report: PreparedPage[];
}

export type ProgressListener = (done: number, total: number) => void;

export interface Engine {
  inspect(files: EngineInputFile[], onProgress?: ProgressListener): Promise<PagePreview[]>;
  normalise(request: NormaliseRequest, onProgress?: ProgressListener): Promise<NormalisedDocument>;
  /** A photo's page, upright, larger than its thumbnail; a PDF is refused (`validation_failed`). */
  picture(request: PictureRequest): Promise<PagePicture>;
  close(): Promise<void>;
}

export interface EngineOptions {
  memoryLimitMb?: number;
  timeoutMs?: number;
  /** The bundled worker script (default: found beside the built engine). */
  workerScript?: string;
  /**
   * 'process' (default): the work runs in a separate process. 'thread': in a thread of this
   * process, for a caller that is itself a throw-away process (the `normalise` command).
   */
  isolation?: 'process' | 'thread';
  /**
   * With a thread, hand the input files' memory over instead of copying it: the caller's
   * Uint8Arrays become empty. For callers that do not need their bytes again.
   */
  transferInputs?: boolean;
  /** Starts the worker process (default: child_process.fork; the Electron shell gives utilityProcess). */
  spawn?: (options: SpawnOptions) => WorkerHandle;
  /** Where the engine's failures go (the worker's own reports included): the help desk's log. */
  log?: Logger;
}
