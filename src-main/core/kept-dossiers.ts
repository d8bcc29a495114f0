/**
 * The last dossier the server answered, kept in the dossier's workspace folder with the moment
 * it was read, so that a candidate who opens the app without network still sees the checklist
 * (and is told it is a copy from that moment) and can prepare documents (the send queue takes
 * them to the server later). Wiped with the folder.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dossier } from '../../src-shared/contract';
import { dossierDir } from './workspace';

const FILE = 'dossier.json';

export interface KeptDossier {
  dossier: Dossier;
  /** When the server answered it (ISO instant, this computer's clock). */
  readAt: string;
}

export class KeptDossiers {
  constructor(private readonly workspaceDir: string) {}

  async save(dossier: Dossier, readAt: Date): Promise<void> {
    const dir = dossierDir(this.workspaceDir, dossier.dossier);
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, `${FILE}.tmp`);
    const kept: KeptDossier = { dossier, readAt: readAt.toISOString() };
    await writeFile(temp, JSON.stringify(kept));
    await rename(temp, path.join(dir, FILE));
  }

  async load(number: string): Promise<KeptDossier | null> {
    try {
      const kept = JSON.parse(await readFile(path.join(dossierDir(this.workspaceDir, number), FILE), 'utf8')) as Partial<KeptDossier>;
      if (kept.dossier?.dossier !== number || typeof kept.readAt !== 'string') return null;
      return { dossier: kept.dossier, readAt: kept.readAt };
    } catch {
      return null;
    }
  }
}
