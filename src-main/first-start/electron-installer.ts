/**
 * The real Electron installer for the first start. The download goes through `@electron/get`,
 * as Electron's own install script does (same version, checksums, cache, and ELECTRON_MIRROR /
 * ELECTRON_CUSTOM_DIR / electron_config_cache), because it reports progress and takes an
 * AbortSignal; then Electron's own `install.js` runs, finds the archive in that cache, unpacks
 * it and writes `path.txt`, so that where the binary lands stays Electron's business.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ElectronInstaller } from './sequence';

function electronPackageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
}

/**
 * Where the electron package put its binary, or null. Not `require('electron')`: recent
 * versions start downloading a missing binary from there, without progress or timeout.
 */
export function locateElectronBinary(): string | null {
  try {
    const packageDir = electronPackageDir();
    const relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
    const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
    const binary = path.join(dist, relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Runs Electron's install.js; its own output is kept for the failure's one-line reason. */
function runNode(script: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) return resolve();
      // Electron's installer loads an ES module with require(), which Node has allowed since 20.19.
      const reason = /ERR_REQUIRE_ESM/.test(errors)
        ? `Node ${process.versions.node} est trop ancien pour l'installateur d'Electron, il faut Node 20.19 ou plus récent`
        : (errors.split('\n').find((line) => /error/i.test(line))?.trim() ?? `code de sortie ${code}`);
      reject(new Error(reason));
    });
  });
}

export const electronInstaller: ElectronInstaller = {
  async install({ onProgress, signal }) {
    const dir = electronPackageDir();
    const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
    const useRemoteChecksums = process.env.electron_use_remote_checksums || process.env.npm_config_electron_use_remote_checksums;
    const checksums = useRemoteChecksums
      ? undefined
      : (JSON.parse(readFileSync(path.join(dir, 'checksums.json'), 'utf8')) as Record<string, string>);
    const { downloadArtifact } = await import('@electron/get');
    await downloadArtifact({
      version,
      artifactName: 'electron',
      platform: process.env.ELECTRON_INSTALL_PLATFORM ?? process.env.npm_config_platform ?? process.platform,
      arch: process.env.ELECTRON_INSTALL_ARCH ?? process.env.npm_config_arch ?? process.arch,
      cacheRoot: process.env.electron_config_cache,
      checksums,
      downloadOptions: {
        quiet: true,
        signal,
        getProgressCallback: async ({ transferred, total }: { transferred: number; total: number | null }) =>
          onProgress({ transferred, total }),
      },
    });
    await runNode(path.join(dir, 'install.js'), signal);
  },
};
