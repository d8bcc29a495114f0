/**
 * electron-builder itself, run as `--dir` (no installer) on this machine, decides what ships:
 * its own file matching, asar packing, unpacking and fuse flipping, not a re-implementation of
 * them. The Electron binary cannot be downloaded here, so a stand-in takes its place: a small
 * file carrying Electron's fuse wire, which electron-builder flips as it would the real one.
 *
 * What this cannot prove: that the real Electron starts the packaged app; the rebuild of
 * native modules for Electron's ABI (npmRebuild needs Electron's headers: turned off here);
 * the NSIS, dmg, AppImage and deb installers; and the Windows and macOS builds, whose native
 * packages (@img/sharp-win32-x64…) are not installed on Linux.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativePackages } from '../../../../scripts/native-modules.mjs';
import { projectRoot } from '../../../support/paths';

const run = promisify(execFile);
/** The marker @electron/fuses looks for in an Electron binary, followed by the wire. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** A fuse's state is the byte '1' or '0' (@electron/fuses does not export its FuseState). */
const FuseState = { ENABLE: 0x31, DISABLE: 0x30 } as const;
const ON = String.fromCharCode(FuseState.ENABLE);
const OFF = String.fromCharCode(FuseState.DISABLE);

/** Each fuse starts the opposite of what electron-builder.yml asks, so every flip shows. */
const STAND_IN_WIRE: Record<FuseV1Options, string> = {
  [FuseV1Options.RunAsNode]: ON,
  [FuseV1Options.EnableCookieEncryption]: OFF,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: ON,
  [FuseV1Options.EnableNodeCliInspectArguments]: ON,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: OFF,
  [FuseV1Options.OnlyLoadAppFromAsar]: OFF,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: ON,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: ON,
};

let work: string;
let appDir: string;
/** Every path in app.asar ('/dist/electron/main.js'), and whether it was left unpacked. */
const archive = new Map<string, 'pack' | 'unpack'>();

beforeAll(async () => {
  if (!existsSync(path.join(projectRoot, 'dist', 'electron', 'main.js'))) throw new Error('run `npm run build` first');
  work = await mkdtemp(path.join(tmpdir(), 'packaging-'));
  const electronDist = path.join(work, 'electron-stand-in');
  await mkdir(electronDist);
  const wire = Object.values(STAND_IN_WIRE).join('');
  await writeFile(path.join(electronDist, 'electron'), `#!/bin/sh\n# ${FUSE_SENTINEL}\x01${String.fromCharCode(wire.length)}${wire}\n`, 'latin1');
  await chmod(path.join(electronDist, 'electron'), 0o755);
  const builder = path.join(projectRoot, 'node_modules', 'electron-builder', 'cli.js');
  await run(
    process.execPath,
    [builder, '--linux', 'dir', '--x64', '--publish', 'never', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${path.join(work, 'out')}`],
    { cwd: projectRoot, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, maxBuffer: 16 * 1024 * 1024 },
  );
  appDir = path.join(work, 'out', 'linux-unpacked');
  for (const line of listPackage(path.join(appDir, 'resources', 'app.asar'), { isPack: true })) {
    const match = /^(pack|unpack)\s*: (.*)$/.exec(line);
    if (match) archive.set(match[2]!, match[1] as 'pack' | 'unpack');
  }
}, 300_000);
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the app electron-builder packs (--dir, Linux x64)', () => {
  it('holds the built app and its runtime assets', () => {
    for (const file of ['/package.json', '/dist/electron/main.js', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/dist/normalise/engine-worker.js', '/assets/demo-campaign.json'])
      expect(archive.get(file), file).toBe('pack');
  });

  it('holds nothing of the sources, the tests, the server build, source maps or dev tools', () => {
    const leaks = [...archive.keys()].filter(
      (file) =>
        /^\/(src-[^/]+|test|bench|scripts|\.ci)\//.test(file) ||
        file.startsWith('/dist/server/') ||
        file.endsWith('.map') ||
        /^\/node_modules\/(vitest|electron|electron-builder|typescript|eslint|playwright-core)\//.test(file),
    );
    expect(leaks).toEqual([]);
  });

  it('leaves all native code (sharp, its libvips, better-sqlite3, onnxruntime-node) unpacked beside the archive, and nothing else', () => {
    // Native code cannot be loaded from inside an asar.
    const native = [...archive].filter(([file]) => /\.(node|so(\.\d+)*|dll|dylib)$/.test(file));
    expect(native.filter(([, how]) => how !== 'unpack')).toEqual([]);
    for (const wanted of [
      /^\/node_modules\/@img\/sharp-linux-x64\/lib\/sharp-linux-x64[^/]*\.node$/,
      /^\/node_modules\/@img\/sharp-libvips-linux-x64\/lib\/libvips-cpp\.so/,
      /^\/node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node$/,
      /^\/node_modules\/onnxruntime-node\/bin\/napi-v6\/linux\/x64\/onnxruntime_binding\.node$/,
    ]) {
      const found = native.find(([file]) => wanted.test(file));
      expect(found, String(wanted)).toBeDefined();
      expect(existsSync(path.join(appDir, 'resources', 'app.asar.unpacked', found![0]))).toBe(true);
    }
    expect(archive.get('/node_modules/sharp/package.json')).toBe('unpack');
    const unpackedOthers = [...archive]
      .filter(([file, how]) => how === 'unpack' && !/^\/node_modules\/(sharp|@img|better-sqlite3|onnxruntime-node)(\/|$)/.test(file))
      .map(([file]) => file);
    expect(unpackedOthers).toEqual([]);
  });

  it("ships only this platform's ONNX runtime: onnxruntime-node brings every platform's (about 290 MB)", () => {
    const runtimes = [...archive.keys()].filter((file) => file.startsWith('/node_modules/onnxruntime-node/bin/'));
    expect(runtimes.some((file) => file.startsWith('/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/'))).toBe(true);
    const others = runtimes.filter((file) => /\.(node|so(\.\d+)*|dll|dylib)$/.test(file) && !file.includes('/napi-v6/linux/x64/'));
    expect(others).toEqual([]);
  });

  it('unpacks every native package of the production dependency tree (binding.gyp, .node files, platform packages)', () => {
    const natives = nativePackages(projectRoot);
    expect(natives).toContain('node_modules/better-sqlite3');
    const packed = natives.filter((dir) => archive.get(`/${dir}/package.json`) !== 'unpack');
    expect(packed, 'add these to asarUnpack in electron-builder.yml').toEqual([]);
  });

  it('flips the fuses in the binary: no RunAsNode, no NODE_OPTIONS, no inspector, asar integrity, app only from the asar', async () => {
    const wire = await getCurrentFuseWire(path.join(appDir, 'assistant-depot'));
    expect(wire).toMatchObject({
      [FuseV1Options.RunAsNode]: FuseState.DISABLE,
      [FuseV1Options.EnableCookieEncryption]: FuseState.ENABLE,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FuseState.DISABLE,
      [FuseV1Options.EnableNodeCliInspectArguments]: FuseState.DISABLE,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FuseState.ENABLE,
      [FuseV1Options.OnlyLoadAppFromAsar]: FuseState.ENABLE,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: FuseState.DISABLE,
    });
  });
});
