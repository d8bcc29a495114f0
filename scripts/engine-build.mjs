// Builds the document engine's two entry points: the `normalise` command and the worker
// process. Unlike other entries, both bundle some of their dependencies: a process started
// for a request pays for every module file it loads (pdf-lib loads about three times faster
// from one file, sharp's JavaScript about three times faster). Native and WebAssembly parts
// stay in node_modules. Used by scripts/build.mjs, the engine tests and the engine benchmark.
import { build } from 'esbuild';
import path from 'node:path';
import { NODE_ESM } from './node-bundle.mjs';

export const ENGINE_ENTRIES = {
  'normalise/cli': 'src-engine/cli.ts',
  'normalise/engine-worker': 'src-engine/worker.ts',
};

const STAY_EXTERNAL = ['sharp', 'heic-decode', 'libheif-js', '@hyzyla/pdfium', 'onnxruntime-node'];

export async function buildEngine(root = path.resolve(import.meta.dirname, '..')) {
  const common = { ...NODE_ESM, absWorkingDir: root, sourcemap: true, outdir: path.join(root, 'dist') };
  const entry = (name) => ({ [name]: `./${ENGINE_ENTRIES[name]}` });
  // The command bundles sharp's JavaScript too: loaded from node_modules as an ES import of a
  // CommonJS package it takes about 160 ms here, from the bundle about 45 ms, a tenth of a
  // photo's whole run. Its native part is still required from node_modules (@img/sharp-*).
  // Split at dynamic imports too: a command whose job goes to its resident engine never
  // compiles the engine (about 15 ms of its run).
  await build({
    ...common,
    external: [...STAY_EXTERNAL.filter((name) => name !== 'sharp'), 'pdf-lib', 'file-type', 'fast-bmp'],
    splitting: true,
    chunkNames: 'normalise/chunks/[name]-[hash]',
    entryPoints: entry('normalise/cli'),
  });
  // Split at dynamic imports: a request that needs no PDF library never parses pdf-lib.
  await build({
    ...common,
    external: STAY_EXTERNAL,
    splitting: true,
    // ES builds where packages have them (pdf-lib does): named exports, less code.
    mainFields: ['module', 'main'],
    chunkNames: 'normalise/chunks/[name]-[hash]',
    entryPoints: entry('normalise/engine-worker'),
  });
}
