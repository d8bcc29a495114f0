/**
 * Seeds a data folder (or a PostgreSQL database) for the instruction benchmarks, straight
 * through the storage and blob layout the server uses, so that thousands of dossiers are ready
 * in seconds: documents' bytes as blob files, their rows, closures with real signed receipts.
 * Bundled by the benchmarks (esbuild) and run with plain node.
 */
import { randomBytes, createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { blobFile } from '../src-server/blobs';
import { receiptSigner } from '../src-server/receipts';
import { openPostgresStorage, type PostgresStorage } from '../src-server/storage/postgres';
import { openSqliteStorage } from '../src-server/storage/sqlite';
import type { Storage, StoredDocument } from '../src-server/storage/types';

export const PIECES = [
  { id: 'identite', label: "Pièce d'identité", required: true, lateAllowed: false, multiple: false },
  { id: 'diplome', label: 'Diplôme', required: true, lateAllowed: false, multiple: true },
  { id: 'etat-services', label: 'État des services', required: true, lateAllowed: true, multiple: true },
];

const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Nguyễn', 'Chevalier', 'Gauthier', 'Perrin', 'Faure', 'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry'];
const FIRST = ['Léa', 'Paul', 'Thi Mai', 'Zoé', 'Lucas', 'Chloé', 'Hugo', 'Inès', 'Louis', 'Jade', 'Gabriel', 'Éloïse', 'Arthur', 'Anaïs', 'Noé', 'Maëlle', 'Jules', 'Océane', 'Raphaël', 'Agathe', 'Adèle', 'Étienne', 'Hélène', 'Jérôme', 'Françoise', 'Amélie', 'Benoît', 'Cécile', 'Gaëlle', 'Loïc'];

export function candidates(n: number, prefix = 'B') {
  return Array.from({ length: n }, (_, i) => ({
    dossier: `${prefix}-${String(i).padStart(5, '0')}`,
    lastName: LAST[(i * 7) % LAST.length]!,
    firstName: FIRST[(i * 13) % FIRST.length]!,
    password: 'pw',
  }));
}

export function writeCampaign(file: string, id: string, people: ReturnType<typeof candidates>) {
  writeFileSync(
    file,
    JSON.stringify({
      id,
      title: `Banc ${id}`,
      organiser: 'Bench',
      closesOn: '2099-01-01',
      pieces: PIECES,
      candidates: people,
      staff: [{ login: 'instructeur1', role: 'instruction', password: 'pw' }],
    }),
  );
}

async function openStorage(dataDir: string, databaseUrl?: string): Promise<Storage> {
  mkdirSync(dataDir, { recursive: true });
  return databaseUrl ? openPostgresStorage(databaseUrl) : openSqliteStorage(path.join(dataDir, 'depot.sqlite'));
}

const rules = (campaignId: string) => ({
  campaignId,
  now: new Date(),
  deadline: new Date('2099-01-01T00:00:00Z'),
  lateAllowed: false,
  single: false,
});

/** `perDossier` documents of `bytes` random bytes each in every dossier, then every dossier closed. */
export async function seedExport(options: { dataDir: string; campaignId: string; people: ReturnType<typeof candidates>; bytes: number }) {
  const storage = await openStorage(options.dataDir);
  const signer = receiptSigner(options.dataDir);
  const blobs = path.join(options.dataDir, 'blobs');
  try {
    for (let start = 0; start < options.people.length; start += 100) {
      const batch = options.people.slice(start, start + 100);
      await Promise.all(
        batch.flatMap((person) =>
          PIECES.map(async (piece) => {
            const bytes = randomBytes(options.bytes);
            const id = randomUUID();
            const file = blobFile(blobs, id);
            mkdirSync(path.dirname(file), { recursive: true });
            writeFileSync(file, bytes);
            const doc: StoredDocument = {
              id,
              dossier: person.dossier,
              pieceId: piece.id,
              filename: `${piece.id}-${person.lastName}.pdf`,
              mediaType: 'application/pdf',
              bytes: bytes.length,
              sha256: createHash('sha256').update(bytes).digest('hex'),
              uploadedAt: new Date(),
              late: false,
            };
            await storage.addDocument(doc, rules(options.campaignId));
          }),
        ),
      );
      await Promise.all(
        batch.map((person) =>
          storage.closeDossier(person.dossier, {
            campaignId: options.campaignId,
            now: new Date(),
            deadline: new Date('2099-01-01T00:00:00Z'),
            blockingPieces: [],
            buildReceipt: (closedAt, documents) =>
              JSON.stringify(
                signer.sign({
                  version: 1,
                  campaignId: options.campaignId,
                  dossier: person.dossier,
                  lastName: person.lastName,
                  firstName: person.firstName,
                  closedAt: closedAt.toISOString(),
                  documents: documents.map((d) => ({ pieceId: d.pieceId, filename: d.filename, sha256: d.sha256, bytes: d.bytes })),
                }),
              ),
          }),
        ),
      );
    }
  } finally {
    await storage.close();
  }
}

/**
 * The list benchmark's state: every dossier indexed; half of them closed with one document per
 * piece (rows only: listing never reads bytes), one in twenty with a correction asked.
 */
export async function seedList(options: { dataDir: string; databaseUrl?: string; campaignId: string; people: ReturnType<typeof candidates> }) {
  const storage = await openStorage(options.dataDir, options.databaseUrl);
  try {
    await storage.indexDossiers(options.people.map((p) => ({ dossier: p.dossier, campaignId: options.campaignId, lastName: p.lastName, firstName: p.firstName })));
    for (let start = 0; start < options.people.length; start += 200) {
      const batch = options.people.slice(start, start + 200);
      await Promise.all(
        batch.map(async (person, k) => {
          const i = start + k;
          if (i % 2 === 1) return;
          for (const piece of PIECES)
            await storage.addDocument(
              {
                id: randomUUID(),
                dossier: person.dossier,
                pieceId: piece.id,
                filename: `${piece.id}.pdf`,
                mediaType: 'application/pdf',
                bytes: 1000,
                sha256: createHash('sha256').update(`${person.dossier}${piece.id}`).digest('hex'),
                uploadedAt: new Date(),
                late: false,
              },
              rules(options.campaignId),
            );
          await storage.closeDossier(person.dossier, {
            campaignId: options.campaignId,
            now: new Date(),
            deadline: new Date('2099-01-01T00:00:00Z'),
            blockingPieces: [],
            buildReceipt: () => '{}',
          });
          if (i % 20 === 0)
            await storage.reviewPiece(
              person.dossier,
              'identite',
              { decision: 'correction_requested', reason: 'Illisible', reviewedAt: new Date(), reviewer: 'instructeur1' },
              { campaignId: options.campaignId, expectedTag: null, tagOf: () => '' },
            );
        }),
      );
    }
    // What autovacuum does on its own a little after a bulk load: planner statistics, so the
    // measures are those of a database in service, not of the minute after the load.
    if ('pool' in storage) await (storage as PostgresStorage).pool.query('ANALYZE');
  } finally {
    await storage.close();
  }
}
