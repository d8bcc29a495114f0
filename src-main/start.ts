/**
 * `npm start`: the desktop app. Where the Electron binary is missing (as on machines that
 * cannot download it), say so in one plain sentence and point to the browser host.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { demoAccountsText } from './core/embedded-api';
import { projectPath } from './core/project-paths';

function electronBinary(): string | null {
  try {
    // The electron package exports the path of its binary, and throws when it was never downloaded.
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
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
