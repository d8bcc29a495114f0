/** Where the engine's built entry points are, and how the tests build them (as npm run build:node does). */
import path from 'node:path';
import { buildEngine as buildEngineEntries } from '../../scripts/engine-build.mjs';
import { projectRoot } from './paths';

export const workerScript = path.join(projectRoot, 'dist', 'normalise', 'engine-worker.js');
export const cliScript = path.join(projectRoot, 'dist', 'normalise', 'cli.js');

let built: Promise<void> | undefined;

/** Builds only the engine, so these tests also run before the rest of the app is built. */
export function buildEngine(): Promise<void> {
  built ??= buildEngineEntries(projectRoot);
  return built;
}
