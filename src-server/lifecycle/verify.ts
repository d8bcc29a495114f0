/**
 * `verify DIR` (api-contract.md 5.5): re-hashes every document of a copy (a backup, or a data
 * folder) against the size and SHA-256 its database recorded. Exit 0 when all match, 1 otherwise,
 * with each damaged or missing document named.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { formatSize } from '../../src-shared/format';
import { blobFile } from '../blobs';
import { CommandRefused, type CommandOutput } from './output';

async function digestOf(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    createReadStream(file),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done();
      },
    }),
  );
  return { sha256: hash.digest('hex'), bytes };
}

/** Answers true when every document matches. */
export async function verify(options: { dir: string }, out: CommandOutput): Promise<boolean> {
  const file = path.join(options.dir, 'depot.sqlite');
  if (!existsSync(file))
    throw new CommandRefused(`Aucune base de données dans ${path.resolve(options.dir)} (depot.sqlite absent) : ce n'est pas une sauvegarde.`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let documents: { id: string; dossier: string; piece_id: string; bytes: number; sha256: string }[];
  try {
    documents = db.prepare<[], (typeof documents)[number]>('SELECT id, dossier, piece_id, bytes, sha256 FROM documents ORDER BY dossier, id').all();
  } finally {
    db.close();
  }
  let good = 0;
  let bytes = 0;
  const problems: string[] = [];
  for (const doc of documents) {
    const where = `dossier ${doc.dossier}, pièce ${doc.piece_id}, document ${doc.id}`;
    try {
      const found = await digestOf(blobFile(path.join(options.dir, 'blobs'), doc.id));
      if (found.bytes !== doc.bytes || found.sha256 !== doc.sha256)
        problems.push(`ALTÉRÉ : ${where} (${found.bytes} octets, SHA-256 ${found.sha256} ; attendu ${doc.bytes} octets, ${doc.sha256})`);
      else {
        good++;
        bytes += found.bytes;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      problems.push(`ABSENT : ${where}`);
    }
  }
  for (const line of problems) out.print(line);
  out.print(
    `${documents.length} document(s) vérifié(s) dans ${path.resolve(options.dir)} : ${good} intact(s) (${formatSize(bytes)}), ${problems.length} problème(s).`,
  );
  return problems.length === 0;
}
