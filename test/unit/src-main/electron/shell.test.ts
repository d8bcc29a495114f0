import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../../support/fake-electron'));
vi.mock('../../../../src-main/compose/embedded-api', () => ({
  startEmbeddedDemoApi: async () => ({ url: 'http://127.0.0.1:9', close: async () => {} }),
}));

import * as fake from '../../../support/fake-electron';
import { ASSISTANT_METHOD_NAMES, channelOf, eventChannelOf } from '../../../../src-shared/assistant-api';
import { createEventHub } from '../../../../src-main/core/events';
import { forwardEvents } from '../../../../src-main/electron/events';
import { registerAssistantIpc } from '../../../../src-main/electron/ipc';
import { createMainWindow, denyAllPermissions, hardenContents } from '../../../../src-main/electron/window';
import { APP_ENTRY, APP_ORIGIN, serveRenderer } from '../../../../src-main/electron/app-protocol';

const trusted = { senderFrame: { url: `${APP_ORIGIN}/index.html` } };

describe('IPC registration', () => {
  beforeEach(() => fake.ipcMain.handlers.clear());

  it('registers exactly one handler per assistant method', () => {
    registerAssistantIpc(fake.ipcMain as never, async () => ({ ok: true, value: null }));
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(ASSISTANT_METHOD_NAMES.map(channelOf).sort());
  });

  it('hands trusted calls to the dispatch with their input', async () => {
    const calls: unknown[] = [];
    registerAssistantIpc(fake.ipcMain as never, async (method, input) => (calls.push([method, input]), { ok: true, value: 7 }));
    const result = await fake.ipcMain.handlers.get(channelOf('login'))!(trusted, { dossier: 'A', password: 'b' });
    expect(result).toEqual({ ok: true, value: 7 });
    expect(calls).toEqual([['login', { dossier: 'A', password: 'b' }]]);
  });

  it.each([
    ['another site', { senderFrame: { url: 'https://example.org/' } }],
    ['a file page', { senderFrame: { url: 'file:///tmp/x.html' } }],
    ['another host of our own scheme', { senderFrame: { url: 'app://elsewhere/index.html' } }],
    ['a host that only starts like ours', { senderFrame: { url: `${APP_ORIGIN}.example.org/index.html` } }],
    ['a frame that is gone', { senderFrame: null }],
  ])('refuses calls from %s without calling the dispatch', async (_name, event) => {
    let called = false;
    registerAssistantIpc(fake.ipcMain as never, async () => ((called = true), { ok: true, value: null }));
    const result = (await fake.ipcMain.handlers.get(channelOf('getDossier'))!(event, {})) as { ok: boolean; error: { code: string } };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('forbidden');
    expect(called).toBe(false);
  });
});

describe('main window', () => {
  it('is isolated, sandboxed, without Node, and loads the app scheme', () => {
    const window = createMainWindow('/x/preload.cjs') as unknown as fake.FakeBrowserWindow;
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(window.loadedUrl).toBe(APP_ENTRY);
    expect(window.webContents.windowOpenHandler).not.toBeNull();
  });
});

