/**
 * The last dossier the server answered, kept in the dossier's workspace folder, so that a
 * candidate who opens the app without network still sees the checklist and can prepare
 * documents (the send queue takes them to the server later). Wiped with the folder.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dossier } from '../../src-shared/contract';
import { dossierDir } from './workspace';

const FILE = 'dossier.json';

export class KeptDossiers {
  constructor(private readonly workspaceDir: string) {}

  async save(dossier: Dossier): Promise<void> {
    const dir = dossierDir(this.workspaceDir, dossier.dossier);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `${FILE}.tmp`);
    await writeFile(temp, JSON.stringify(dossier));
    await rename(temp, path.join(dir, FILE));
  }

  async load(number: string): Promise<Dossier | null> {
    try {
      const kept = JSON.parse(await readFile(path.join(dossierDir(this.workspaceDir, number), FILE), 'utf8')) as Dossier;
      return kept.dossier === number ? kept : null;
    } catch {
      return null;
    }
  }
}
