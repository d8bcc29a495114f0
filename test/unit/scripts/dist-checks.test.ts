import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  electronArchiveUrl,
  electronCached,
  signingReport,
  targetPlatforms,
} from '../../../scripts/dist-checks.mjs';

describe('npm run dist: before the build', () => {
  it('builds for the platforms named, else for this one', () => {
    expect(targetPlatforms([], 'linux')).toEqual(['linux']);
    expect(targetPlatforms(['--win', '--mac'], 'linux')).toEqual(['win32', 'darwin']);
  });

  it('says plainly when Windows has no signing identity, and which one it uses otherwise', () => {
    const [missing] = signingReport(['win32'], {});
    expect(missing).toMatchObject({ ok: false });
    expect(missing!.text).toMatch(/AUCUNE identité de signature.*CSC_LINK/);
    expect(signingReport(['win32'], { CSC_LINK: 'cert.p12', CSC_KEY_PASSWORD: 'x' })[0]).toMatchObject({ ok: true });
    expect(signingReport(['win32'], { WIN_CSC_LINK: 'cert.p12' })[0]).toMatchObject({ ok: true });
  });

  it('on macOS, tells apart no identity, no notarization, and both', () => {
    expect(signingReport(['darwin'], {})[0]!.text).toMatch(/AUCUNE identité/);
    expect(signingReport(['darwin'], { CSC_NAME: 'Developer ID Application: CDG' })[0]!.text).toMatch(/PAS notarisée/);
    const notarized = { CSC_NAME: 'Developer ID', APPLE_ID: 'a@b.fr', APPLE_APP_SPECIFIC_PASSWORD: 'p', APPLE_TEAM_ID: 'T' };
    expect(signingReport(['darwin'], notarized)[0]).toMatchObject({ ok: true });
    expect(signingReport(['darwin'], { ...notarized, CSC_IDENTITY_AUTO_DISCOVERY: 'false' })[0]).toMatchObject({ ok: false });
  });

  it('asks for the Electron archive where @electron/get would, mirror included', () => {
    expect(electronArchiveUrl({}, '45.5.0', 'win32', 'x64')).toBe(
      'https://github.com/electron/electron/releases/download/v45.5.0/electron-v45.5.0-win32-x64.zip',
    );
    expect(electronArchiveUrl({ ELECTRON_MIRROR: 'https://npmmirror.com/mirrors/electron' }, '45.5.0', 'linux', 'x64')).toBe(
      'https://npmmirror.com/mirrors/electron/v45.5.0/electron-v45.5.0-linux-x64.zip',
    );
  });

  it('finds an archive already in the cache (then nothing is downloaded)', () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'electron-cache-'));
    try {
      expect(electronCached(cache, '45.5.0', 'linux')).toBe(false);
      mkdirSync(path.join(cache, 'abc123'));
      writeFileSync(path.join(cache, 'abc123', 'electron-v45.5.0-linux-x64.zip'), 'zip');
      expect(electronCached(cache, '45.5.0', 'linux')).toBe(true);
      expect(electronCached(cache, '45.5.0', 'win32')).toBe(false);
      expect(electronCached(cache, '44.0.0', 'linux')).toBe(false);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
