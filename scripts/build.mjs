// Builds every Node entry point with esbuild (dependencies stay in node_modules), and the
// preload as one CommonJS file, since a sandboxed preload can only require('electron').
// The renderer is built by Vite (`npm run build:renderer`). Type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { buildEngine, ENGINE_ENTRIES } from './engine-build.mjs';
import { NODE_ESM_EXTERNAL_PACKAGES } from './node-bundle.mjs';

const node = { ...NODE_ESM_EXTERNAL_PACKAGES, sourcemap: true };

export const NODE_ENTRIES = {
  'server/cli': 'src-server/cli.ts',
  'server/pdf-worker': 'src-server/pdf-worker.ts',
  'browser-host/cli': 'src-main/browser-host/cli.ts',
  'electron/main': 'src-main/electron/main.ts',
  start: 'src-main/start.ts',
  ...ENGINE_ENTRIES,
};


// The engine's entries are built by buildEngine (its worker bundles its dependencies).
const sharedEntries = Object.fromEntries(Object.entries(NODE_ENTRIES).filter(([name]) => !(name in ENGINE_ENTRIES)));
await build({ ...node, entryPoints: sharedEntries, outdir: 'dist', outExtension: { '.js': '.js' } });
await buildEngine();
await build({
  entryPoints: { 'electron/preload': 'src-main/electron/preload.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['electron'],
  outExtension: { '.js': '.cjs' },
  logLevel: 'warning',
});
