/**
 * Settings behind one small interface: electron-store in the desktop shell, a JSON file for
 * the browser host, memory for tests. Only plain preferences live here: the session token is
 * kept by the SessionKeeper (sealed), never in settings.
 */
import { Value } from '@sinclair/typebox/value';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../src-shared/assistant-api';
import { AppError } from '../../src-shared/errors';

export interface SettingsStore {
  read(): Settings;
  write(settings: Settings): void;
}

/** Whatever was stored (an older version, a hand edit), read as valid settings. */
export function sanitise(stored: unknown): Settings {
  const merged = { ...DEFAULT_SETTINGS, ...(stored && typeof stored === 'object' ? stored : {}) } as Record<string, unknown>;
  const clean: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const candidate = { ...DEFAULT_SETTINGS, [key]: merged[key] };
    if (Value.Check(SettingsSchema, candidate)) clean[key] = merged[key];
  }
  return clean as Settings;
}

export function updateSettings(store: SettingsStore, patch: Partial<Settings>): Settings {
  const next = { ...store.read(), ...patch };
  if (!Value.Check(SettingsSchema, next)) throw new AppError('validation_failed');
  if (next.serverUrl !== null) {
    try {
      const url = new URL(next.serverUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    } catch {
      throw new AppError('validation_failed');
    }
  }
  store.write(next);
  return next;
}

export function memorySettingsStore(initial: Settings = DEFAULT_SETTINGS): SettingsStore {
  let current = { ...initial };
  return {
    read: () => ({ ...current }),
    write: (settings) => {
      current = { ...settings };
    },
  };
}

export function jsonSettingsStore(file: string): SettingsStore {
  return {
    read() {
      try {
        return sanitise(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        return { ...DEFAULT_SETTINGS };
      }
    },
    write(settings) {
      mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      const fd = openSync(temp, 'w');
      try {
        writeSync(fd, JSON.stringify(settings, null, 2));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    },
  };
}
