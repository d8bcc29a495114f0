/**
 * The durable send queue (design.md section 6): a document the candidate sends is first kept
 * in the dossier's workspace folder (its bytes in outbox/, its state in the journal), then
 * sent; it stays there until the server confirms it, across network drops and restarts.
 * Retries are safe: the server answers the same document for the same bytes and piece.
 *
 * One attempt at a time per dossier (the same item is never in flight twice); transient
 * failures (no network, 408/429/5xx) wait with exponential backoff and jitter, honouring
 * Retry-After; other refusals are final and shown with their reason; an expired session
 * pauses the queue until the next login.
 */
import { exponentialDelay } from 'axios-retry';
import { mkdirSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { QueueItem, QueueView } from '../../src-shared/assistant-api';
import type { DocumentInfo } from '../../src-shared/contract';
import { AppError, toErrorInfo, type ErrorCode } from '../../src-shared/errors';
import { errorFields, type Logger } from '../../src-shared/log';
import { writeDurably } from './durable-file';
import { UploadJournal, type NewItem } from './upload-journal';
import { dossierDir } from './workspace';

/** Failures that may pass by themselves: the item stays pending and is tried again. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['network_unavailable', 'overloaded', 'internal_error', 'too_many_attempts']);
/** Failures that a new login cures: the queue pauses, nothing is counted against the item. */
const NEEDS_LOGIN: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['unauthenticated', 'not_logged_in']);

export type Outcome = 'sent' | 'retry' | 'refused' | 'paused';

export function classify(error: unknown): Outcome {
  const code = error instanceof AppError ? error.code : 'internal_error';
  if (NEEDS_LOGIN.has(code)) return 'paused';
  return TRANSIENT.has(code) ? 'retry' : 'refused';
}

export interface UploadQueueOptions {
  workspaceDir: string;
  upload(item: QueueItem, bytes: Uint8Array): Promise<DocumentInfo>;
  onChange?(view: QueueView): void;
  /** Where a pass started in the background says it failed (nobody awaits it). */
  log?: Logger;
  now?: () => Date;
  /** First retry delay; doubles each attempt (with 0-20 % jitter) up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Sent items are listed this long (the dossier view shows them afterwards). */
  keepSentMs?: number;
}

export class UploadQueue {
  private journal: UploadJournal | null = null;
  private folder = '';
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private paused = false;
  private readonly now: () => Date;

