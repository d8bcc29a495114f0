/**
 * The installers electron-builder.yml asks for (design.md section 5). What the packed app holds,
 * what is left unpacked and the fuses are checked on electron-builder's own output, in
 * test/integration/src-main/electron/packaging.test.ts; the installers themselves are not built here.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { nativePackages } from '../../../../scripts/native-modules.mjs';
import { projectRoot } from '../../../support/paths';

interface Target {
  target: string;
}
const config = load(readFileSync(path.join(projectRoot, 'electron-builder.yml'), 'utf8')) as {
  win: { target: Target[] };
  mac: { target: Target[] };
  linux: { target: Target[] };
};

describe('electron-builder.yml', () => {
  it('builds NSIS for Windows, dmg for macOS, AppImage and deb for Linux', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(config.linux.target.map((t) => t.target).sort()).toEqual(['AppImage', 'deb']);
  });
});

// Whether each is unpacked is checked on electron-builder's own output (see the header).
describe('native packages of the production dependency tree', () => {
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
