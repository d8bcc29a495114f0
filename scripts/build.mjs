// Builds every Node entry point with esbuild (dependencies stay in node_modules), and the
// preload as one CommonJS file, since a sandboxed preload can only require('electron').
// The renderer is built by Vite (`npm run build:renderer`). Type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { buildEngine, ENGINE_ENTRIES } from './engine-build.mjs';
import { NODE_ENTRIES, PRELOAD_ENTRY } from './node-entries.mjs';
import { NODE_ESM_EXTERNAL_PACKAGES } from './node-bundle.mjs';

const node = { ...NODE_ESM_EXTERNAL_PACKAGES, sourcemap: true };

// The engine's entries are built by buildEngine (its worker bundles its dependencies).
const sharedEntries = Object.fromEntries(Object.entries(NODE_ENTRIES).filter(([name]) => !(name in ENGINE_ENTRIES)));
await build({ ...node, entryPoints: sharedEntries, outdir: 'dist', outExtension: { '.js': '.js' } });
await buildEngine();
await build({
  entryPoints: PRELOAD_ENTRY,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['electron'],
  outExtension: { '.js': '.cjs' },
  logLevel: 'warning',
});
