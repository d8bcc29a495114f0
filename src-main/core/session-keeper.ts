/**
 * Where the session token is kept between runs. Never in plain text on disk: the desktop
 * shell seals it with the operating system's key store (Electron safeStorage, behind the
 * SecretBox interface); where no key store is available (the browser host, a Linux session
 * without a keyring) it lives in memory only and the person logs in again after a restart.
 */
import { readFile, rm } from 'node:fs/promises';
import { writeDurably } from './durable-file';

export interface SavedSession {
  dossier: string;
  token: string;
  expiresAt: string;
}

/** Encryption by a key this program does not hold (the OS key store). */
export interface SecretBox {
  isAvailable(): boolean;
  seal(plain: string): Uint8Array;
  open(sealed: Uint8Array): string;
}

export interface SessionKeeper {
  load(): Promise<SavedSession | null>;
  save(session: SavedSession | null): Promise<void>;
}

export function memorySessionKeeper(): SessionKeeper {
  let kept: SavedSession | null = null;
  return {
    load: async () => kept,
    save: async (session) => {
      kept = session;
    },
  };
}

/** A value sealed in `file`, or in memory only where the box is unavailable. */
function sealedValue<T>(file: string, box: SecretBox, valid: (value: unknown) => value is T) {
  let memory: T | null = null;
  return {
    async load(): Promise<T | null> {
      if (!box.isAvailable()) return memory;
      try {
        const value: unknown = JSON.parse(box.open(new Uint8Array(await readFile(file))));
        return valid(value) ? value : null;
      } catch {
        return null; // none kept, or sealed by another user or machine
      }
    },
    async save(value: T | null): Promise<void> {
      if (!box.isAvailable()) memory = value;
      else if (value === null) await rm(file, { force: true });
      else await writeDurably(file, box.seal(JSON.stringify(value)));
    },
  };
}

function isSavedSession(value: unknown): value is SavedSession {
  const session = value as Partial<SavedSession> | null;
  return typeof session?.token === 'string' && typeof session.dossier === 'string';
}

/** A session not taken up (none, or sealed by another user or machine): log in again. */
export function sealedSessionFile(file: string, box: SecretBox): SessionKeeper {
  return sealedValue(file, box, isSavedSession);
}

/**
 * Device tokens (api-contract.md 5.6), one per dossier logged in on this computer. Unlike the
 * session they outlive a logout: presented at the next login, they let the candidate in however
 * hard someone elsewhere guesses their password. Sealed like the session; a counter forgets them
 * at "Nouveau candidat".
 */
export interface DeviceTokenKeeper {
  load(dossier: string): Promise<string | null>;
  save(dossier: string, token: string): Promise<void>;
  /** Forgets every one (the next candidate at a counter must not inherit them). */
  clear(): Promise<void>;
}

type DeviceTokens = Record<string, string>;

function isDeviceTokens(value: unknown): value is DeviceTokens {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((token) => typeof token === 'string')
  );
}

function deviceTokenKeeper(store: { load(): Promise<DeviceTokens | null>; save(value: DeviceTokens | null): Promise<void> }): DeviceTokenKeeper {
  return {
    async load(dossier) {
      const tokens = await store.load();
      return tokens && Object.hasOwn(tokens, dossier) ? tokens[dossier]! : null;
    },
    async save(dossier, token) {
      const tokens = (await store.load()) ?? {};
      if (tokens[dossier] !== token) await store.save({ ...tokens, [dossier]: token });
    },
    clear: () => store.save(null),
  };
}

export function memoryDeviceTokens(): DeviceTokenKeeper {
  let kept: DeviceTokens | null = null;
  return deviceTokenKeeper({
    load: async () => kept,
    save: async (value) => {
      kept = value;
    },
  });
}

export function sealedDeviceTokens(file: string, box: SecretBox): DeviceTokenKeeper {
  return deviceTokenKeeper(sealedValue(file, box, isDeviceTokens));
}
