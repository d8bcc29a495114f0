/**
 * The workspace on this computer: one folder per dossier (its send queue: journal and files
 * waiting to go, its receipt), so that wiping one candidate's traces is removing one folder.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

/** A folder name for a dossier number: kept readable when it is plain, hashed otherwise. */
export function dossierFolderName(dossier: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(dossier)) return dossier;
  return 'd-' + createHash('sha256').update(dossier).digest('hex').slice(0, 32);
}

export function dossierDir(workspaceDir: string, dossier: string): string {
  return path.join(workspaceDir, 'dossiers', dossierFolderName(dossier));
}
