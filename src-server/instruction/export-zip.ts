/**
 * The exports for the jury (api-contract.md 5.3): one dossier, or every dossier of a campaign in
 * one state, as a ZIP streamed to the client while it is read. Each dossier holds its documents
 * as `PIECE-ID/FILENAME` (the exact stored bytes, stored uncompressed: PDF and JPEG are
 * compressed already), `manifest.csv` (SHA-256 of each), and once closed `recu.json` (the signed
 * receipt as first answered) and `accuse-de-cloture.pdf`.
 *
 * Library: yazl. It streams (the output is a readable stream with backpressure, entries written
 * in order), opens an entry's bytes only when its turn comes (`addReadStreamLazy`, so one blob
 * is open at a time however large the campaign), switches to ZIP64 by itself when a size, an
 * offset or the number of entries needs it, and writes UTF-8 names. It is small (one dependency,
 * a CRC-32), pure JavaScript (nothing to build on Node 20+), and kept by the author of yauzl.
 * archiver was the other candidate: it does as much but pulls in a dozen packages (glob,
 * readable-stream, lazystream...) for features we do not use.
 *
 * Memory: entries are added only while fewer than PENDING_ENTRIES wait to be written, so a
 * campaign's dossiers are read from the database page by page as the client reads the ZIP. What
 * grows with the campaign is only the ZIP's central directory, written at the end, which any ZIP
 * writer must keep: entries already written are reduced to their records (about a hundred bytes
 * each, see ./zip-central-directory), and each folder name a dossier took (to keep them unique).
 */
import { Readable } from 'node:stream';
import yazl from 'yazl';
import type { SignedReceipt } from '../../src-shared/contract';
import type { DossierListState } from '../../src-shared/instruction';
import { formatParisTimestamp } from '../../src-shared/deadline';
import type { CandidateAccount } from '../campaigns';
import type { ServerContext } from '../context';
import { csvText } from '../csv';
import { receiptPdf } from '../receipt-pdf';
import type { DossierRecord, StoredDocument } from '../storage/types';
import { CentralDirectoryCompactor } from './zip-central-directory';
import { safeSegment, UniqueNames } from './zip-names';

const PENDING_ENTRIES = 64;
const PAGE = 100;

interface Log {
  warn(payload: object, message: string): void;
}

class ExportStopped extends Error {}

/** One ZIP being written: entries added lazily, with backpressure on whoever adds them. */
class ZipExport {
  private readonly zip = new yazl.ZipFile();
  private readonly directory = new CentralDirectoryCompactor(this.zip);
  private added = 0;
  private started = 0;
  private room: (() => void) | null = null;
  private current: Readable | null = null;
  private finished = false;
  private stopped = false;
  readonly output: Readable;

  constructor(private readonly log: Log) {
    this.output = this.zip.outputStream as Readable;
    this.zip.on('error', (err: unknown) => this.fail(err));
    this.output.once('end', () => (this.finished = true));
    // The client went away (or the server is stopping): nothing more is read or kept.
    this.output.once('close', () => {
      if (!this.finished) this.stop();
    });
  }

  /** Adds an entry whose bytes are produced only when the ZIP reaches it. */
  add(name: string, options: { size?: number; compress: boolean; mtime: Date }, opener: () => Promise<Readable> | Readable): void {
    this.added++;
    // yazl keeps each entry's callback until the ZIP ends: what the opener holds (the document,
    // the manifest's text, the receipt) is let go once used, so only the entry's name and sizes
    // stay for the central directory.
    let pending: typeof opener | null = opener;
    this.zip.addReadStreamLazy(name, options, (callback) => {
      const open = pending!;
      pending = null;
      this.started++;
      // The entries before this one are written: only their central directory records stay.
      this.directory.compact();
      if (this.room && this.added - this.started < PENDING_ENTRIES / 2) this.release();
      if (this.stopped) return;
      Promise.resolve()
        .then(open)
        .then(
          (stream) => {
            if (this.stopped) {
              stream.destroy();
              return;
            }
            this.current = stream;
            callback(null, stream);
          },
          (err: unknown) => this.fail(err),
        );
    });
  }

  /** Resolves when few enough entries wait to be written; throws once the export stopped. */
  async waitForRoom(): Promise<void> {
    if (!this.stopped && this.added - this.started >= PENDING_ENTRIES)
      await new Promise<void>((resolve) => (this.room = resolve));
    if (this.stopped) throw new ExportStopped();
  }

