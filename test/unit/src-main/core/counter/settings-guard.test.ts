import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant, type Assistant } from '../../../../../src-main/core/assistant';
import { createDispatch } from '../../../../../src-main/core/dispatch';
import { memorySettingsStore } from '../../../../../src-main/core/settings';
import { DEFAULT_SETTINGS } from '../../../../../src-shared/assistant-api';
import { DEMO_STAFF as STAFF } from '../../../../support/demo';
import { startDemoServer, type DemoServer } from '../../../../support/demo-server';

let demo: DemoServer;
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  demo = await startDemoServer('settings-guard-');
});
afterAll(async () => {
  await demo?.stop();
});
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

/** The assistant as the renderer reaches it: through the dispatch, on a counter or at home. */
async function desk(counterMode: boolean) {
  const settings = memorySettingsStore({ ...DEFAULT_SETTINGS, counterMode });
  const assistant: Assistant = createAssistant({
    apiUrl: demo.server.url,
    workspaceDir: await mkdtemp(path.join(demo.root, 'ws-')),
    settings,
    engine: { close: async () => {} } as never,
  });
  cleanup.push(() => assistant.shutdown());
  return { settings, dispatch: createDispatch(assistant) };
}

describe('settings on a counter need the staff session', () => {
  it('refuses a new server address from the screen without the staff session, changing nothing', async () => {
    const { settings, dispatch } = await desk(true);
    const result = await dispatch('updateSettings', { serverUrl: 'https://ailleurs.example.org' });
    expect(result).toMatchObject({ ok: false, error: { code: 'counter_settings_need_staff' } });
    expect(settings.read().serverUrl).toBeNull();
  });

  it('accepts it once an agent has opened the staff session, and refuses it again after the logout', async () => {
    const { settings, dispatch } = await desk(true);
    expect(await dispatch('staffLogin', STAFF)).toMatchObject({ ok: true });
    const changed = await dispatch('updateSettings', { serverUrl: 'https://depot.cdg53.fr' });
    expect(changed).toMatchObject({ ok: true, value: { serverUrl: 'https://depot.cdg53.fr' } });
    expect(await dispatch('staffLogout', {})).toMatchObject({ ok: true });
    const back = await dispatch('updateSettings', { serverUrl: null });
    expect(back).toMatchObject({ ok: false, error: { code: 'counter_settings_need_staff' } });
    expect(settings.read().serverUrl).toBe('https://depot.cdg53.fr');
  });

  it('leaves the text size to the person at the screen', async () => {
    const { settings, dispatch } = await desk(true);
    expect(await dispatch('updateSettings', { textSize: 'larger' })).toMatchObject({ ok: true });
    expect(settings.read().textSize).toBe('larger');
  });

  it('never switches counter mode through updateSettings, even with the staff session', async () => {
    const { settings, dispatch } = await desk(true);
    await dispatch('staffLogin', STAFF);
    expect(await dispatch('updateSettings', { counterMode: false })).toMatchObject({
      ok: false,
      error: { code: 'staff_code_required' },
    });
    expect(settings.read().counterMode).toBe(true);
  });

  it("outside counter mode, the person's own computer takes a new address", async () => {
    const { settings, dispatch } = await desk(false);
    expect(await dispatch('updateSettings', { serverUrl: 'https://depot.cdg53.fr' })).toMatchObject({ ok: true });
    expect(settings.read().serverUrl).toBe('https://depot.cdg53.fr');
  });
});
