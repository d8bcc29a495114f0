/**
 * `npm start`: the desktop app. On the first start of a fresh clone the Electron binary is
 * missing (Electron downloads it lazily, and npm runs no install script it was not allowed
 * to): it is fetched once, with progress; offline, one plain sentence points to the browser host.
 */
import { spawn } from 'node:child_process';
import { demoAccountsText } from './compose/embedded-api';
import { projectPath } from './core/project-paths';
import { electronInstaller, locateElectronBinary } from './first-start/electron-installer';
import { ensureElectron } from './first-start/sequence';

const outcome = await ensureElectron({
  locate: locateElectronBinary,
  installer: electronInstaller,
  say: (line) => process.stderr.write(`${line}\n`),
  skipDownload: Boolean(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD),
});
if (!outcome.binary) process.exit(1);

process.stdout.write(demoAccountsText());
const child = spawn(outcome.binary, [projectPath('dist', 'electron', 'main.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
