/**
 * Documents: the chosen files inspected and kept, the file to send prepared by the engine,
 * sent through the queue (once, even when asked twice at once), read back and deleted.
 */
import { createHash } from 'node:crypto';
import type { PreparedDocument } from '../../../src-shared/assistant-api';
import type { DocumentInfo, Dossier } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { errorFields } from '../../../src-shared/log';
import type { AssistantContext, Handlers } from './context';
import { forgetSession, refreshDossier, requireLogin } from './session';

type DocumentMethods =
  | 'inspectFiles'
  | 'prepareDocument'
  | 'pagePicture'
  | 'discardPrepared'
  | 'sendPrepared'
  | 'getDocumentContent'
  | 'deleteDocument';

async function send(ctx: AssistantContext, preparedId: string, replaces: string | null): Promise<DocumentInfo> {
  await requireLogin(ctx);
  const { queue, prepared, sources } = ctx;
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
        replaces,
      },
      bytes,
    );
    // The queue holds its own durable copy now: the working files can go.
    await prepared.remove(preparedId);
    if (sourceId)
      await sources.remove(sourceId).catch((error: unknown) => ctx.log.warn('sources.not_removed', errorFields(error)));
  }
  const after = await queue.sendNow(item.id);
  if (after.state === 'sent' && after.document) {
    return after.document;
  }
  if (after.state === 'refused' && after.error) throw new AppError(after.error.code, after.error.message);
  // Kept in the queue either way; an expired session needs the person, not the network.
  if (after.error?.code === 'unauthenticated') {
    await forgetSession(ctx);
    throw new AppError('unauthenticated');
  }
  throw new AppError('upload_queued');
}

export function documentHandlers(ctx: AssistantContext): Handlers<DocumentMethods> {
  const { engine, events, sources, prepared, api, sending } = ctx;
  return {
    async inspectFiles({ files }) {
      const pages = await engine.inspect(files, (done, total) =>
        events.emit('progress', { operation: 'inspect', done, total }),
      );
      return { sourceId: await sources.save(files), pages };
    },

    async prepareDocument({ pieceId, sourceId, pages }) {
      // Offline, the dossier read at login still says which pieces there are and their limits.
      const current = ctx.dossier ?? (await refreshDossier(ctx));
      const piece = current.pieces.find((p) => p.id === pieceId);
      if (!piece) throw new AppError('piece_not_found');
      const files = await sources.load(sourceId);
      const result = await engine.normalise(
        { files, to: 'auto', maxBytes: piece.maxBytes, pages, thumbnails: true },
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
      const saved = await prepared.save(doc, result.bytes, sourceId);
      // The report (with its thumbnails) is for the screen only: the store keeps what is sent.
      return result.report ? { ...saved, report: result.report } : saved;
    },

    async pagePicture({ sourceId, file, page, longSide }) {
      const files = await sources.load(sourceId);
      const chosen = files[file];
      if (!chosen) throw new AppError('validation_failed');
      return engine.picture({ file: chosen, page, longSide });
    },

    async discardPrepared({ preparedId }) {
      await prepared.remove(preparedId);
      return null;
    },

    sendPrepared({ preparedId, replaces }) {
      // The same send asked twice at once (a double click) is one send.
      const running = sending.get(preparedId);
      if (running) return running;
      const run = send(ctx, preparedId, replaces ?? null).finally(() => sending.delete(preparedId));
      sending.set(preparedId, run);
      return run;
    },

    async getDocumentContent({ documentId }) {
      await requireLogin(ctx);
      const find = (d: Dossier | null) => d?.pieces.flatMap((p) => p.documents).find((doc) => doc.id === documentId);
      // Without the dossier the content is still given, under a plain name.
      const fresh = () =>
        refreshDossier(ctx).catch((error: unknown) => {
          ctx.log.warn('dossier.refresh_failed', errorFields(error));
          return null;
        });
      const known = find(ctx.dossier) ?? find(await fresh());
      const { bytes, mediaType } = await api.content(documentId);
      return { filename: known?.filename ?? 'document', mediaType, bytes };
    },

    async deleteDocument({ documentId }) {
      await requireLogin(ctx);
      await api.deleteDocument(documentId);
      return null;
    },
  };
}
