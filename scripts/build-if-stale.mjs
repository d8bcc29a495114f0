// Builds only what is older than its sources, so `npm run normalise`, `server`, `browser` and
// `start` pay for the build once, not on every call (a help desk's batch of `normalise` runs
// pays only for the work). Used by scripts/run-built.mjs. A target is stale when one of its
// outputs is missing or older than its newest source (a file, or a folder whose entries changed).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { NODE_ENTRIES, PRELOAD_ENTRY } from './node-entries.mjs';

const root = path.resolve(import.meta.dirname, '..');
const COMMON = ['src-shared', 'package.json', 'package-lock.json', 'tsconfig.json'];

const TARGETS = {
  node: {
    sources: [...COMMON, 'src-formats', 'src-engine', 'src-server', 'src-main', 'assets', 'scripts/build.mjs', 'scripts/engine-build.mjs', 'scripts/node-bundle.mjs', 'scripts/node-entries.mjs'],
    outputs: [...Object.keys(NODE_ENTRIES).map((name) => `dist/${name}.js`), ...Object.keys(PRELOAD_ENTRY).map((name) => `dist/${name}.cjs`)],
    build: 'build:node',
  },
  renderer: {
    sources: [...COMMON, 'src-renderer', 'src-ui', 'vite.config.ts'],
    outputs: ['dist/renderer/index.html'],
    build: 'build:renderer',
  },
};

/** The newest modification time under `relative` (a file or a folder), 0 when absent. */
function newest(relative) {
  let stat;
  try {
    stat = statSync(path.join(root, relative));
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a deleted or renamed file changes its folder
  for (const entry of readdirSync(path.join(root, relative))) latest = Math.max(latest, newest(path.join(relative, entry)));
  return latest;
}

/** The oldest output, or 0 (stale) when one is missing. */
function oldestOutput(outputs) {
  let oldest = Infinity;
  for (const output of outputs) {
    try {
      oldest = Math.min(oldest, statSync(path.join(root, output)).mtimeMs);
    } catch {
      return 0;
    }
  }
  return oldest;
}

/** Builds the Node entries (and the renderer with `withRenderer`) when stale; false on failure. */
export function buildIfStale(withRenderer) {
  for (const name of withRenderer ? ['node', 'renderer'] : ['node']) {
    const target = TARGETS[name];
    const sourcesAt = Math.max(...target.sources.map(newest));
    if (oldestOutput(target.outputs) > sourcesAt) continue;
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['run', '-s', target.build], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status !== 0) return false;
  }
  return true;
}
