// Runs a built entry point, building first only when a source is newer than dist/ (see
// build-if-stale.mjs). In this same process: a second Node start would cost more than the
// check. Usage: node scripts/run-built.mjs [--with-renderer] ENTRY [ARGS...], ENTRY as in
// node-entries.mjs (`normalise/cli`, `server/cli`, `browser-host/cli`, `start`).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';
import { NODE_ENTRIES } from './node-entries.mjs';

const args = process.argv.slice(2);
const withRenderer = args[0] === '--with-renderer';
if (withRenderer) args.shift();
const [entry, ...rest] = args;
if (!entry || !(entry in NODE_ENTRIES)) {
  process.stderr.write(`usage: node scripts/run-built.mjs [--with-renderer] ${Object.keys(NODE_ENTRIES).join('|')} [ARGS...]\n`);
  process.exit(1);
}
if (!buildIfStale(withRenderer)) process.exit(1);
const script = path.resolve(import.meta.dirname, '..', 'dist', `${entry}.js`);
// The entry reads its arguments from process.argv as if started directly.
process.argv = [process.argv[0], script, ...rest];
await import(pathToFileURL(script).href);
