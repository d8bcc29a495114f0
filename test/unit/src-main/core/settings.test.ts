import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../../support/fake-electron'));

import { DEFAULT_SETTINGS } from '../../../../src-shared/assistant-api';
import { createDispatch } from '../../../../src-main/core/dispatch';
import { createAssistant } from '../../../../src-main/core/assistant';
import { jsonSettingsStore, memorySettingsStore, updateSettings } from '../../../../src-main/core/settings';
import { electronSettingsStore } from '../../../../src-main/electron/settings-store';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'settings-'));

describe('settings', () => {
  it.each([
    ['a JSON file (browser host)', async () => jsonSettingsStore(path.join(await tmp(), 'settings.json'))],
    ['electron-store (desktop)', async () => electronSettingsStore({ cwd: await tmp() })],
  ])('in %s: defaults, then changes kept across instances', async (_name, make) => {
    const store = await make();
    expect(store.read()).toEqual(DEFAULT_SETTINGS);
    const next = updateSettings(store, { textSize: 'larger', serverUrl: 'https://depot.cdg53.fr' });
    expect(next).toEqual({ serverUrl: 'https://depot.cdg53.fr', counterMode: false, textSize: 'larger' });
    expect(store.read()).toEqual(next);
  });

  it('a hand-edited or older file keeps what is valid and defaults the rest', async () => {
    const file = path.join(await tmp(), 'settings.json');
    await writeFile(file, JSON.stringify({ textSize: 'huge', counterMode: true, serverUrl: 42, extra: 'x' }));
    expect(jsonSettingsStore(file).read()).toEqual({ serverUrl: null, counterMode: true, textSize: 'normal' });
    await writeFile(file, '{not json');
    expect(jsonSettingsStore(file).read()).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    ['a file: address', { serverUrl: 'file:///etc/passwd' }],
    ['a JavaScript address', { serverUrl: 'javascript:alert(1)' }],
    ['an unknown text size', { textSize: 'huge' }],
  ])('refuses %s through the assistant API, changing nothing', async (_name, patch) => {
    const store = memorySettingsStore();
    const assistant = createAssistant({ apiUrl: 'http://127.0.0.1:9', workspaceDir: await tmp(), settings: store, engine: {} as never });
    const result = await createDispatch(assistant)('updateSettings', patch);
    expect(result).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(store.read()).toEqual(DEFAULT_SETTINGS);
    await assistant.shutdown().catch(() => undefined);
  });

  it('keeps nothing secret in the settings file', async () => {
    const file = path.join(await tmp(), 'settings.json');
    updateSettings(jsonSettingsStore(file), { counterMode: true });
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8'))).sort()).toEqual(['counterMode', 'serverUrl', 'textSize']);
  });
});
