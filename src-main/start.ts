/**
 * `npm start`: the desktop app. Where the Electron binary is missing (as on machines that
 * cannot download it), say so in one plain sentence and point to the browser host.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { demoAccountsText } from './compose/embedded-api';
import { projectPath } from './core/project-paths';

/**
 * Where the electron package put its binary. Not `require('electron')`: recent versions start
 * downloading a missing binary from there, and nothing may be downloaded behind the user's back.
 */
function electronBinary(): string | null {
  try {
    const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
    const binary = path.join(dist, relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  process.stderr.write(
    "L'application de bureau ne peut pas s'ouvrir : Electron n'est pas installé sur cet ordinateur ; lancez plutôt « npm run browser » et ouvrez dans votre navigateur l'adresse qu'il affiche.\n",
  );
  process.exit(1);
}

process.stdout.write(demoAccountsText());
const child = spawn(binary, [projectPath('dist', 'electron', 'main.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
