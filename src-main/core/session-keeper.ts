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

export function sealedSessionFile(file: string, box: SecretBox): SessionKeeper {
  const memory = memorySessionKeeper();
  return {
    async load() {
      if (!box.isAvailable()) return memory.load();
      try {
        const session = JSON.parse(box.open(new Uint8Array(await readFile(file)))) as SavedSession;
        return typeof session.token === 'string' && typeof session.dossier === 'string' ? session : null;
      } catch {
        return null; // none kept, or sealed by another user or machine: log in again
      }
    },
    async save(session) {
      if (!box.isAvailable()) return memory.save(session);
      if (session === null) await rm(file, { force: true });
      else await writeDurably(file, box.seal(JSON.stringify(session)));
    },
  };
}
