/**
 * The desktop app's updates, free of Electron: electron-updater does the fetching and the
 * checking (the sha512 that `latest.yml` gives for each file, and on Windows the installer's
 * signature); this decides when. It checks at start and every few hours, lets the download run
 * in the background, and installs only at a moment that interrupts nothing: never while a
 * document is being sent or the dossier closed, whether the person asks ("Redémarrer pour
 * mettre à jour") or the app quits.
 */
import { errorFields, type Logger } from '../../src-shared/log';
import { NO_UPDATE, type AssistantImpl, type UpdateStatus } from '../../src-shared/assistant-api';
import { AppError } from '../../src-shared/errors';

/** The slice of electron-updater's `autoUpdater` used here (so that tests give a fake one). */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What must not be cut by an install: a send or a closure under way. */
export type Busy = 'send' | 'closure' | null;

export interface UpdateServiceOptions {
  updater: Updater;
  /** Asked at the moment of installing (the send queue and the closure, through the assistant). */
  busy: () => Busy;
  /** Each change of status (the shell forwards it to the UI as `updateChanged`). */
  onChange: (status: UpdateStatus) => void;
  /** Failures are logged, never shown: a missed check is tried again at the next one. */
  log: Logger;
  intervalMs?: number;
}

export const CHECK_EVERY_MS = 4 * 3600_000;

export interface UpdateService {
  /** First check now, then every `intervalMs`. */
  start(): void;
  stop(): void;
  status(): UpdateStatus;
  /** Installs now and restarts; refused (AppError) when nothing is ready or something is under way. */
  restart(): void;
  /** Called as the app quits: a ready update is installed then, unless work is under way. */
  beforeQuit(): void;
}

export function createUpdateService(options: UpdateServiceOptions): UpdateService {
  const { updater } = options;
  let current: UpdateStatus = NO_UPDATE;
  let timer: NodeJS.Timeout | null = null;
  const set = (next: UpdateStatus) => {
    current = next;
    options.onChange(next);
  };

  updater.autoDownload = true;
  // Decided at quit time by beforeQuit, not left to the library's default.
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.on('update-available', ({ version }) => set({ state: 'downloading', version }));
  updater.on('update-downloaded', ({ version }) => set({ state: 'ready', version }));
  updater.on('error', (error) => {
    options.log.warn('updates.failed', errorFields(error));
    // A download that failed (hash mismatch, network) is asked again at the next check.
    if (current.state === 'downloading') set(NO_UPDATE);
  });

  function check(): void {
    // Once one is ready, nothing more to fetch until it is installed.
    if (current.state === 'ready') return;
    void updater.checkForUpdates().catch((error: unknown) => options.log.warn('updates.check_failed', errorFields(error)));
  }

  return {
    start() {
      if (timer) return;
      check();
      timer = setInterval(check, options.intervalMs ?? CHECK_EVERY_MS);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    status: () => current,
    restart() {
      if (current.state !== 'ready') throw new AppError('update_not_ready');
      if (options.busy()) throw new AppError('update_waits_for_work');
      updater.quitAndInstall(false, true);
    },
    beforeQuit() {
      updater.autoInstallOnAppQuit = current.state === 'ready' && !options.busy();
    },
  };
}

/** The assistant API's update methods over a service (none in the browser host: nothing to update). */
export function updateMethods(service: UpdateService | undefined): Pick<AssistantImpl, 'getUpdateStatus' | 'restartToUpdate'> {
  return {
    getUpdateStatus: async () => service?.status() ?? NO_UPDATE,
    async restartToUpdate() {
      if (!service) throw new AppError('update_not_ready');
      service.restart();
      return null;
    },
  };
}
