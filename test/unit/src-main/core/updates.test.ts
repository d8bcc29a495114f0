import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UpdateStatus } from '../../../../src-shared/assistant-api';
import { createUpdateService, updateMethods, type Busy, type Updater } from '../../../../src-main/core/updates';

/** electron-updater's autoUpdater as far as the service uses it, with what it was asked. */
class FakeUpdater extends EventEmitter implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  checks = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  answer: () => Promise<unknown> = async () => null;
  checkForUpdates() {
    this.checks += 1;
    return this.answer();
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean) {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

function setup(busy: Busy = null) {
  const updater = new FakeUpdater();
  const state = { busy };
  const changes: UpdateStatus[] = [];
  const logged: string[] = [];
  const service = createUpdateService({
    updater,
    busy: () => state.busy,
    onChange: (status) => changes.push(status),
    log: { info: () => {}, warn: (event) => logged.push(event), error: (event) => logged.push(event) },
    intervalMs: 3 * 3600_000,
  });
  return { updater, state, changes, logged, service };
}

afterEach(() => vi.useRealTimers());

describe('updates: when to check, when to install', () => {
  it('downloads in the background, keeps downgrades off, and decides itself about installing on quit', () => {
    const { updater } = setup();
    expect(updater.autoDownload).toBe(true);
    expect(updater.allowDowngrade).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('checks at start and again every few hours', async () => {
    vi.useFakeTimers();
    const { updater, service } = setup();
    service.start();
    expect(updater.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(3 * 3600_000);
    expect(updater.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(3 * 3600_000);
    expect(updater.checks).toBe(3);
    service.stop();
    await vi.advanceTimersByTimeAsync(10 * 3600_000);
    expect(updater.checks).toBe(3);
  });

  it('follows the download, tells the UI, and checks no more once one is ready', async () => {
    vi.useFakeTimers();
    const { updater, service, changes } = setup();
    service.start();
    updater.emit('update-available', { version: '0.2.0' });
    expect(service.status()).toEqual({ state: 'downloading', version: '0.2.0' });
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(changes.at(-1)).toEqual({ state: 'ready', version: '0.2.0' });
    await vi.advanceTimersByTimeAsync(3 * 3600_000);
    expect(updater.checks).toBe(1);
  });

  it('a failed check (offline) is logged, not thrown, and tried again later', async () => {
    vi.useFakeTimers();
    const { updater, service, logged } = setup();
    updater.answer = async () => {
      throw new Error('net::ERR_INTERNET_DISCONNECTED');
    };
    service.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(logged).toEqual(['updates.check_failed']);
    expect(service.status().state).toBe('none');
    await vi.advanceTimersByTimeAsync(3 * 3600_000);
    expect(updater.checks).toBe(2);
  });

  it('a download refused by its sha512 leaves nothing to install, and is fetched again at the next check', () => {
    const { updater, service, logged } = setup();
    updater.emit('update-available', { version: '0.2.0' });
    updater.emit('error', new Error('sha512 checksum mismatch, expected abc, got def'));
    expect(service.status().state).toBe('none');
    expect(() => service.restart()).toThrow(expect.objectContaining({ code: 'update_not_ready' }));
    expect(updater.installs).toEqual([]);
    expect(logged).toEqual(['updates.failed']);
  });

  it.each(['send', 'closure'] as const)('never restarts to install during a %s, and does once it is over', (work) => {
    const { updater, service, state } = setup(work);
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(() => service.restart()).toThrow(expect.objectContaining({ code: 'update_waits_for_work' }));
    expect(updater.installs).toEqual([]);
    state.busy = null;
    service.restart();
    expect(updater.installs).toEqual([[false, true]]);
  });

  it.each(['send', 'closure'] as const)('installs on quit, but not when the app quits during a %s', (work) => {
    const { updater, service, state } = setup();
    service.beforeQuit();
    expect(updater.autoInstallOnAppQuit).toBe(false); // nothing ready
    updater.emit('update-downloaded', { version: '0.2.0' });
    service.beforeQuit();
    expect(updater.autoInstallOnAppQuit).toBe(true);
    state.busy = work;
    service.beforeQuit();
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('through the assistant API: none without an updater (browser host), the service otherwise', async () => {
    const none = updateMethods(undefined);
    expect(await none.getUpdateStatus({})).toEqual({ state: 'none', version: null });
    await expect(none.restartToUpdate({})).rejects.toMatchObject({ code: 'update_not_ready' });
    const { updater, service } = setup();
    const methods = updateMethods(service);
    updater.emit('update-downloaded', { version: '0.3.0' });
    expect(await methods.getUpdateStatus({})).toEqual({ state: 'ready', version: '0.3.0' });
    expect(await methods.restartToUpdate({})).toBeNull();
    expect(updater.installs).toHaveLength(1);
  });
});

describe('updates: what the assistant reports as under way', () => {
  it('a closure waiting for the server blocks the restart through the dispatch, and frees it once answered', async () => {
    const { createServer } = await import('node:http');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { createAssistant } = await import('../../../../src-main/core/assistant');
    const { createDispatch } = await import('../../../../src-main/core/dispatch');
    const { memorySessionKeeper } = await import('../../../../src-main/core/session-keeper');

    // A server that holds the closure until the test lets it go (and refuses everything else).
    let release: () => void = () => {};
    let held = false;
    const server = createServer((request, response) => {
      if (request.url?.endsWith('/closure')) {
        held = true;
        // A final refusal, so that the client does not retry.
        const problem = { type: 'about:blank', status: 409, title: 'Conflict', code: 'deadline_passed' };
        release = () => response.writeHead(409, { 'content-type': 'application/problem+json' }).end(JSON.stringify(problem));
        return;
      }
      response.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"code":"not_found"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'updates-busy-'));
    const sessions = memorySessionKeeper();
    await sessions.save({ dossier: 'D-1', token: 't', expiresAt: new Date(Date.now() + 3600_000).toISOString() });

    const { updater, service } = setup();
    let assistant: ReturnType<typeof createAssistant> | null = null;
    const busyService = createUpdateService({ updater, busy: () => assistant!.busy(), onChange: () => {}, log: { info: () => {}, warn: () => {}, error: () => {} } });
    assistant = createAssistant({
      apiUrl: `http://127.0.0.1:${port}`,
      workspaceDir: dir,
      sessions,
      engine: { close: async () => {} } as never,
      updates: busyService,
      apiTimeoutMs: 30_000,
    });
    try {
      const dispatch = createDispatch(assistant);
      updater.emit('update-downloaded', { version: '0.2.0' });
      expect(service.status().state).toBe('ready');
      const closing = dispatch('closeDossier', {});
      await vi.waitFor(() => expect(held).toBe(true));
      expect(assistant.busy()).toBe('closure');
      expect(await dispatch('restartToUpdate', {})).toMatchObject({ ok: false, error: { code: 'update_waits_for_work' } });
      expect(updater.installs).toEqual([]);
      release();
      expect(await closing).toMatchObject({ ok: false, error: { code: 'deadline_passed' } });
      expect(assistant.busy()).toBeNull();
      expect(await dispatch('restartToUpdate', {})).toEqual({ ok: true, value: null });
      expect(updater.installs).toEqual([[false, true]]);
    } finally {
      await assistant.shutdown();
      server.closeAllConnections();
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
