/**
 * Documents waiting in the send queue of a dossier that is not open (its candidate logged out
 * before they left): they go at that candidate's next login, so the counter's wipe must count
 * them as unsent too. The queue keeps each waiting document as one file in its dossier's outbox.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { dossierFolderName } from '../workspace';

export async function unsentElsewhere(workspaceDir: string, openDossier: string | null): Promise<number> {
  const root = path.join(workspaceDir, 'dossiers');
  const open = openDossier === null ? null : dossierFolderName(openDossier);
  const folders = await readdir(root).catch(() => [] as string[]);
  let count = 0;
  for (const folder of folders) {
    if (folder === open) continue;
    const outbox = await readdir(path.join(root, folder, 'outbox')).catch(() => [] as string[]);
    count += outbox.filter((name) => name.endsWith('.bin')).length;
  }
  return count;
}
