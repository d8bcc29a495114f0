/**
 * What every route needs, built once: storage, blob store, campaigns, receipt signer, clock,
 * password cost. `openContext` builds the default one (SQLite, bytes and receipt key in the data
 * folder) or, given a PostgreSQL URL, the one several servers share (everything in the
 * database; the data folder then only holds this server's uploads in flight).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BlobStore } from './blobs';
import { contentChecker, type ContentChecker } from './content-check';
import { PdfWorkerPool } from './pdf-workers';
import { CampaignRegistry, type CampaignSource } from './campaigns';
import { OWASP_SCRYPT, type ScryptCost } from './passwords';
import { receiptSigner, signerFromPem, type ReceiptSigner } from './receipts';
import { openPostgresStorage } from './storage/postgres';
import { PostgresBlobStore } from './storage/postgres-blobs';
import { sharedReceiptKeyPem } from './storage/postgres-receipt-key';
import { openSqliteStorage } from './storage/sqlite';
import type { Storage } from './storage/types';

export interface ServerContext {
  storage: Storage;
  blobs: BlobStore;
  campaigns: CampaignRegistry;
  signer: ReceiptSigner;
  now: () => Date;
  scryptCost: ScryptCost;
  checkContent: ContentChecker;
  /** Stops what the context started (PDF workers, open blob folders); the storage is closed separately. */
  dispose(): Promise<void>;
}

export interface ContextOptions {
  dataDir: string;
  campaignFiles?: string[];
  /** Campaigns given as values (tests). */
  campaignValues?: unknown[];
  demo?: boolean;
  now?: () => Date;
  scryptCost?: ScryptCost;
  /** Another storage (tests); SQLite in the data folder otherwise. */
  storage?: Storage;
  /**
   * The bundled script to run PDF checks in worker threads (pdf-worker.ts, or any script
   * that calls runPdfWorkerIfAsked() on start); checks run in the main thread without it.
   */
  pdfWorkerScript?: string;
  /** PostgreSQL (DATABASE_URL): storage, document bytes and receipt key shared by servers. */
  databaseUrl?: string;
}

async function openShared(databaseUrl: string, dataDir: string) {
  const storage = await openPostgresStorage(databaseUrl);
  try {
    return {
      storage,
      blobs: new PostgresBlobStore(path.join(dataDir, 'uploads'), storage.pool),
      signer: signerFromPem(await sharedReceiptKeyPem(storage.pool)),
    };
  } catch (err) {
    await storage.close();
    throw err;
  }
}

export async function openContext(options: ContextOptions): Promise<ServerContext> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const now = options.now ?? (() => new Date());
  const sources: CampaignSource[] = [
    ...(options.demo ? [{ kind: 'demo' as const, dataDir, now }] : []),
    ...(options.campaignFiles ?? []).map((p) => ({ kind: 'file' as const, path: path.resolve(p) })),
    ...(options.campaignValues ?? []).map((value) => ({ kind: 'object' as const, value })),
  ];
  const campaigns = new CampaignRegistry(sources);
  const { storage, blobs, signer } = options.databaseUrl
    ? await openShared(options.databaseUrl, dataDir)
    : {
        storage: options.storage ?? openSqliteStorage(path.join(dataDir, 'depot.sqlite')),
        blobs: new BlobStore(path.join(dataDir, 'blobs')),
        signer: receiptSigner(dataDir),
      };
  await blobs.sweep(await storage.allDocumentIds());
  await storage.indexDossiers(campaigns.identities());
  const pool = options.pdfWorkerScript ? new PdfWorkerPool(options.pdfWorkerScript) : null;
  return {
    storage,
    blobs,
    campaigns,
    signer,
    now,
    scryptCost: options.scryptCost ?? OWASP_SCRYPT,
    checkContent: contentChecker(pool),
    dispose: async () => {
      await Promise.all([pool?.close(), blobs.close()]);
    },
  };
}