describe('web contents hardening', () => {
  function navigate(contents: fake.FakeWebContents, event: string, url: string) {
    let prevented = false;
    contents.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }

  it('denies navigation away from the app, and opens only http(s) links outside', () => {
    const contents = new fake.FakeWebContents();
    hardenContents(contents as never);
    fake.shell.opened.length = 0;
    expect(navigate(contents, 'will-navigate', 'https://example.org/aide')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'app://elsewhere/index.html')).toBe(true);
    expect(navigate(contents, 'will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(navigate(contents, 'will-redirect', 'https://example.org/')).toBe(true);
    expect(fake.shell.opened).toEqual(['https://example.org/aide']);
  });

  it('denies every new window', () => {
    const contents = new fake.FakeWebContents();
    hardenContents(contents as never);
    fake.shell.opened.length = 0;
    expect(contents.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(fake.shell.opened).toEqual(['https://example.org/']);
  });

  it('refuses webviews', () => {
    const contents = new fake.FakeWebContents();
    hardenContents(contents as never);
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('denies every permission request and check', () => {
    const session = fake.fakeSession();
    denyAllPermissions(session as never);
    const answers: boolean[] = [];
    session.permissionRequestHandler!(null, 'media', (granted: boolean) => answers.push(granted));
    session.permissionRequestHandler!(null, 'notifications', (granted: boolean) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(session.permissionCheckHandler!()).toBe(false);
    expect(session.deviceHandler!()).toBe(false);
  });
});

describe('app protocol', () => {
  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    serveRenderer('/srv/renderer');
    const handler = fake.protocol.handlers.get('app')!;
    const ok = (await handler(new Request(`${APP_ORIGIN}/index.html`))) as Response;
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('fetched file:///srv/renderer/index.html');
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    const escape = (await handler(new Request(`${APP_ORIGIN}/..%2F..%2Fetc%2Fpasswd`))) as Response;
    expect(escape.status).toBe(404);
    const otherHost = (await handler(new Request('app://elsewhere/index.html'))) as Response;
    expect(otherHost.status).toBe(404);
  });
});

describe('main process start', () => {
  it('enables the sandbox, registers every method and opens one secure window', async () => {
    fake.ipcMain.handlers.clear();
    fake.created.windows.length = 0;
    const os = await import('node:os');
    const { mkdtemp } = await import('node:fs/promises');
    process.env.FAKE_ELECTRON_USER_DATA = await mkdtemp((await import('node:path')).join(os.tmpdir(), 'shell-'));
    await import('../../../../src-main/electron/main');
    await vi.waitFor(() => expect(fake.created.windows).toHaveLength(1));
    expect(fake.app.sandboxEnabled).toBe(true);
    expect(fake.protocol.privileged).toContainEqual(expect.objectContaining({ scheme: 'app' }));
    expect(fake.ipcMain.handlers.size).toBe(ASSISTANT_METHOD_NAMES.length);
    expect(fake.session.defaultSession.permissionRequestHandler).not.toBeNull();
    // Back from sleep, the queue is tried again.
    expect(fake.powerMonitor.listeners.get('resume')).toHaveLength(1);
    // Any web contents created later (dialogs, devtools) gets the same rules.
    const later = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, later);
    expect(later.windowOpenHandler).not.toBeNull();
  });

  it("writes the help desk's log in the folder Electron gives for logs", async () => {
    const { readFile } = await import('node:fs/promises');
    const path = await import('node:path');
    // The fake answers every getPath with the same folder: the log is there, as `logs` says.
    const text = await readFile(path.join(process.env.FAKE_ELECTRON_USER_DATA!, 'assistant.log'), 'utf8');
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ level: 'info', event: 'app.started', version: '0.1.0', shell: 'electron' });
  });
});

describe('preload', () => {
  it('exposes exactly the assistant methods, each invoking its own channel', async () => {
    await import('../../../../src-main/electron/preload');
    const api = fake.exposed.get('assistant') as Record<string, (input: unknown) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual([...ASSISTANT_METHOD_NAMES, 'on'].sort());
    await api.login!({ dossier: 'D', password: 'p' });
    await api.getDossier!(undefined);
    expect(fake.ipcRenderer.invocations).toEqual([
      { channel: channelOf('login'), input: { dossier: 'D', password: 'p' } },
      { channel: channelOf('getDossier'), input: {} },
    ]);
  });
});

describe('events to the UI', () => {
  it('the preload relays only known events, payload alone, and unsubscribes', async () => {
    await import('../../../../src-main/electron/preload');
    const api = fake.exposed.get('assistant') as { on: (e: string, l: (p: unknown) => void) => () => void };
    const seen: unknown[] = [];
    const off = api.on('queueChanged', (payload) => seen.push(payload));
    expect(api.on('not-an-event', () => seen.push('wrong'))).toBeTypeOf('function');
    expect(fake.ipcRenderer.listeners.has('assistant-event:not-an-event')).toBe(false);
    fake.ipcRenderer.deliver(eventChannelOf('queueChanged'), { pending: 2 });
    off();
    fake.ipcRenderer.deliver(eventChannelOf('queueChanged'), { pending: 3 });
    expect(seen).toEqual([{ pending: 2 }]);
  });

  it('the shell sends each event to our own UI only, never to another page', () => {
    const hub = createEventHub();
    const ours = new fake.FakeWebContents();
    ours.url = APP_ENTRY;
    const foreign = new fake.FakeWebContents();
    foreign.url = 'https://example.org/';
    const otherHost = new fake.FakeWebContents();
    otherHost.url = 'app://elsewhere/index.html';
    const gone = new fake.FakeWebContents();
    gone.url = APP_ENTRY;
    gone.destroyed = true;
    const stop = forwardEvents(hub, () => [ours, foreign, otherHost, gone] as never);
    hub.emit('progress', { operation: 'prepare', done: 1, total: 3 });
    stop();
    hub.emit('progress', { operation: 'prepare', done: 2, total: 3 });
    expect(ours.sent).toEqual([{ channel: eventChannelOf('progress'), payload: { operation: 'prepare', done: 1, total: 3 } }]);
    expect(foreign.sent).toEqual([]);
    expect(otherHost.sent).toEqual([]);
    expect(gone.sent).toEqual([]);
  });
});
