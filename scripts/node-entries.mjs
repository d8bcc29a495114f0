// Every Node entry point of the app and where its bundle lands in dist/ (`<name>.js`), for the
// build and for scripts/build-if-stale.mjs, which checks those bundles against the sources.
import { ENGINE_ENTRIES } from './engine-build.mjs';

export const NODE_ENTRIES = {
  'server/cli': 'src-server/cli.ts',
  'server/pdf-worker': 'src-server/pdf-worker.ts',
  'browser-host/cli': 'src-main/browser-host/cli.ts',
  'electron/main': 'src-main/electron/main.ts',
  start: 'src-main/start.ts',
  ...ENGINE_ENTRIES,
};

/** The preload, bundled apart as one CommonJS file (`dist/electron/preload.cjs`). */
export const PRELOAD_ENTRY = { 'electron/preload': 'src-main/electron/preload.ts' };
