/**
 * The SecretBox of the desktop: Electron safeStorage (DPAPI on Windows, the Keychain on macOS,
 * the Secret Service on Linux). On Linux without a keyring safeStorage falls back to a
 * hard-coded key ('basic_text'), which is plain text in all but name: treated as unavailable.
 */
import type { SafeStorage } from 'electron';
import type { SecretBox } from '../core/session-keeper';

export function safeStorageBox(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  getSelectedStorageBackend?: () => string;
}): SecretBox {
  return {
    isAvailable: () =>
      safeStorage.isEncryptionAvailable() &&
      (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend?.() !== 'basic_text'),
    seal: (plain) => new Uint8Array(safeStorage.encryptString(plain)),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed)),
  };
}
