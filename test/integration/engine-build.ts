/**
 * Builds the engine's two entry points (CLI and worker) exactly as scripts/build.mjs does,
 * so these tests run from a plain `vitest` too, before the rest of the app is built.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');
export const workerScript = path.join(projectRoot, 'dist', 'normalise', 'engine-worker.js');
export const cliScript = path.join(projectRoot, 'dist', 'normalise', 'cli.js');

let built: Promise<void> | undefined;

export function buildEngine(): Promise<void> {
  built ??= build({
    absWorkingDir: projectRoot,
    entryPoints: { 'normalise/cli': './src-main/core/engine/cli.ts', 'normalise/engine-worker': './src-main/core/engine/worker.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  }).then(() => {
    if (!existsSync(workerScript)) throw new Error('engine worker was not built');
  });
  return built;
}
