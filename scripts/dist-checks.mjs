// What `npm run dist` checks before it hands over to electron-builder, kept apart from the
// script so that tests can read it: which signing identity each platform would use (from the
// environment variables electron-builder itself reads), and whether Electron can be downloaded.
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The platform electron-builder builds for from `args` (`--win`, `--mac`, `--linux`), or this one. */
export function targetPlatforms(args, hostPlatform = process.platform) {
  const named = [];
  if (args.some((a) => a === '--win' || a === '-w' || a === '--windows')) named.push('win32');
  if (args.some((a) => a === '--mac' || a === '-m' || a === '--macos')) named.push('darwin');
  if (args.some((a) => a === '--linux' || a === '-l')) named.push('linux');
  return named.length > 0 ? named : [hostPlatform];
}

/**
 * Per platform, how the installers will be signed, in a sentence for the maintainer, and
 * whether that is a warning (an unsigned installer). electron-builder's variables:
 * CSC_LINK/CSC_KEY_PASSWORD (or WIN_CSC_* for Windows), CSC_NAME or a keychain identity on
 * macOS, with APPLE_ID/APPLE_APP_SPECIFIC_PASSWORD/APPLE_TEAM_ID or APPLE_API_KEY* for
 * notarization; CSC_IDENTITY_AUTO_DISCOVERY=false turns signing off.
 */
export function signingReport(platforms, env) {
  const report = [];
  for (const platform of platforms) {
    if (platform === 'win32') {
      const link = env.WIN_CSC_LINK || env.CSC_LINK;
      const azure = env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID;
      if (link || azure)
        report.push({ platform, ok: true, text: `Windows : installateur signé (${link ? 'certificat de CSC_LINK/WIN_CSC_LINK' : 'Azure Trusted Signing'}).` });
      else
        report.push({
          platform,
          ok: false,
          text: "Windows : AUCUNE identité de signature (CSC_LINK et CSC_KEY_PASSWORD, ou WIN_CSC_LINK) : l'installateur NSIS ne sera pas signé, SmartScreen avertira les candidats, et la signature des mises à jour ne pourra pas être vérifiée.",
        });
    } else if (platform === 'darwin') {
      const off = env.CSC_IDENTITY_AUTO_DISCOVERY === 'false';
      const identity = !off && (env.CSC_LINK || env.CSC_NAME);
      const notarize = (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) || (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER);
      if (identity && notarize) report.push({ platform, ok: true, text: 'macOS : application signée et notarisée.' });
      else
        report.push({
          platform,
          ok: false,
          text: identity
            ? 'macOS : application signée mais PAS notarisée (APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD et APPLE_TEAM_ID, ou APPLE_API_KEY*, manquent) : Gatekeeper la bloquera.'
            : "macOS : AUCUNE identité de signature donnée (CSC_LINK ou CSC_NAME ; une identité du trousseau sera cherchée) : sans signature, Gatekeeper bloque l'application et les mises à jour automatiques ne s'installent pas.",
        });
    } else {
      report.push({ platform, ok: true, text: 'Linux : AppImage et deb ne se signent pas ; les mises à jour sont vérifiées par leur empreinte sha512.' });
    }
  }
  return report;
}

/** Where @electron/get keeps downloaded archives (electron_config_cache, else its default). */
export function electronCacheDir(env, platform = process.platform) {
  if (env.electron_config_cache) return env.electron_config_cache;
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'electron');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'electron');
}

/** Whether an Electron archive of `version` for `platform` is already in the cache (any arch). */
export function electronCached(cacheDir, version, platform) {
  const name = `electron-v${version}-${platform}-`;
  const walk = (dir, depth) => {
    if (depth > 2 || !existsSync(dir)) return false;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.startsWith(name) && entry.name.endsWith('.zip')) return true;
      if (entry.isDirectory() && walk(path.join(dir, entry.name), depth + 1)) return true;
    }
    return false;
  };
  return walk(cacheDir, 0);
}

/** The address of the Electron archive, as @electron/get builds it (ELECTRON_MIRROR honoured). */
export function electronArchiveUrl(env, version, platform, arch) {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || 'https://github.com/electron/electron/releases/download/';
  const dir = env.ELECTRON_CUSTOM_DIR ? env.ELECTRON_CUSTOM_DIR.replace('{{ version }}', version) : `v${version}`;
  const base = mirror.endsWith('/') ? mirror : `${mirror}/`;
  return `${base}${dir}/electron-v${version}-${platform}-${arch}.zip`;
}