  constructor(private readonly options: UploadQueueOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get dossier(): string | null {
    return this.journal?.dossier ?? null;
  }

  /** Opens a dossier's queue (at login, or at start with a kept session) and resumes it. */
  async open(dossier: string): Promise<void> {
    if (this.journal?.dossier === dossier) {
      this.paused = false;
      this.kick();
      return;
    }
    await this.close();
    this.folder = dossierDir(this.options.workspaceDir, dossier);
    mkdirSync(path.join(this.folder, 'outbox'), { recursive: true });
    this.journal = new UploadJournal(path.join(this.folder, 'queue.sqlite'), dossier);
    this.paused = false;
    await this.exclusive(() => this.repair());
    this.changed();
    this.kick();
  }

  /** Stops sending for the current dossier (logout, quit); what is pending stays on disk. */
  async close(): Promise<void> {
    this.stopTimer();
    const journal = this.journal;
    this.journal = null;
    // Waits for the work under way; its failure was answered to whoever asked for it.
    await this.chain.catch(() => undefined);
    journal?.close();
  }

  /** Keeps a document for sending: its bytes first, durably, then its journal entry. Repeats change nothing. */
  async enqueue(item: NewItem, bytes: Uint8Array): Promise<QueueItem> {
    const journal = this.requireJournal();
    const existing = journal.get(item.id);
    if (existing) return existing;
    await writeDurably(this.outboxFile(item.id), bytes);
    journal.add(item, this.now());
    this.changed();
    return journal.get(item.id)!;
  }

  /** Tries one item now (if still pending) and answers its state afterwards. */
  sendNow(id: string): Promise<QueueItem> {
    return this.exclusive(async () => {
      const journal = this.requireJournal();
      const item = journal.get(id);
      if (!item) throw new AppError('not_found');
      if (item.state === 'pending' && !this.paused) await this.attempt(journal, item);
      this.schedule();
      return journal.get(id)!;
    });
  }

  /** Makes every pending item due and tries them all now; answers the view afterwards. */
  async retryAll(): Promise<QueueView> {
    const journal = this.journal;
    if (journal) {
      this.paused = false;
      journal.dueNow(this.now());
      await this.drain();
    }
    return this.view();
  }

  /** Tries every due item once (in the order they were queued), then plans the next pass. */
  drain(): Promise<void> {
    return this.exclusive(async () => {
      this.stopTimer();
      const journal = this.journal;
      if (!journal) return;
      for (const item of journal.pending()) {
        if (this.paused || this.journal !== journal) return;
        if (item.nextAttemptAt && new Date(item.nextAttemptAt) > this.now()) continue;
        await this.attempt(journal, item);
      }
      this.schedule();
    });
  }

  /** Starts a pass soon, without waiting for it. */
  kick(): void {
    // Each item's outcome is in the journal; what fails here is the pass itself (the journal, the disk).
    void this.drain().catch((error: unknown) => this.options.log?.warn('queue.pass_failed', errorFields(error)));
  }

  view(): QueueView {
    const items = this.journal?.list() ?? [];
    return { dossier: this.dossier, items, pending: items.filter((i) => i.state === 'pending').length };
  }

  pendingCount(): number {
    return this.journal?.pending().length ?? 0;
  }

  /** Forgets a refused or sent item; a pending one is still on its way and cannot be. */
  dismiss(id: string): Promise<QueueView> {
    return this.exclusive(async () => {
      const journal = this.requireJournal();
      const item = journal.get(id);
      if (!item) throw new AppError('not_found');
      if (item.state === 'pending') throw new AppError('upload_in_progress');
      journal.remove(id);
      await rm(this.outboxFile(id), { force: true });
      this.changed();
      return this.view();
    });
  }

  private async attempt(journal: UploadJournal, item: QueueItem): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.outboxFile(item.id)));
    } catch {
      journal.markRefused(item.id, new AppError('prepared_not_found').toInfo());
      this.changed();
      return;
    }
    try {
      const document = await this.options.upload(item, bytes);
      journal.markSent(item.id, document);
      await rm(this.outboxFile(item.id), { force: true });
    } catch (error) {
      const outcome = classify(error);
      if (outcome === 'paused') {
        this.paused = true;
        journal.markWaiting(item.id, toErrorInfo(error));
        this.changed();
        return;
      }
      if (outcome === 'refused') {
        journal.markRefused(item.id, toErrorInfo(error));
        await rm(this.outboxFile(item.id), { force: true });
      } else {
        journal.markRetry(item.id, toErrorInfo(error), new Date(this.now().getTime() + this.delay(item.attempts, error)));
      }
    }
    this.changed();
  }

  private delay(attempts: number, error: unknown): number {
    const base = this.options.baseDelayMs ?? 2000;
    const max = this.options.maxDelayMs ?? 60_000;
    const retryAfter = error instanceof AppError && typeof error.extra?.retryAfter === 'number' ? error.extra.retryAfter * 1000 : 0;
    return Math.max(Math.min(exponentialDelay(attempts, undefined, base), max), retryAfter);
  }

  private schedule(): void {
    this.stopTimer();
    if (this.paused || !this.journal) return;
    const next = this.journal
      .pending()
      .map((i) => (i.nextAttemptAt ? new Date(i.nextAttemptAt).getTime() : 0))
      .sort((a, b) => a - b)[0];
    if (next === undefined) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, next - this.now().getTime()));
    // A waiting retry must not keep a command or a test process alive on its own.
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** After a kill: bytes written without their journal entry are dropped (the prepared copy is still there). */
  private async repair(): Promise<void> {
    const journal = this.requireJournal();
    const known = new Set(journal.list().map((i) => i.id));
    const retention = this.options.keepSentMs ?? 24 * 3600_000;
    journal.pruneSent(new Date(this.now().getTime() - retention));
    for (const name of await readdir(path.join(this.folder, 'outbox')).catch(() => [] as string[])) {
      const id = name.replace(/\.bin$/, '');
      const item = known.has(id) ? journal.get(id) : undefined;
      if (!item || item.state !== 'pending') await rm(path.join(this.folder, 'outbox', name), { force: true });
    }
  }

  private outboxFile(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('prepared_not_found');
    return path.join(this.folder, 'outbox', `${id}.bin`);
  }

  private requireJournal(): UploadJournal {
    if (!this.journal) throw new AppError('not_logged_in');
    return this.journal;
  }

  private changed(): void {
    // An attempt still running when the queue was closed (logout) ends after it: the empty view
    // of a closed queue would read as "everything sent" and send the UI to read the dossier.
    if (!this.journal) return;
    this.options.onChange?.(this.view());
  }

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }
}
