/**
 * The installers electron-builder.yml asks for (design.md section 5). What the packed app holds,
 * what is left unpacked and the fuses are checked on electron-builder's own output, in
 * test/integration/src-main/electron/packaging.test.ts; the installers themselves are not built here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
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
