/** Settings in electron-store (config.json in the app's user data), behind core's SettingsStore. */
import Store from 'electron-store';
import { DEFAULT_SETTINGS, type Settings } from '../../src-shared/assistant-api';
import { sanitise, type SettingsStore } from '../core/settings';

export function electronSettingsStore(options: { cwd?: string } = {}): SettingsStore {
  const store = new Store<Settings>({ name: 'settings', defaults: DEFAULT_SETTINGS, ...options });
  return {
    read: () => sanitise(store.store),
    write: (settings) => {
      store.store = settings;
    },
  };
}
