// The packages of the app's production dependency tree that carry native code, which Electron
// cannot load from inside the asar archive: electron-builder's `asarUnpack` must name each one.
// Native means: a `binding.gyp` (compiled at install), a `.node` file, or a prebuilt platform
// package (such as @img/sharp-linux-x64, which holds libvips and sharp's addon).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PLATFORM_PACKAGE = /^@img\/sharp-|-(linux|darwin|win32)-(x64|arm64|ia32|arm)(-|$)/;

function hasNodeFile(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() ? hasNodeFile(full) : entry.name.endsWith('.node')) return true;
  }
  return false;
}

/** Where Node would find `name` from `fromDir` (nested node_modules first, then upwards). */
function resolvePackage(name, fromDir, root) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === path.dirname(dir)) return null;
  }
}

/**
 * Native packages reached from the root package.json's `dependencies` (devDependencies never
 * ship). Answers paths relative to the root, such as `node_modules/better-sqlite3`.
 */
export function nativePackages(root) {
  const found = new Set();
  const seen = new Set();
  const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const queue = Object.keys(rootManifest.dependencies ?? {}).map((name) => ({ name, from: root }));
  while (queue.length > 0) {
    const { name, from } = queue.shift();
    const dir = resolvePackage(name, from, root);
    // An optional dependency for another platform is simply not installed here.
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const relative = path.relative(root, dir).split(path.sep).join('/');
    if (existsSync(path.join(dir, 'binding.gyp')) || PLATFORM_PACKAGE.test(name) || hasNodeFile(dir)) found.add(relative);
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) queue.push({ name: dep, from: dir });
  }
  return [...found].sort();
}