  end(): void {
    if (!this.stopped) this.zip.end();
  }

  fail(err: unknown): void {
    if (err instanceof ExportStopped) return;
    this.log.warn({ err }, 'export stopped by an error');
    this.stop();
  }

  private release(): void {
    const resolve = this.room;
    this.room = null;
    resolve?.();
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.release();
    this.current?.destroy();
    if (!this.output.destroyed) this.output.destroy();
  }
}

const bufferStream = (bytes: Buffer | Uint8Array): Readable => Readable.from([Buffer.from(bytes)]);

/** Adds one dossier under `folder` ('' for a single dossier's ZIP, 'DOSSIER/' in a campaign's). */
function addDossier(
  exp: ZipExport,
  ctx: ServerContext,
  account: CandidateAccount,
  record: DossierRecord | null,
  documents: StoredDocument[],
  folder: string,
): void {
  const now = ctx.now();
  const names = new Map<string, UniqueNames>();
  const placed = documents.map((doc) => {
    const piece = safeSegment(doc.pieceId);
    const inPiece = names.get(piece) ?? new UniqueNames();
    names.set(piece, inPiece);
    return { doc, path: `${piece}/${inPiece.take(safeSegment(doc.filename))}` };
  });
  const manifest = csvText([
    ['pièce', 'fichier', 'octets', 'sha256', 'déposé le', 'en retard'],
    ...placed.map(({ doc, path }) => [
      doc.pieceId,
      path,
      String(doc.bytes),
      doc.sha256,
      formatParisTimestamp(doc.uploadedAt),
      doc.late ? 'oui' : 'non',
    ]),
  ]);
  exp.add(`${folder}manifest.csv`, { compress: true, mtime: now }, () => bufferStream(Buffer.from(manifest, 'utf8')));
  if (record?.receipt) {
    const receipt = record.receipt;
    const closedAt = record.closedAt ?? now;
    exp.add(`${folder}recu.json`, { compress: true, mtime: closedAt }, () => bufferStream(Buffer.from(receipt, 'utf8')));
    exp.add(`${folder}accuse-de-cloture.pdf`, { compress: true, mtime: closedAt }, async () =>
      bufferStream(await receiptPdf(JSON.parse(receipt) as SignedReceipt, account, ctx.signer.publicKey)),
    );
  }
  for (const { doc, path } of placed)
    exp.add(`${folder}${path}`, { size: doc.bytes, compress: false, mtime: doc.uploadedAt }, () => ctx.blobs.read(doc.id));
}

export async function dossierExport(ctx: ServerContext, account: CandidateAccount, log: Log): Promise<Readable> {
  const [record, documents] = await Promise.all([
    ctx.storage.getDossier(account.dossier),
    ctx.storage.listDocuments(account.dossier),
  ]);
  const exp = new ZipExport(log);
  addDossier(exp, ctx, account, record, documents, '');
  exp.end();
  return exp.output;
}

/**
 * Every dossier of `campaignId` in `state`, read page by page as the ZIP is consumed; `audit`
 * records each page's dossiers before their bytes are added.
 */
export function campaignExport(
  ctx: ServerContext,
  campaignId: string,
  state: DossierListState,
  audit: (dossiers: string[]) => Promise<void>,
  log: Log,
): Readable {
  const exp = new ZipExport(log);
  const folders = new UniqueNames();
  void (async () => {
    let after: string | null = null;
    for (;;) {
      const rows = await ctx.storage.listDossiers({ campaignIds: [campaignId], state, words: [], after, limit: PAGE });
      const accounts = rows.flatMap((row) => {
        const account = ctx.campaigns.candidate(row.dossier);
        return account && account.campaign.id === campaignId ? [account] : [];
      });
      if (accounts.length > 0) await audit(accounts.map((a) => a.dossier));
      for (const account of accounts) {
        await exp.waitForRoom();
        const [record, documents] = await Promise.all([
          ctx.storage.getDossier(account.dossier),
          ctx.storage.listDocuments(account.dossier),
        ]);
        addDossier(exp, ctx, account, record, documents, `${folders.take(safeSegment(account.dossier))}/`);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.dossier;
    }
    exp.end();
  })().catch((err: unknown) => exp.fail(err));
  return exp.output;
}
