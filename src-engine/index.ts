/**
 * The document engine (issue 4, design.md section 3): turns what a candidate has into
 * exactly what a piece accepts, locally, in a separate process with memory and time limits.
 */
export type {
  Engine,
  EngineInputFile,
  EngineOptions,
  NormalisedDocument,
  NormaliseRequest,
  PagePicture,
  PagePreview,
  PictureRequest,
  PageRef,
  ProgressListener,
} from './types';
export { createEngine, DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIMEOUT_MS } from './client';
export type { SpawnOptions, WorkerHandle } from './spawn';
