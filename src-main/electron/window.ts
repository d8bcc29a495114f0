/**
 * The main window and the rules every web contents obeys (design.md section 5): isolated,
 * sandboxed, no Node; navigation and new windows denied; only http(s) links opened outside.
 */
import { app, BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { APP_ENTRY, isAppUrl } from './app-protocol';

function openOutside(url: string): void {
  try {
    const { protocol } = new URL(url);
    // Only web links leave the app, in the person's browser (never file:, smb:, custom schemes).
    if (protocol === 'https:' || protocol === 'http:')
      void shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
  } catch {
    /* not a URL: nothing to open */
  }
}

export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      openOutside(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 800,
    minWidth: 480,
    minHeight: 500,
    title: 'Assistant Dépôt',
    show: false,
    backgroundColor: '#f6f6fb',
    // Written out here, not built elsewhere, so that the Electronegativity scan sees them.
    webPreferences: {
      // Reviewed: the preload exposes only the contract's methods and events through contextBridge.
      preload: preloadPath /* eng-disable PRELOAD_JS_CHECK */,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A packaged build has no developer tools at all, not even through a keyboard shortcut.
      devTools: !app.isPackaged,
      // A middle click would open links in a new window outside our handlers.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY);
  return window;
}
