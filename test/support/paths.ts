/** Where the project and the shared corpus are, for every test, helper and test build. */
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');
/** ../shared/corpus beside the project (CI clones the project next to shared/ too). */
export const corpusDir = path.resolve(projectRoot, '..', 'shared', 'corpus');
