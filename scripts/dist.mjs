// `npm run dist [-- --win|--mac|--linux] [--require-signing]`: the installers of
// electron-builder.yml (NSIS on Windows, dmg on macOS, AppImage and deb on Linux; each is
// built on its own system, or a CI runner of it). Before the long build it says which signing
// identity each platform will use (electron-builder's own environment variables) and stops at
// once, with one clear sentence, when Electron cannot be downloaded. Messages in French, like
// the rest of the project's commands.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronArchiveUrl, electronCacheDir, electronCached, signingReport, targetPlatforms } from './dist-checks.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const given = process.argv.slice(2);
const requireSigning = given.includes('--require-signing');
const builderArgs = given.filter((a) => a !== '--require-signing');
const platforms = targetPlatforms(builderArgs);
const say = (line) => process.stderr.write(`${line}\n`);

const signing = signingReport(platforms, process.env);
for (const line of signing) say(`${line.ok ? '✓' : '⚠'} ${line.text}`);
if (requireSigning && signing.some((line) => !line.ok)) {
  say('Arrêt : --require-signing demande des installateurs signés (voir ci-dessus).');
  process.exit(1);
}

const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const cache = electronCacheDir(process.env);
for (const platform of platforms) {
  if (electronCached(cache, electronVersion, platform)) continue;
  const url = electronArchiveUrl(process.env, electronVersion, platform, 'x64');
  const reachable = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(10_000) })
    .then((response) => (response.ok ? null : `réponse ${response.status}`))
    .catch((error) => error?.cause?.code ?? error?.name ?? 'erreur');
  if (reachable) {
    say(
      `Arrêt : Electron ${electronVersion} pour ${platform} ne peut pas être téléchargé (${url} : ${reachable}) ; donnez un miroir joignable (ELECTRON_MIRROR) ou placez l'archive dans le cache (${cache}), puis relancez.`,
    );
    process.exit(1);
  }
}

const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (run('npm', ['run', '-s', 'build']).status !== 0) process.exit(1);
const builder = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');
const built = run(builder, ['--config', 'electron-builder.yml', '--publish', 'never', ...builderArgs]);
if (built.status !== 0) {
  say("Arrêt : electron-builder a échoué (son message est au-dessus).");
  process.exit(built.status ?? 1);
}

const out = path.join(root, 'out');
say('Fichiers produits dans out/ :');
for (const name of readdirSync(out).sort()) {
  const file = path.join(out, name);
  if (statSync(file).isFile()) say(`  ${name} (${Math.round(statSync(file).size / 1024 / 1024)} Mo)`);
}
say(
  'Pour publier une mise à jour : copiez les latest*.yml, les installateurs et leurs .blockmap dans le dossier que sert « npm run server -- --updates DOSSIER » (les latest*.yml en dernier).',
);
