/** Where the project and the shared corpus are, for every test, helper and test build. */
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');
/**
 * ../shared/corpus beside the project (CI clones the project next to shared/ too), or
 * CORPUS_DIR when the checkout sits elsewhere (a second worktree).
 */
export const corpusDir = process.env.CORPUS_DIR ?? path.resolve(projectRoot, '..', 'shared', 'corpus');
