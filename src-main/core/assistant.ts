/**
 * The assistant API implementation (the methods of src-shared/assistant-api.ts), free of
 * Electron: the desktop shell and the browser host both serve this same object.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { AssistantImpl, DossierView, PreparedDocument, StoredReceipt } from '../../src-shared/assistant-api';
import type { DocumentInfo, Dossier, ReceiptKey, SignedReceipt } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { ApiClient } from './api-client';
import { createCounter, type Counter } from './counter/counter';
import { unsentElsewhere } from './counter/pending';
import { checkSettingsChange } from './counter/settings-guard';
import {
  MemoryCounterSettings,
  sharedCounterSettings,
  type CounterSettings,
  type CounterSettingsStore,
} from './counter/settings';
import { createEngine, type Engine } from '../../src-engine';
import { DeadlineReminders, type Clock, type Reminder } from './deadline-reminders';
import { createEventHub, type EventHub } from './events';
import { PreparedStore } from './prepared-store';
import { ReceiptStore, verifyReceipt } from './receipt-store';
import { memorySessionKeeper, type SessionKeeper } from './session-keeper';
import { memorySettingsStore, updateSettings, type SettingsStore } from './settings';
import { SourceStore } from './source-store';
import { classify, UploadQueue } from './upload-queue';
import { KeptDossiers } from './kept-dossiers';
import { updateMethods, type Busy, type UpdateService } from './updates';
import { dossierDir } from './workspace';

/** Chosen files and prepared documents left by an earlier run are removed after this long. */
const LEFTOVER_MS = 24 * 3600_000;

export interface AssistantOptions {
  apiUrl: string;
  /** Where this computer keeps its working files (chosen files, prepared documents, one folder per dossier). */
  workspaceDir: string;
  /** The document engine (by default one in its own process, started on first use). */
  engine?: Engine;
  /** Where the assistant's events go (engine progress, queue changes); the shells forward them. */
  events?: EventHub;
  /** Where the session is kept between runs (default: memory only). */
  sessions?: SessionKeeper;
  /** Retry timing of the send queue (tests shorten it). */
  queue?: { baseDelayMs?: number; maxDelayMs?: number };
  apiTimeoutMs?: number;
  /**
   * Asks the person where to save a file and writes it (the desktop's save dialog); answers
   * false when they cancel. Without it, files are handed to the UI to download.
   */
  saveFile?: (suggestedName: string, bytes: Uint8Array) => Promise<boolean>;
  /** Shows a reminder before the deadline as a system notification (the desktop shell). */
  notify?: (reminder: Reminder) => void;
  /** Where settings live (default: memory). */
  settings?: SettingsStore;
  /** The clock of the reminders (tests give a fake one). */
  clock?: Clock;
  /** The desktop app's own updates (none in the browser host). */
  updates?: UpdateService;
  /** Counter mode (help desk): where its settings live, what `--counter` set, what the shell clears at a wipe. */
  counter?: { settings?: CounterSettingsStore; overrides?: Partial<CounterSettings>; onWipe?: () => Promise<void> };
}

export interface Assistant extends AssistantImpl {
  /** Resolves once a kept session is taken up and its queue resumed. */
  ready: Promise<void>;
  /** Stops the queue and the engine (quit). */
  shutdown(): Promise<void>;
  /** Stops the counter's clock and folder watch (quit). */
  close: Counter['close'];
  /** What an update must not interrupt now: a document being sent, or the closure. */
  busy(): Busy;
}

