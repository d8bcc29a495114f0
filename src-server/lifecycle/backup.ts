/**
 * `backup DIR` (api-contract.md 5.5): a consistent copy of a SQLite data folder while the server
 * runs. The database is copied with SQLite's online backup API (better-sqlite3 `backup`), which
 * gives one consistent state even while the server writes; then the bytes of every document
 * that state names are copied (documents are never changed once stored, only deleted). A
 * document deleted by its candidate between the two steps has no bytes left to copy: it is
 * dropped from the copy too, as if the copy had been taken a moment later, and counted.
 *
 * PostgreSQL keeps everything (documents' bytes included) in the database: back it up with
 * PostgreSQL's own tools instead (see POSTGRES_BACKUP_ADVICE).
 */
import { copyFile, mkdir, readdir, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { formatSize } from '../../src-shared/format';
import { blobFile } from '../blobs';
import { CommandRefused, type CommandOutput } from './output';

export const POSTGRES_BACKUP_ADVICE =
  "En mode PostgreSQL (DATABASE_URL), tout est dans la base, documents compris : sauvegardez-la avec les outils de PostgreSQL, par exemple « pg_dump --format=custom --file=depot.dump BASE » (copie cohérente, serveurs en marche) ou une sauvegarde continue (pg_basebackup et archivage des WAL). Le dossier --data de chaque serveur ne contient que des envois en cours. Rien n'a été copié.";

/** Files of the data folder that a restore needs besides the database and the blobs. */
const KEPT_FILES = ['receipt-key.pem', 'demo-first-load.json'];

async function emptyTarget(dir: string): Promise<void> {
  if (existsSync(dir) && (await readdir(dir)).length > 0)
    throw new CommandRefused(`Le dossier ${path.resolve(dir)} n'est pas vide : choisissez un dossier neuf pour la sauvegarde. Rien n'a été copié.`);
  await mkdir(path.join(dir, 'blobs'), { recursive: true });
}

export async function backup(
  options: { target: string; dataDir: string; databaseUrl?: string },
  out: CommandOutput,
): Promise<void> {
  if (options.databaseUrl) throw new CommandRefused(POSTGRES_BACKUP_ADVICE);
  const source = path.join(options.dataDir, 'depot.sqlite');
  if (!existsSync(source))
    throw new CommandRefused(`Aucune base de données dans ${path.resolve(options.dataDir)} (depot.sqlite absent) : vérifiez --data. Rien n'a été copié.`);
  await emptyTarget(options.target);

  const copyPath = path.join(options.target, 'depot.sqlite');
  const live = new Database(source, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 5000');
    await live.backup(copyPath);
    const copy = new Database(copyPath);
    try {
      const documents = copy.prepare<[], { id: string; bytes: number }>('SELECT id, bytes FROM documents').all();
      const stillLive = live.prepare<[string], { id: string }>('SELECT id FROM documents WHERE id = ?');
      const dropFromCopy = copy.prepare('DELETE FROM documents WHERE id = ?');
      let copied = 0;
      let bytes = 0;
      let dropped = 0;
      for (const doc of documents) {
        const target = blobFile(path.join(options.target, 'blobs'), doc.id);
        await mkdir(path.dirname(target), { recursive: true });
        try {
          await copyFile(blobFile(path.join(options.dataDir, 'blobs'), doc.id), target);
          copied++;
          bytes += doc.bytes;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || stillLive.get(doc.id)) throw err;
          dropFromCopy.run(doc.id);
          dropped++;
        }
      }
      const dossiers = copy.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM dossiers').get()!.n;
      for (const name of KEPT_FILES) {
        const from = path.join(options.dataDir, name);
        if (!existsSync(from)) continue;
        await copyFile(from, path.join(options.target, name));
        if (name === 'receipt-key.pem') await chmod(path.join(options.target, name), 0o600);
      }
      out.print(`Sauvegarde écrite dans ${path.resolve(options.target)} :`);
      out.print(`  base de données : ${dossiers} dossier(s), ${copied} document(s) (copie cohérente, sauvegarde en ligne de SQLite)`);
      out.print(`  fichiers des documents : ${copied} (${formatSize(bytes)})`);
      if (dropped > 0) out.print(`  ${dropped} document(s) supprimé(s) par leur candidat pendant la copie, retiré(s) de la copie`);
      out.print(
        existsSync(path.join(options.target, 'receipt-key.pem'))
          ? '  clé de signature des reçus (receipt-key.pem, à garder aussi secrète que les documents)'
          : '  pas de clé de signature des reçus dans le dossier de données',
      );
      out.print(`Vérifiez la copie avec : npm run server -- verify ${options.target}`);
    } finally {
      copy.close();
    }
  } finally {
    live.close();
  }
}
