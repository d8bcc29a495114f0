/** The desktop's "save as": the system dialog, in the Documents folder, then a durable write. */
import type { BrowserWindow, Dialog } from 'electron';
import path from 'node:path';
import { writeDurably } from '../core/durable-file';

export function saveWithDialog(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  parent: () => BrowserWindow | null,
  documentsDir: string,
): (suggestedName: string, bytes: Uint8Array) => Promise<boolean> {
  return async (suggestedName, bytes) => {
    const options = {
      title: 'Enregistrer le document',
      defaultPath: path.join(documentsDir, path.basename(suggestedName)),
      filters: [{ name: 'Document PDF', extensions: ['pdf'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
    };
    const window = parent();
    const { canceled, filePath } = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (canceled || !filePath) return false;
    await writeDurably(filePath, bytes);
    return true;
  };
}
