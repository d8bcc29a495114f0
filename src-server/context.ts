/**
 * What every route needs, built once: storage, blob store, campaigns, receipt signer, clock,
 * password cost. `openContext` builds the default one (SQLite in the data folder).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BlobStore } from './blobs';
import { contentChecker, type ContentChecker } from './content-check';
import { PdfWorkerPool } from './pdf-workers';
import { CampaignRegistry, type CampaignSource } from './campaigns';
import { OWASP_SCRYPT, type ScryptCost } from './passwords';
import { receiptSigner, type ReceiptSigner } from './receipts';
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
  /** Stops what the context started (PDF workers); the storage is closed separately. */
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
  /** Another storage (PostgreSQL); SQLite in the data folder otherwise. */
  storage?: Storage;
  /**
   * The bundled script to run PDF checks in worker threads (it must call
   * runPdfWorkerIfAsked() on start); checks run in the main thread without it.
   */
  pdfWorkerScript?: string;
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
  const storage = options.storage ?? openSqliteStorage(path.join(dataDir, 'depot.sqlite'));
  const blobs = new BlobStore(path.join(dataDir, 'blobs'));
  await blobs.sweep(await storage.allDocumentIds());
  const pool = options.pdfWorkerScript ? new PdfWorkerPool(options.pdfWorkerScript) : null;
  return {
    storage,
    blobs,
    campaigns,
    signer: receiptSigner(dataDir),
    now,
    scryptCost: options.scryptCost ?? OWASP_SCRYPT,
    checkContent: contentChecker(pool),
    dispose: async () => {
      await pool?.close();
    },
  };
}
