import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { counterOverrides, counterOverridesFromArgv } from '../../../../../src-main/core/counter/command-line';
import { unsentElsewhere } from '../../../../../src-main/core/counter/pending';
import { JsonCounterSettings, DEFAULT_COUNTER_SETTINGS } from '../../../../../src-main/core/counter/settings';

const temp: string[] = [];
afterEach(async () => {
  for (const dir of temp.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('counter start options', () => {
  it('reads --counter, --scan-folder and --idle-seconds, among Electron and Chromium switches', () => {
    expect(counterOverridesFromArgv(['--counter', '--scan-folder', 'scans', '--idle-seconds', '120', '--no-sandbox', 'x'])).toEqual({
      enabled: true,
      scanFolder: path.resolve('scans'),
      idleSeconds: 120,
    });
    expect(counterOverridesFromArgv(['--inspect'])).toEqual({});
  });

  it('refuses a delay that is not a whole number of seconds between 5 and 3600, in French', () => {
    for (const bad of ['abc', '2', '1.5', '99999']) expect(counterOverrides({ 'idle-seconds': bad })).toMatch(/Délai d'inactivité invalide/);
  });
});

describe('counter settings file', () => {
  it('falls back to the defaults on a missing or tampered file, and keeps only known keys', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'counter-settings-'));
    temp.push(dir);
    const file = path.join(dir, 'counter-settings.json');
    const store = new JsonCounterSettings(file);
    expect(await store.load()).toEqual(DEFAULT_COUNTER_SETTINGS);
    await writeFile(file, '{"enabled": "yes"');
    expect(await store.load()).toEqual(DEFAULT_COUNTER_SETTINGS);
    await writeFile(file, JSON.stringify({ enabled: true, idleSeconds: 'soon', dossier: 'DEMO-00001' }));
    expect(await store.load()).toEqual(DEFAULT_COUNTER_SETTINGS);
    await writeFile(file, JSON.stringify({ enabled: true, idleSeconds: 120, dossier: 'DEMO-00001' }));
    expect(await store.load()).toEqual({ ...DEFAULT_COUNTER_SETTINGS, enabled: true, idleSeconds: 120 });
  });
});

describe('unsent documents of dossiers whose queue is closed', () => {
  it('counts the outbox files of every other dossier', async () => {
    const workspace = await mkdtemp(path.join(os.tmpdir(), 'counter-pending-'));
    temp.push(workspace);
    expect(await unsentElsewhere(workspace, null)).toBe(0);
    for (const [dossier, files] of [['DEMO-00001', 2], ['DEMO-00002', 1]] as const) {
      await mkdir(path.join(workspace, 'dossiers', dossier, 'outbox'), { recursive: true });
      for (let i = 0; i < files; i++) await writeFile(path.join(workspace, 'dossiers', dossier, 'outbox', `${i}.bin`), 'x');
    }
    expect(await unsentElsewhere(workspace, null)).toBe(3);
    expect(await unsentElsewhere(workspace, 'DEMO-00001')).toBe(1);
  });
});
