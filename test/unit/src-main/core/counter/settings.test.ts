import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAssistant, type Assistant } from '../../../../../src-main/core/assistant';
import { MemoryCounterSettings, sharedCounterSettings } from '../../../../../src-main/core/counter/settings';
import { memorySettingsStore } from '../../../../../src-main/core/settings';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

describe("the counter's settings over the app's settings", () => {
  it('keeps counterMode and textSize in the app settings, the rest in its own store', async () => {
    const app = memorySettingsStore();
    const own = new MemoryCounterSettings();
    const counter = sharedCounterSettings(app, own);
    const loaded = await counter.load();
    await counter.save({ ...loaded, enabled: true, largeText: true, idleSeconds: 120 });
    expect(app.read()).toMatchObject({ counterMode: true, textSize: 'large' });
    expect(await own.load()).toMatchObject({ idleSeconds: 120 });
    app.write({ ...app.read(), textSize: 'larger' });
    await counter.save({ ...(await counter.load()), largeText: true });
    expect(app.read().textSize).toBe('larger');
    await counter.save({ ...(await counter.load()), largeText: false });
    expect(app.read().textSize).toBe('normal');
  });

  it('refuses to switch counter mode through updateSettings (staff account needed), but follows the text size', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'counter-shared-'));
    const assistant: Assistant = createAssistant({ apiUrl: 'http://127.0.0.1:9', workspaceDir: dir });
    cleanup.push(() => assistant.shutdown(), () => rm(dir, { recursive: true, force: true }));
    await expect(assistant.updateSettings({ counterMode: true })).rejects.toMatchObject({ code: 'staff_code_required' });
    expect((await assistant.counterStatus({})).enabled).toBe(false);
    await assistant.updateSettings({ textSize: 'large' });
    expect((await assistant.counterStatus({})).largeText).toBe(true);
  });
});
