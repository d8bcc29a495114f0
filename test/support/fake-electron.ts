/**
 * A stand-in for the `electron` module, which cannot run here (no binary): it records what the
 * shell asks of Electron so tests can check the security settings and the IPC registration.
 */
type Listener = (...args: unknown[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener) {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]) {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

export class FakeWebContents extends FakeEmitter {
  url = '';
  destroyed = false;
  readonly sent: { channel: string; payload: unknown }[] = [];
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  focus() {}
}

export const created: { windows: FakeBrowserWindow[] } = { windows: [] };

export class FakeBrowserWindow extends FakeEmitter {
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    created.windows.push(this);
  }
  static getFocusedWindow() {
    return created.windows[0] ?? null;
  }
  static getAllWindows() {
    return created.windows;
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  show() {}
  focused = false;
  minimized = false;
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  focus() {
    this.focused = true;
  }
}

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  on(_channel: string, _listener: Listener) {},
  handle(channel: string, handler: Listener) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  },
};

export const shell = { opened: [] as string[], openExternal: async (url: string) => void shell.opened.push(url) };

export function fakeSession() {
  return {
    permissionRequestHandler: null as null | Listener,
    permissionCheckHandler: null as null | Listener,
    deviceHandler: null as null | Listener,
    setPermissionRequestHandler(h: Listener) {
      this.permissionRequestHandler = h;
    },
    setPermissionCheckHandler(h: Listener) {
      this.permissionCheckHandler = h;
    },
    setDevicePermissionHandler(h: Listener) {
      this.deviceHandler = h;
    },
  };
}
export const session = { defaultSession: fakeSession() };

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, Listener>(),
  registerSchemesAsPrivileged(schemes: unknown[]) {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: Listener) {
    this.handlers.set(scheme, handler);
  },
};

export const net = { fetch: async (url: string) => new Response(`fetched ${url}`, { status: 200 }) };

export class FakeUtilityProcess extends FakeEmitter {
  readonly posted: unknown[] = [];
  killed = false;
  pid: number | undefined = 4242;
  constructor(
    readonly script: string,
    readonly args: string[],
    readonly options: Record<string, unknown>,
  ) {
    super();
  }
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  kill() {
    this.killed = true;
    return true;
  }
}
export const utilityProcess = {
  forked: [] as FakeUtilityProcess[],
  fork(script: string, args: string[], options: Record<string, unknown>) {
    const child = new FakeUtilityProcess(script, args, options);
    this.forked.push(child);
    return child;
  },
};

/** The application menu as the shell sets it (templates are kept as given). */
export const Menu = {
  application: undefined as unknown,
  buildFromTemplate(template: unknown[]) {
    return { template };
  },
  setApplicationMenu(menu: unknown) {
    this.application = menu;
  },
};

class FakeApp extends FakeEmitter {
  /** As `electron .` runs it; tests set true to play an installed build. */
  isPackaged = false;
  metrics: { pid: number; memory: { workingSetSize: number } }[] = [];
  getAppMetrics() {
    return this.metrics;
  }
  sandboxEnabled = false;
  quitCalled = false;
  enableSandbox() {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  getVersion() {
    return '0.1.0';
  }
  getPath(_name: string) {
    return process.env.FAKE_ELECTRON_USER_DATA ?? '/nonexistent';
  }
  quit() {
    this.quitCalled = true;
  }
  exit() {}
}
export const app = new FakeApp();

/** A reversible stand-in for the OS key store; `backend` lets tests play a Linux without keyring. */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret',
  isEncryptionAvailable() {
    return this.available;
  },
  getSelectedStorageBackend() {
    return this.backend;
  },
  encryptString(plain: string) {
    return Buffer.from('sealed:' + Buffer.from(plain).reverse().toString('base64'));
  },
  decryptString(sealed: Buffer) {
    const text = sealed.toString();
    if (!text.startsWith('sealed:')) throw new Error('not sealed');
    return Buffer.from(text.slice(7), 'base64').reverse().toString();
  },
};

export class Notification extends FakeEmitter {
  static supported = true;
  static shown: Notification[] = [];
  static isSupported() {
    return Notification.supported;
  }
  constructor(readonly options: { title: string; body: string; urgency?: string }) {
    super();
  }
  show() {
    Notification.shown.push(this);
  }
}

export const powerMonitor = new FakeEmitter();

export const dialog = {
  answer: { canceled: false, filePath: '' as string | undefined },
  asked: [] as unknown[],
  async showSaveDialog(...args: unknown[]) {
    this.asked.push(args);
    return this.answer;
  },
};

export const webContents = { getAllWebContents: () => [] as FakeWebContents[] };

export const exposed = new Map<string, unknown>();
export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    exposed.set(key, api);
  },
};
export const ipcRenderer = {
  invocations: [] as { channel: string; input: unknown }[],
  listeners: new Map<string, Listener[]>(),
  on(channel: string, listener: Listener) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
  },
  removeListener(channel: string, listener: Listener) {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
  },
  /** What the main process's webContents.send would deliver. */
  deliver(channel: string, payload: unknown) {
    for (const l of this.listeners.get(channel) ?? []) l({ sender: 'ipc' }, payload);
  },
  invoke(channel: string, input: unknown) {
    this.invocations.push({ channel, input });
    return Promise.resolve({ ok: true, value: channel });
  },
};

export { FakeBrowserWindow as BrowserWindow };
export default { app, Menu, BrowserWindow: FakeBrowserWindow, ipcMain, shell, session, protocol, net, webContents, contextBridge, ipcRenderer, safeStorage, utilityProcess, dialog, Notification, powerMonitor };
