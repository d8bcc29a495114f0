/**
 * The desktop app: starts the embedded companion API with the demo campaign on loopback (or
 * uses ASSISTANT_API_URL), serves the UI from app://, and answers the assistant API over IPC.
 */
import { app, BrowserWindow, dialog, ipcMain, Notification, powerMonitor, safeStorage, session, webContents } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAssistant } from '../core/assistant';
import { counterOverridesFromArgv } from '../core/counter/command-line';
import { JsonCounterSettings } from '../core/counter/settings';
import { createDispatch } from '../core/dispatch';
import { startEmbeddedDemoApi } from '../compose/embedded-api';
import { createEngine } from '../../src-engine';
import { createEventHub } from '../core/events';
import { createFileLog } from '../core/log-file';
import { projectPath } from '../core/project-paths';
import { sealedSessionFile } from '../core/session-keeper';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { forwardEvents } from './events';
import { registerAssistantIpc } from './ipc';
import { notifier } from './notify';
import { saveWithDialog } from './save-file';
import { electronSettingsStore } from './settings-store';
import { safeStorageBox } from './secret-box';
import { spawnUtilityWorker } from './utility-engine';
import { createMainWindow, denyAllPermissions, hardenContents } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));

app.enableSandbox();
registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_event, contents) => hardenContents(contents));

async function start(): Promise<void> {
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  serveRenderer(projectPath('dist', 'renderer'));

  const userData = app.getPath('userData');
  // The help desk's log, where the system keeps applications' logs (~/Library/Logs, %APPDATA%…/logs).
  const log = createFileLog({ dir: app.getPath('logs') });
  log.info('app.started', { version: app.getVersion(), shell: 'electron' });
  // `npm start -- --counter [--scan-folder DIR] [--idle-seconds N]`, as a counter's shortcut sets it.
  const counterOverrides = counterOverridesFromArgv(process.argv.slice(2));
  if (typeof counterOverrides === 'string') {
    console.error(counterOverrides);
    app.exit(2);
    return;
  }
  const settings = electronSettingsStore();
  // The address given at start wins, then the one set in the settings, else the embedded demo.
  const chosenUrl = process.env.ASSISTANT_API_URL ?? settings.read().serverUrl;
  const embedded = chosenUrl ? null : await startEmbeddedDemoApi(path.join(userData, 'api'));
  const apiUrl = chosenUrl ?? embedded!.url;
  const events = createEventHub();
  forwardEvents(events, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  const workspaceDir = path.join(userData, 'workspace');
  const assistant = createAssistant({
    apiUrl,
    workspaceDir,
    events,
    settings,
    log,
    appVersion: app.getVersion(),
    engine: createEngine({ spawn: spawnUtilityWorker, log }),
    notify: notifier(Notification, () => BrowserWindow.getAllWindows()[0]),
    saveFile: saveWithDialog(dialog, () => BrowserWindow.getFocusedWindow(), app.getPath('documents')),
    sessions: sealedSessionFile(path.join(workspaceDir, 'session.sealed'), safeStorageBox(safeStorage)),
    counter: {
      // Outside the workspace: the desk's settings survive each wipe, and never hold a candidate's data.
      settings: new JsonCounterSettings(path.join(userData, 'counter-settings.json')),
      overrides: counterOverrides,
      // Chromium's own stores (HTTP cache, storage) could hold what the screens showed.
      onWipe: async () => {
        await session.defaultSession.clearStorageData();
        await session.defaultSession.clearCache();
      },
    },
  });
  registerAssistantIpc(
    ipcMain,
    createDispatch(assistant, (method, error) => console.error(`assistant.${method}`, error)),
  );

  // Back from sleep the network is usually back too: what waits is tried at once, and the
  // reminders are re-planned from the server's clock (timers do not run during sleep).
  powerMonitor.on('resume', () => {
    // A failure here is logged by the assistant itself (logged out, still offline): nothing to add.
    void assistant.retryQueue({}).catch(() => log.info('app.resume_retry_skipped'));
    void assistant.getDossier({}).catch(() => log.info('app.resume_refresh_skipped'));
  });

  createMainWindow(path.join(here, 'preload.cjs'));
  app.on('second-instance', () => webContents.getAllWebContents()[0]?.focus());
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    void assistant.shutdown();
    void embedded?.close();
  });
}

start().catch((error: unknown) => {
  console.error("L'assistant n'a pas pu démarrer :", error);
  app.exit(1);
});
