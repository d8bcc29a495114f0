/** The packaging configuration keeps its security and native-module promises (design.md section 5). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { nativePackages } from '../../../../scripts/native-modules.mjs';
import { projectRoot } from '../../../support/paths';

interface Target {
  target: string;
}
const config = load(readFileSync(path.join(projectRoot, 'electron-builder.yml'), 'utf8')) as {
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  electronFuses: Record<string, boolean>;
  win: { target: Target[] };
  mac: { target: Target[] };
  linux: { target: Target[] };
};

const unpacked = (file: string) => config.asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true }));

describe('electron-builder.yml', () => {
  it('builds NSIS for Windows, dmg for macOS, AppImage and deb for Linux', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(config.linux.target.map((t) => t.target).sort()).toEqual(['AppImage', 'deb']);
  });

  it('packs the app in an asar, with sharp, its libvips and better-sqlite3 unpacked', () => {
    expect(config.asar).toBe(true);
    for (const file of [
      'node_modules/sharp/lib/sharp.js',
      'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
      'node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.17.3',
      'node_modules/@img/sharp-win32-x64/lib/libvips-42.dll',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    ])
      expect(unpacked(file), file).toBe(true);
    expect(unpacked('node_modules/fastify/fastify.js')).toBe(false);
    expect(unpacked('dist/electron/main.js')).toBe(false);
  });

  it('flips the fuses: no RunAsNode, no NODE_OPTIONS, no inspector, asar integrity, app only from the asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships what the app runs and nothing of the sources or tests', () => {
    const shipped = (file: string) =>
      config.files.some((p) => !p.startsWith('!') && minimatch(file, p)) &&
      !config.files.some((p) => p.startsWith('!') && minimatch(file, p.slice(1), { matchBase: true }));
    for (const file of ['dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/normalise/engine-worker.js', 'assets/demo-campaign.json'])
      expect(shipped(file), file).toBe(true);
    for (const file of ['src-main/core/assistant.ts', 'test/unit/src-main/core/upload-queue.test.ts', 'src-engine/core.ts', 'src-formats/index.ts', 'dist/server/cli.js', 'dist/electron/main.js.map'])
      expect(shipped(file), file).toBe(false);
  });
});

describe('native modules and asarUnpack', () => {
  it('unpacks every native package of the production dependency tree', () => {
    const natives = nativePackages(projectRoot);
    // The ones we know of must be seen, or the search itself is broken.
    expect(natives).toContain('node_modules/better-sqlite3');
    expect(natives.some((p) => p.startsWith('node_modules/@img/sharp-'))).toBe(true);
    const missing = natives.filter((dir) => !unpacked(`${dir}/package.json`));
    expect(missing, 'add these to asarUnpack in electron-builder.yml').toEqual([]);
  });

  it('finds binding.gyp, .node files and platform packages, through nested and optional dependencies, never dev ones', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'natives-'));
    try {
      const pkg = (dir: string, manifest: Record<string, unknown>, files: Record<string, string> = {}) => {
        mkdirSync(path.join(root, dir), { recursive: true });
        writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(manifest));
        for (const [name, text] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(root, dir, name)), { recursive: true });
          writeFileSync(path.join(root, dir, name), text);
        }
      };
      pkg('.', { dependencies: { gyp: '1', plain: '1' }, devDependencies: { devnative: '1' } });
      pkg('node_modules/gyp', {}, { 'binding.gyp': '{}' });
      pkg('node_modules/plain', { dependencies: { inner: '1' }, optionalDependencies: { '@img/sharp-win32-x64': '1', 'absent-elsewhere': '1' } });
      pkg('node_modules/plain/node_modules/inner', {}, { 'build/Release/addon.node': 'x' });
      pkg('node_modules/@img/sharp-win32-x64', {});
      pkg('node_modules/devnative', {}, { 'binding.gyp': '{}' });
      expect(nativePackages(root)).toEqual([
        'node_modules/@img/sharp-win32-x64',
        'node_modules/gyp',
        'node_modules/plain/node_modules/inner',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
