/**
 * electron-updater behind core's UpdateService, in packaged builds only (an unpacked app has
 * nothing to replace). The feed is the centre's: ASSISTANT_UPDATES_URL when set, else
 * `/updates/` on the companion API the app talks to (`npm run server -- --updates DIR`);
 * with the embedded demo API there is none, and no check is made.
 */
import type { Logger } from '../../src-shared/log';
import { app } from 'electron';
import type { EventHub } from '../core/events';
import { createUpdateService, type Busy, type UpdateService } from '../core/updates';

export function updateFeedUrl(env: NodeJS.ProcessEnv, serverUrl: string | null): string | null {
  if (env.ASSISTANT_UPDATES_URL) return env.ASSISTANT_UPDATES_URL;
  // Beside /api/v1, as the API client places it: a server behind a sub-path keeps it.
  return serverUrl ? `${serverUrl.replace(/\/+$/, '')}/updates/` : null;
}

export async function startUpdates(options: {
  feedUrl: string | null;
  busy: () => Busy;
  events: EventHub;
  log: Logger;
}): Promise<UpdateService | null> {
  if (!app.isPackaged || !options.feedUrl) return null;
  // Loaded only here: the library reaches for Electron's app at import.
  const { default: electronUpdater } = await import('electron-updater');
  const { autoUpdater } = electronUpdater;
  autoUpdater.setFeedURL({ provider: 'generic', url: options.feedUrl });
  const service = createUpdateService({
    updater: autoUpdater,
    busy: options.busy,
    onChange: (status) => options.events.emit('updateChanged', status),
    log: options.log,
  });
  app.on('before-quit', () => service.beforeQuit());
  service.start();
  return service;
}
