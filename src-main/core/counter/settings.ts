/**
 * The counter's settings: whether counter mode is on, the scanner folder, the inactivity delay,
 * large text. They describe the desk, never a candidate: nothing here is wiped, and nothing of a
 * candidate may ever be written here. Behind an interface, so that the desktop shell keeps them
 * in its own settings store and the browser host in a small JSON file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DEFAULT_IDLE_SECONDS } from '../../../src-shared/counter';
import type { SettingsStore } from '../settings';

export const CounterSettingsSchema = Type.Object({
  enabled: Type.Boolean(),
  largeText: Type.Boolean(),
  scanFolder: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  idleSeconds: Type.Integer({ minimum: 5, maximum: 3600 }),
});
export type CounterSettings = Static<typeof CounterSettingsSchema>;

export const DEFAULT_COUNTER_SETTINGS: CounterSettings = {
  enabled: false,
  largeText: false,
  scanFolder: null,
  idleSeconds: DEFAULT_IDLE_SECONDS,
};

export interface CounterSettingsStore {
  load(): Promise<CounterSettings>;
  save(settings: CounterSettings): Promise<void>;
}

/** Only what matches the schema is kept: a hand-edited or older file never breaks the start. */
export function sanitizeCounterSettings(raw: unknown): CounterSettings {
  const merged = { ...DEFAULT_COUNTER_SETTINGS, ...(typeof raw === 'object' && raw !== null ? raw : {}) };
  const picked = {
    enabled: merged.enabled,
    largeText: merged.largeText,
    scanFolder: merged.scanFolder,
    idleSeconds: merged.idleSeconds,
  };
  return Value.Check(CounterSettingsSchema, picked) ? picked : { ...DEFAULT_COUNTER_SETTINGS };
}

export class JsonCounterSettings implements CounterSettingsStore {
  constructor(private readonly file: string) {}

  async load(): Promise<CounterSettings> {
    try {
      return sanitizeCounterSettings(JSON.parse(await readFile(this.file, 'utf8')));
    } catch {
      return { ...DEFAULT_COUNTER_SETTINGS };
    }
  }

  async save(settings: CounterSettings): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(settings, null, 2));
    await rename(temp, this.file);
  }
}

/** Settings held in memory only (tests, or a shell that stores them elsewhere). */
export class MemoryCounterSettings implements CounterSettingsStore {
  constructor(private settings: CounterSettings = { ...DEFAULT_COUNTER_SETTINGS }) {}
  async load(): Promise<CounterSettings> {
    return { ...this.settings };
  }
  async save(settings: CounterSettings): Promise<void> {
    this.settings = { ...settings };
  }
}

/**
 * The counter's settings over the app's settings store, which is the one source of truth for
 * `counterMode` and `textSize`; the scanner folder and the delay, which only the counter
 * uses, stay in `own`.
 */
export function sharedCounterSettings(shared: SettingsStore, own: CounterSettingsStore): CounterSettingsStore {
  return {
    async load() {
      const app = shared.read();
      return { ...(await own.load()), enabled: app.counterMode, largeText: app.textSize !== 'normal' };
    },
    async save(settings) {
      const app = shared.read();
      const textSize = settings.largeText ? (app.textSize === 'normal' ? 'large' : app.textSize) : 'normal';
      shared.write({ ...app, counterMode: settings.enabled, textSize });
      await own.save(settings);
    },
  };
}
