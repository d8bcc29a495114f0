/**
 * The assistant API implementation (the methods of src-shared/assistant-api.ts), free of
 * Electron: the desktop shell and the browser host both serve this same object.
 */
import path from 'node:path';
import type { AssistantImpl, PreparedDocument } from '../../src-shared/assistant-api';
import type { Dossier } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { ApiClient } from './api-client';
import { createCounter, type Counter } from './counter/counter';
import { MemoryCounterSettings, type CounterSettings, type CounterSettingsStore } from './counter/settings';
import { createEngine, type Engine } from './engine';
import { createEventHub, type EventHub } from './events';
import { PreparedStore } from './prepared-store';
import { SourceStore } from './source-store';

export interface AssistantOptions {
  apiUrl: string;
  /** Where this computer keeps its working files (chosen files, prepared documents). */
  workspaceDir: string;
  /** The document engine (by default one in its own process, started on first use). */
  engine?: Engine;
  /** Where the assistant's events go (engine progress, queue changes); the shells forward them. */
  events?: EventHub;
  /** Counter mode (help desk): where its settings live, what `--counter` set, what the shell clears at a wipe. */
  counter?: { settings?: CounterSettingsStore; overrides?: Partial<CounterSettings>; onWipe?: () => Promise<void> };
}

export function createAssistant(options: AssistantOptions): AssistantImpl & Pick<Counter, 'close'> {
  const api = new ApiClient({ baseUrl: options.apiUrl });
  const prepared = new PreparedStore(path.join(options.workspaceDir, 'prepared'));
  const sources = new SourceStore(path.join(options.workspaceDir, 'sources'));
  const engine = options.engine ?? createEngine();
  const events = options.events ?? createEventHub();
  let dossier: Dossier | null = null;
  /** Sends under way: the counter's wipe waits for them. */
  let sending = 0;
  const counter = createCounter({
    apiUrl: options.apiUrl,
    settings: options.counter?.settings ?? new MemoryCounterSettings(),
    overrides: options.counter?.overrides,
    onWipe: options.counter?.onWipe,
    // Everything under the workspace belongs to the current candidate.
    candidateFolders: [options.workspaceDir],
    candidate: {
      pendingSends: async () => sending,
      async forget() {
        await api.logout().catch(() => {});
        dossier = null;
      },
    },
  });

  function requireLogin(): void {
    if (!api.loggedIn) throw new AppError('not_logged_in');
  }

  async function refreshDossier(): Promise<Dossier> {
    requireLogin();
    dossier = await api.dossier();
    return dossier;
  }

  return {
    getServerTime: () => api.time(),
    listCampaigns: () => api.campaigns(),

    async login({ dossier: number, password }) {
      await api.login(number.trim(), password);
      return refreshDossier();
    },

    async logout() {
      await api.logout().catch(() => {});
      dossier = null;
      return null;
    },

    getDossier: () => refreshDossier(),

    async inspectFiles({ files }) {
      const pages = await engine.inspect(files, (done, total) => events.emit('progress', { operation: 'inspect', done, total }));
      return { sourceId: await sources.save(files), pages };
    },

    async prepareDocument({ pieceId, sourceId, pages }) {
      const current = dossier ?? (await refreshDossier());
      const piece = current.pieces.find((p) => p.id === pieceId);
      if (!piece) throw new AppError('piece_not_found');
      const files = await sources.load(sourceId);
      const result = await engine.normalise({ files, to: 'auto', maxBytes: piece.maxBytes, pages }, (done, total) =>
        events.emit('progress', { operation: 'prepare', done, total }),
      );
      const doc: Omit<PreparedDocument, 'id'> = {
        pieceId,
        filename: result.filename,
        mediaType: result.mediaType,
        bytes: result.bytes.byteLength,
        pages: result.pages,
        summary: result.summary,
      };
      return prepared.save(doc, result.bytes);
    },

    async discardPrepared({ preparedId }) {
      await prepared.remove(preparedId);
      return null;
    },

    async sendPrepared({ preparedId }) {
      requireLogin();
      sending += 1;
      try {
        const { doc, bytes } = await prepared.get(preparedId);
        const stored = await api.upload(doc.pieceId, { filename: doc.filename, mediaType: doc.mediaType, bytes });
        await prepared.remove(preparedId);
        return stored;
      } finally {
        sending -= 1;
      }
    },

    async getDocumentContent({ documentId }) {
      requireLogin();
      const current = dossier ?? (await refreshDossier());
      const known = current.pieces.flatMap((p) => p.documents).find((d) => d.id === documentId);
      const { bytes, mediaType } = await api.content(documentId);
      return { filename: known?.filename ?? 'document', mediaType, bytes };
    },

    async deleteDocument({ documentId }) {
      requireLogin();
      await api.deleteDocument(documentId);
      return null;
    },

    async closeDossier() {
      requireLogin();
      return api.close();
    },

    async getReceipt() {
      requireLogin();
      return api.receipt();
    },

    ...counter,
  };
}
