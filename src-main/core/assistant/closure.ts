/**
 * The closure and its receipt: closing once nothing waits on this computer, the signed
 * receipt checked against the server's key and kept (with its PDF), given back offline.
 */
import path from 'node:path';
import type { StoredReceipt } from '../../../src-shared/assistant-api';
import type { ReceiptKey, SignedReceipt } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { errorFields } from '../../../src-shared/log';
import { ReceiptStore, verifyReceipt } from '../receipt-store';
import { classify } from '../upload-queue';
import { dossierDir } from '../workspace';
import type { AssistantContext, Handlers } from './context';
import { requireLogin } from './session';

function receipts(ctx: AssistantContext): ReceiptStore {
  const number = ctx.queue.dossier ?? ctx.dossier?.dossier;
  if (!number) throw new AppError('not_logged_in');
  const { workspaceDir } = ctx.options;
  return new ReceiptStore(dossierDir(workspaceDir, number), path.join(workspaceDir, 'receipt-keys.json'));
}

/** The key a receipt names: as first seen on this computer, else asked to the server and remembered. */
async function keyFor(ctx: AssistantContext, store: ReceiptStore, keyId: string): Promise<ReceiptKey | null> {
  const known = await store.knownKey(keyId);
  if (known) return known;
  const key = await ctx.api.receiptKey().catch((error: unknown) => {
    ctx.log.warn('receipt.key_unavailable', errorFields(error));
    return null;
  });
  if (!key || key.keyId !== keyId) return null;
  await store.rememberKey(key);
  return key;
}

/** Checks a receipt from the server and keeps it (with its PDF) when it is genuine. */
async function keepReceipt(ctx: AssistantContext, signed: SignedReceipt): Promise<StoredReceipt> {
  const store = receipts(ctx);
  const key = await keyFor(ctx, store, signed.keyId);
  const verified = key !== null && verifyReceipt(signed, key);
  if (verified) {
    await store.saveReceipt(signed);
    await ctx.api
      .receiptPdf()
      .then((pdf) => store.savePdf(pdf))
      // Asked again when the person saves it.
      .catch((error: unknown) => ctx.log.warn('receipt.pdf_not_kept', errorFields(error)));
  } else {
    ctx.log.warn('receipt.not_verified', { code: key ? 'signature_mismatch' : 'key_unknown' });
  }
  return { ...signed, verified };
}

async function keptReceipt(ctx: AssistantContext): Promise<StoredReceipt | null> {
  const store = receipts(ctx);
  const signed = await store.receipt();
  if (!signed) return null;
  const key = await store.knownKey(signed.keyId);
  return { ...signed, verified: key !== null && verifyReceipt(signed, key) };
}

export function closureHandlers(ctx: AssistantContext): Handlers<'closeDossier' | 'getReceipt' | 'saveReceiptPdf'> {
  const { api, queue } = ctx;
  return {
    async closeDossier() {
      await requireLogin(ctx);
      // Closing with documents still on this computer would close without them.
      if (queue.pendingCount() > 0) await queue.retryAll();
      if (queue.pendingCount() > 0) throw new AppError('uploads_pending');
      const closure = await api.close().catch((error: unknown) => {
        // The closure is recorded by the server alone: without it, say so rather than blame a file.
        throw error instanceof AppError && error.code === 'network_unavailable' ? new AppError('close_needs_connection') : error;
      });
      ctx.reminders.cancel();
      ctx.log.info('dossier.closed');
      // The closure stands without the copy kept here: getReceipt asks the server again.
      await keepReceipt(ctx, closure.receipt).catch((error: unknown) => ctx.log.warn('receipt.not_kept', errorFields(error)));
      return closure;
    },

    async getReceipt() {
      await requireLogin(ctx);
      try {
        return await keepReceipt(ctx, await api.receipt());
      } catch (error) {
        // Offline (or the server overloaded): the receipt kept here still proves the closure.
        const kept = classify(error) === 'retry' ? await keptReceipt(ctx) : null;
        if (kept) return kept;
        throw error;
      }
    },

    async saveReceiptPdf() {
      await requireLogin(ctx);
      const store = receipts(ctx);
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
      const { saveFile } = ctx.options;
      if (!saveFile) return { outcome: 'download', filename, mediaType, bytes };
      const saved = await saveFile(filename, bytes);
      return { outcome: saved ? 'saved' : 'cancelled', filename, mediaType, bytes: null };
    },
  };
}
