// Electronegativity scan of the desktop shell and the UI, failing on any finding of medium
// severity or above (its command line always exits 0). Run: `node scripts/electronegativity.mjs`.
//
// What is scanned: a staged copy of src-main/electron, src-main/core (minus the engine, which
// never touches Electron), src-renderer and src-ui (the pieces it shares with the back office),
// with package.json (for the Electron version), plus one HTML page carrying, as a meta tag, the
// Content-Security-Policy that the shell sends as a header on every app:// answer: the scanner
// cannot see a header built at run time, and this way it still evaluates our real policy.
//
// The tool itself tries two downloads (translations, Electron release notes); offline both
// fail quickly and the scan goes on. The release-notes check is left out: it needs the network
// and a version check belongs to dependency updates, not to this scan.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const run = require('@doyensec/electronegativity');
const SEVERITY_ORDER = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];
const FAIL_FROM = SEVERITY_ORDER.indexOf('MEDIUM');

async function contentSecurityPolicy() {
  // Evaluated from the one source of truth, not copied.
  const out = await build({
    entryPoints: [path.join(root, 'src-shared', 'content-security-policy.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
  });
  const url = 'data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64');
  return (await import(url)).CONTENT_SECURITY_POLICY;
}

const stage = await mkdtemp(path.join(os.tmpdir(), 'electronegativity-'));
try {
  const pkg = require('./package.json');
  await writeFile(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2));
  await cp(path.join(root, 'src-main', 'electron'), path.join(stage, 'electron'), { recursive: true });
  await cp(path.join(root, 'src-main', 'core'), path.join(stage, 'core'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}engine`),
  });
  await cp(path.join(root, 'src-renderer'), path.join(stage, 'renderer'), { recursive: true });
  await cp(path.join(root, 'src-ui'), path.join(stage, 'ui'), { recursive: true });
  const csp = await contentSecurityPolicy();
  await writeFile(
    path.join(stage, 'renderer', 'served-headers.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${csp.replaceAll('"', '&quot;')}"></head><body></body></html>\n`,
  );
  const electronVersion = require('electron/package.json').version;
  const { issues, errors } = await run(
    {
      input: stage,
      isRelative: true,
      excludeFromScan: ['availablesecurityfixesglobalcheck'],
      electronVersionOverride: electronVersion,
    },
    false,
  );
  const severityOf = (issue) => SEVERITY_ORDER.indexOf(String(issue.severity.name ?? '').toUpperCase());
  const failing = issues.filter((issue) => severityOf(issue) >= FAIL_FROM);
  for (const issue of issues)
    console.log(
      `${severityOf(issue) >= FAIL_FROM ? 'FAIL' : 'note'} ${issue.id} ${issue.severity.name}/${issue.confidence.name} ${issue.file}:${issue.location.line} ${issue.description}`,
    );
  if (errors.length) console.log(`${errors.length} file(s) could not be parsed:`, errors.map((e) => e.file).join(', '));
  console.log(
    failing.length === 0 && errors.length === 0
      ? `Electronegativity (Electron ${electronVersion}): no finding of medium severity or above.`
      : `Electronegativity: ${failing.length} finding(s) of medium severity or above, ${errors.length} parse error(s).`,
  );
  process.exitCode = failing.length === 0 && errors.length === 0 ? 0 : 1;
} finally {
  await rm(stage, { recursive: true, force: true });
}
