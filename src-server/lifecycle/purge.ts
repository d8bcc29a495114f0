/**
 * `purge --campaign ID --before DATE [--dry-run]` (api-contract.md 5.5): RGPD retention. Runs
 * against the data folder's SQLite file or DATABASE_URL, even while the server runs (one
 * transaction; SQLite waits for the server's writes). Refuses, removing nothing, a date that is
 * not a date or is in the future, and a campaign with no dossier in this database.
 */
import { existsSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { DateTime } from 'luxon';
import { formatParisTimestamp } from '../../src-shared/deadline';
import { formatSize } from '../../src-shared/format';
import { blobFile } from '../blobs';
import { openPostgresStorage } from '../storage/postgres';
import { openSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/types';
import { CommandRefused, type CommandOutput } from './output';

/** A day (its start in Paris, like the campaigns' deadlines) or an ISO 8601 instant with offset. */
export function parseBefore(text: string, now: Date): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone: 'Europe/Paris' }) : null;
  const instant = day ?? (/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? DateTime.fromISO(text, { setZone: true }) : null);
  if (!instant?.isValid)
    throw new CommandRefused(
      `Date invalide : « ${text} ». Indiquez une date AAAA-MM-JJ (début de journée, heure de Paris) ou un instant ISO 8601 avec son fuseau. Rien n'a été supprimé.`,
    );
  const before = instant.toJSDate();
  if (before.getTime() > now.getTime())
    throw new CommandRefused(
      `La date « ${text} » est dans le futur : une purge ne supprime que ce qui est plus ancien qu'une date passée. Rien n'a été supprimé.`,
    );
  return before;
}

/** The data folder's storage; never creates a database where there was none. */
export async function openExistingStorage(dataDir: string, databaseUrl: string | undefined): Promise<Storage> {
  if (databaseUrl) return openPostgresStorage(databaseUrl);
  const file = path.join(dataDir, 'depot.sqlite');
  if (!existsSync(file))
    throw new CommandRefused(`Aucune base de données dans ${path.resolve(dataDir)} (depot.sqlite absent) : vérifiez --data.`);
  return openSqliteStorage(file);
}

export async function purge(
  options: { campaign: string; before: string; dryRun: boolean; dataDir: string; databaseUrl?: string },
  out: CommandOutput,
  now = new Date(),
): Promise<void> {
  const before = parseBefore(options.before, now);
  const storage = await openExistingStorage(options.dataDir, options.databaseUrl);
  try {
    const report = await storage.purgeCampaign(options.campaign, before, options.dryRun);
    if (!report)
      throw new CommandRefused(
        `Campagne inconnue : « ${options.campaign} » n'a aucun dossier dans cette base. Rien n'a été supprimé.`,
      );
    // On disk the bytes go once their rows are gone: a crash in between leaves files the
    // server's start-up sweep removes, never a row without its bytes.
    if (!options.dryRun && !options.databaseUrl)
      for (const id of report.documentIds)
        await unlink(blobFile(path.join(options.dataDir, 'blobs'), id)).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
    out.print(
      options.dryRun
        ? "Simulation (--dry-run) : rien n'a été supprimé."
        : `Purge de la campagne « ${options.campaign} » faite.`,
    );
    out.print(
      `Campagne « ${options.campaign} » : ${report.dossiers} dossier(s). Avant le ${formatParisTimestamp(before)} (heure de Paris), ${options.dryRun ? 'seraient supprimés' : 'ont été supprimés'} :`,
    );
    out.print(`  documents : ${report.documentIds.length} (${formatSize(report.documentBytes)})`);
    out.print(`  sessions de candidats : ${report.sessions}`);
    out.print(`  appareils reconnus des candidats : ${report.deviceTokens}`);
    out.print(`  entrées du journal d'audit : ${report.auditEntries}`);
    out.print(`  avis d'instruction : ${report.reviews}`);
    out.print('Conservé : numéros de dossier, noms, dates de clôture, reçus signés et nombre de documents à la clôture.');
  } finally {
    await storage.close();
  }
}