export function createAssistant(options: AssistantOptions): Assistant {
  const api = new ApiClient({ baseUrl: options.apiUrl, timeoutMs: options.apiTimeoutMs });
  const prepared = new PreparedStore(path.join(options.workspaceDir, 'prepared'));
  const sources = new SourceStore(path.join(options.workspaceDir, 'sources'));
  const engine = options.engine ?? createEngine();
  const events = options.events ?? createEventHub();
  const sessions = options.sessions ?? memorySessionKeeper();
  const settings = options.settings ?? memorySettingsStore();
  const queue = new UploadQueue({
    workspaceDir: options.workspaceDir,
    upload: (item, bytes) =>
      api.upload(item.pieceId, { filename: item.filename, mediaType: item.mediaType, bytes }),
    onChange: (view) => events.emit('queueChanged', view),
    ...options.queue,
  });
  let dossier: Dossier | null = null;
  const keptDossiers = new KeptDossiers(options.workspaceDir);
  const reminders = new DeadlineReminders((reminder) => {
    events.emit('reminder', reminder);
    options.notify?.(reminder);
  }, options.clock);

  /** Plans the reminders from the server's clock (offset measured over one round trip). */
  async function planReminders(current: Dossier): Promise<void> {
    if (current.state === 'closed') return reminders.cancel();
    const sentAt = Date.now();
    const { now } = await api.time();
    const serverOffsetMs = new Date(now).getTime() - (sentAt + Date.now()) / 2;
    reminders.plan({
      closesAt: new Date(current.campaign.closesAt),
      timeZone: current.campaign.timeZone,
      closed: false,
      serverOffsetMs,
    });
  }

  const ready = (async () => {
    const olderThan = new Date(Date.now() - LEFTOVER_MS);
    await Promise.all([prepared.sweep(olderThan), sources.sweep(olderThan)]).catch(() => undefined);
    const kept = await sessions.load().catch(() => null);
    if (kept && new Date(kept.expiresAt).getTime() > Date.now()) {
      api.restore(kept.token);
      await queue.open(kept.dossier);
      // Reminders need the deadline: read when the server answers (offline, at the next refresh).
      void refreshDossier().catch(() => undefined);
    }
  })();

  async function requireLogin(): Promise<void> {
    await ready;
    if (!api.loggedIn) throw new AppError('not_logged_in');
  }

  async function refreshDossier(): Promise<DossierView> {
    await requireLogin();
    try {
      const current = await api.dossier();
      dossier = current;
      void planReminders(current).catch(() => undefined);
      await keptDossiers.save(current, new Date()).catch(() => undefined);
      return { ...current, offlineCopy: null };
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthenticated') await forgetSession();
      // Offline, the last dossier read lets the candidate go on preparing documents; the
      // queue sends them once the server answers again. The UI says it is a copy, and from when.
      const kept =
        error instanceof AppError && error.code === 'network_unavailable' && queue.dossier
          ? await keptDossiers.load(queue.dossier)
          : null;
      if (!kept) throw error;
      dossier = kept.dossier;
      return { ...kept.dossier, offlineCopy: { readAt: kept.readAt } };
    }
  }

  async function forgetSession(): Promise<void> {
    dossier = null;
    reminders.cancel();
    await sessions.save(null).catch(() => undefined);
  }

  function receipts(): ReceiptStore {
    const number = queue.dossier ?? dossier?.dossier;
    if (!number) throw new AppError('not_logged_in');
    return new ReceiptStore(dossierDir(options.workspaceDir, number), path.join(options.workspaceDir, 'receipt-keys.json'));
  }

  /** The key a receipt names: as first seen on this computer, else asked to the server and remembered. */
  async function keyFor(store: ReceiptStore, keyId: string): Promise<ReceiptKey | null> {
    const known = await store.knownKey(keyId);
    if (known) return known;
    const key = await api.receiptKey().catch(() => null);
    if (!key || key.keyId !== keyId) return null;
    await store.rememberKey(key);
    return key;
  }

  /** Checks a receipt from the server and keeps it (with its PDF) when it is genuine. */
  async function keepReceipt(signed: SignedReceipt): Promise<StoredReceipt> {
    const store = receipts();
    const key = await keyFor(store, signed.keyId);
    const verified = key !== null && verifyReceipt(signed, key);
    if (verified) {
      await store.saveReceipt(signed);
      await api
        .receiptPdf()
        .then((pdf) => store.savePdf(pdf))
        .catch(() => undefined); // asked again when the person saves it
    }
    return { ...signed, verified };
  }

  async function keptReceipt(): Promise<StoredReceipt | null> {
    const store = receipts();
    const signed = await store.receipt();
    if (!signed) return null;
    const key = await store.knownKey(signed.keyId);
    return { ...signed, verified: key !== null && verifyReceipt(signed, key) };
  }

  const sending = new Map<string, Promise<DocumentInfo>>();
  let closing = 0;
  const counter = createCounter({
    apiUrl: options.apiUrl,
    settings: sharedCounterSettings(settings, options.counter?.settings ?? new MemoryCounterSettings()),
    overrides: options.counter?.overrides,
    onWipe: options.counter?.onWipe,
    // Everything under the workspace belongs to the current candidate (queue, receipt, sealed session).
    candidateFolders: [options.workspaceDir],
    candidate: {
      async pendingSends() {
        await ready;
        const open = Math.max(sending.size, queue.pendingCount());
        return open + (await unsentElsewhere(options.workspaceDir, queue.dossier));
      },
      async forget() {
        await ready;
        await api.logout().catch(() => {});
        await forgetSession();
        // The journal is a database file held open: closed before its folder is removed.
        await queue.close();
      },
      flush: async () => (queue.dossier && api.loggedIn ? queue.retryAll() : null),
    },
  });
  async function send(preparedId: string): Promise<DocumentInfo> {
    await requireLogin();
    let item = queue.view().items.find((i) => i.id === preparedId);
    if (!item) {
      const { doc, bytes, sourceId } = await prepared.get(preparedId);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      item = await queue.enqueue(
        {
          id: doc.id,
          pieceId: doc.pieceId,
          filename: doc.filename,
          mediaType: doc.mediaType,
          bytes: bytes.byteLength,
          sha256,
        },
        bytes,
      );
      // The queue holds its own durable copy now: the working files can go.
      await prepared.remove(preparedId);
      if (sourceId) await sources.remove(sourceId).catch(() => undefined);
    }
    const after = await queue.sendNow(item.id);
    if (after.state === 'sent' && after.document) {
      return after.document;
    }
    if (after.state === 'refused' && after.error) throw new AppError(after.error.code, after.error.message);
    // Kept in the queue either way; an expired session needs the person, not the network.
    if (after.error?.code === 'unauthenticated') {
      await forgetSession();
      throw new AppError('unauthenticated');
    }
    throw new AppError('upload_queued');
  }

  return {
    ready,
    busy: () => (sending.size > 0 || queue.uploading ? 'send' : closing > 0 ? 'closure' : null),
    ...updateMethods(options.updates),
    async shutdown() {
      reminders.cancel();
      await counter.close();
      await queue.close();
      await engine.close();
    },

    getServerTime: () => api.time(),
    getSettings: async () => settings.read(),
    async updateSettings(patch) {
      checkSettingsChange(patch, settings.read(), await counter.counterStatus());
      return updateSettings(settings, patch);
    },
    listCampaigns: () => api.campaigns(),

    async login({ dossier: number, password }) {
      await ready;
      const session = await api.login(number.trim(), password);
      const current = await refreshDossier();
      await sessions.save({
        dossier: current.dossier,
        token: session.token,
        expiresAt: session.expiresAt,
      });
      await queue.open(current.dossier);
      return current;
    },

    async logout() {
      await ready;
      await api.logout().catch(() => {});
      await forgetSession();
      // What is still pending stays on this computer and goes at the next login.
      await queue.close();
      return null;
    },

    getDossier: () => refreshDossier(),

    async inspectFiles({ files }) {
      const pages = await engine.inspect(files, (done, total) =>
        events.emit('progress', { operation: 'inspect', done, total }),
      );
      return { sourceId: await sources.save(files), pages };
    },

    async prepareDocument({ pieceId, sourceId, pages }) {
      // Offline, the dossier read at login still says which pieces there are and their limits.
      const current = dossier ?? (await refreshDossier());
      const piece = current.pieces.find((p) => p.id === pieceId);
      if (!piece) throw new AppError('piece_not_found');
      const files = await sources.load(sourceId);
      const result = await engine.normalise(
        { files, to: 'auto', maxBytes: piece.maxBytes, pages },
        (done, total) => events.emit('progress', { operation: 'prepare', done, total }),
      );
      const doc: Omit<PreparedDocument, 'id'> = {
        pieceId,
        filename: result.filename,
        mediaType: result.mediaType,
        bytes: result.bytes.byteLength,
        pages: result.pages,
        summary: result.summary,
      };
      return prepared.save(doc, result.bytes, sourceId);
    },

    async discardPrepared({ preparedId }) {
      await prepared.remove(preparedId);
      return null;
    },

    sendPrepared({ preparedId }) {
      // The same send asked twice at once (a double click) is one send.
      const running = sending.get(preparedId);
      if (running) return running;
      const run = send(preparedId).finally(() => sending.delete(preparedId));
      sending.set(preparedId, run);
      return run;
    },

    async getDocumentContent({ documentId }) {
      await requireLogin();
      const find = (d: Dossier | null) =>
        d?.pieces.flatMap((p) => p.documents).find((doc) => doc.id === documentId);
      const known = find(dossier) ?? find(await refreshDossier().catch(() => null));
      const { bytes, mediaType } = await api.content(documentId);
      return { filename: known?.filename ?? 'document', mediaType, bytes };
    },

    async deleteDocument({ documentId }) {
      await requireLogin();
      await api.deleteDocument(documentId);
      return null;
    },

    async closeDossier() {
      await requireLogin();
      // Closing with documents still on this computer would close without them.
      if (queue.pendingCount() > 0) await queue.retryAll();
      if (queue.pendingCount() > 0) throw new AppError('uploads_pending');
      closing += 1;
      const closure = await api.close().finally(() => (closing -= 1)).catch((error: unknown) => {
        // The closure is recorded by the server alone: without it, say so rather than blame a file.
        throw error instanceof AppError && error.code === 'network_unavailable' ? new AppError('close_needs_connection') : error;
      });
      reminders.cancel();
      await keepReceipt(closure.receipt).catch(() => undefined);
      return closure;
    },

    async getReceipt() {
      await requireLogin();
      try {
        return await keepReceipt(await api.receipt());
      } catch (error) {
        // Offline (or the server overloaded): the receipt kept here still proves the closure.
        const kept = classify(error) === 'retry' ? await keptReceipt() : null;
        if (kept) return kept;
        throw error;
      }
    },

    async saveReceiptPdf() {
      await requireLogin();
      const store = receipts();
      let bytes: Uint8Array;
      try {
        bytes = await api.receiptPdf();
        await store.savePdf(bytes);
      } catch (error) {
        const kept = classify(error) === 'retry' ? await store.pdf() : null;
        if (!kept) throw error;
        bytes = kept;
      }
      const filename = `accuse-de-cloture-${queue.dossier ?? 'dossier'}.pdf`;
      const mediaType = 'application/pdf';
      if (!options.saveFile) return { outcome: 'download', filename, mediaType, bytes };
      const saved = await options.saveFile(filename, bytes);
      return { outcome: saved ? 'saved' : 'cancelled', filename, mediaType, bytes: null };
    },

    async listQueue() {
      await ready;
      return queue.view();
    },

    async retryQueue() {
      await requireLogin();
      return queue.retryAll();
    },

    async dismissQueued({ itemId }) {
      await requireLogin();
      return queue.dismiss(itemId);
    },

    ...counter,
  };
}
