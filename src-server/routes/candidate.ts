/**
 * The candidate's routes: session, dossier, documents, closure, receipt. The order of checks
 * follows the contract: authentication (onRequest hook), then the dossier's state and the
 * deadline, then the piece, then the body (size, digest, type, content).
 */
import { randomUUID } from 'node:crypto';
import { type ReceiptBody, type SignedReceipt } from '../../src-shared/contract';
import { pieceMaxBytes } from '../../src-shared/campaign';
import { AppError } from '../../src-shared/errors';
import { logInCandidate } from '../auth';
import { blockingPieces, findPiece, type CandidateAccount } from '../campaigns';
import type { ServerContext } from '../context';
import { admitLoad } from '../load-shedding';
import { admitDocument, admitReplacement } from '../dossier-rules';
import { sendDocument } from '../document-download';
import { documentInfo, dossierView } from '../dossier-view';
import { mediaTypeFromBytes } from '../file-type';
import { closeIfBodyUnread } from '../problem';
import { receiptPdf } from '../receipt-pdf';
import { attachmentHeader, declaredSha256, filenameFrom, safeFilename } from '../uploads';
import { route, type Api, type HandlerOf } from './route';

function account(request: { candidate?: CandidateAccount }): CandidateAccount {
  if (!request.candidate) throw new AppError('unauthenticated');
  return request.candidate;
}

export async function candidateRoutes(app: Api, ctx: ServerContext): Promise<void> {
  route(app, 'openSession', async (request, reply) => {
    const { dossier, password, deviceToken } = request.body;
    const found = ctx.campaigns.candidate(dossier);
    return reply
      .code(201)
      .send(await logInCandidate(ctx, dossier, found?.secret ?? null, password, deviceToken));
  });

  route(app, 'closeSession', async (request, reply) => {
    if (request.tokenHash) await ctx.storage.deleteSession(request.tokenHash);
    return reply.code(204).send();
  });

  route(app, 'dossier', async (request) => {
    const who = account(request);
    const [record, documents, reviews] = await Promise.all([
      ctx.storage.getDossier(who.dossier),
      ctx.storage.listDocuments(who.dossier),
      ctx.storage.listReviews(who.dossier),
    ]);
    return dossierView(who, record, documents, reviews);
  });

  route(app, 'addDocument', async (request, reply) => uploadDocument(ctx, request, reply));

  route(app, 'documentContent', async (request, reply) => {
    const who = account(request);
    const doc = await ctx.storage.getDocument(who.dossier, request.params.id);
    if (!doc) throw new AppError('not_found');
    return sendDocument(reply, ctx.blobs, doc);
  });

  route(app, 'deleteDocument', async (request, reply) => {
    const who = account(request);
    const { id } = request.params;
    const result = await ctx.storage.deleteDocument(who.dossier, id, {
      campaignId: who.campaign.id,
      now: ctx.now(),
      deadline: who.campaign.closesAtInstant,
    });
    if (result.kind === 'refused') throw new AppError(result.code);
    if (result.kind === 'not_found') throw new AppError('not_found');
    await ctx.blobs
      .remove(id)
      .catch((err: unknown) => request.log.warn({ err }, 'blob removal failed'));
    return reply.code(204).send();
  });

  route(app, 'closure', async (request, reply) => {
    const who = account(request);
    const result = await ctx.storage.closeDossier(who.dossier, {
      campaignId: who.campaign.id,
      now: ctx.now(),
      deadline: who.campaign.closesAtInstant,
      blockingPieces: blockingPieces(who.campaign),
      buildReceipt: (closedAt, documents) => {
        const body: ReceiptBody = {
          version: 1,
          campaignId: who.campaign.id,
          dossier: who.dossier,
          lastName: who.lastName,
          firstName: who.firstName,
          closedAt: closedAt.toISOString(),
          documents: documents.map((d) => ({
            pieceId: d.pieceId,
            filename: d.filename,
            sha256: d.sha256,
            bytes: d.bytes,
          })),
        };
        return JSON.stringify(ctx.signer.sign(body));
      },
    });
    if (result.kind === 'refused') {
      if (result.code === 'pieces_missing')
        throw new AppError('pieces_missing', undefined, { missing: result.missing });
      throw new AppError(result.code);
    }
    const receipt = JSON.parse(result.receipt) as SignedReceipt;
    if (result.kind === 'closed')
      request.log.info({ dossier: who.dossier, event: 'closure' }, 'dossier closed');
    return reply
      .code(result.kind === 'closed' ? 201 : 200)
      .send({ closedAt: result.closedAt.toISOString(), receipt });
  });

  route(app, 'receipt', async (request) => {
    const record = await ctx.storage.getDossier(account(request).dossier);
    if (!record?.receipt) throw new AppError('not_closed');
    return JSON.parse(record.receipt) as SignedReceipt;
  });

  route(app, 'receiptPdf', async (request, reply) => {
    const who = account(request);
    const record = await ctx.storage.getDossier(who.dossier);
    if (!record?.receipt) throw new AppError('not_closed');
    const pdf = await receiptPdf(
      JSON.parse(record.receipt) as SignedReceipt,
      who,
      ctx.signer.publicKey,
    );
    return reply
      .type('application/pdf')
      .header('content-disposition', attachmentHeader(`accuse-de-cloture-${who.dossier}.pdf`))
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(pdf));
  });
}

type Upload = Parameters<HandlerOf<'addDocument'>>;

async function uploadDocument(ctx: ServerContext, request: Upload[0], reply: Upload[1]) {
  const who = account(request);
  const campaign = who.campaign;
  const { pieceId } = request.params;
  const piece = findPiece(campaign, pieceId);
  const declared = declaredSha256(request.headers['content-digest']);
  const [record, documents] = await Promise.all([
    ctx.storage.getDossier(who.dossier),
    ctx.storage.listDocuments(who.dossier),
  ]);
  const inPiece = documents.filter((d) => d.pieceId === pieceId);
  const { replaces } = request.query;
  const sameBytes = declared ? inPiece.find((d) => d.sha256 === declared.toString('hex')) : undefined;
  const replaced = replaces === undefined ? undefined : documents.find((d) => d.id === replaces);
  // A retry of bytes already stored for this piece changes nothing, so no state check refuses
  // it: the client gets its document back once the body proves to be the same bytes. A
  // replacement whose old document is still there has not happened: the same bytes are then
  // no retry, and are refused below (nothing would be corrected).
  const retry = replaced ? undefined : sameBytes;
  const fail = (
    code: ConstructorParameters<typeof AppError>[0],
    extra?: Record<string, unknown>,
  ): never => {
    closeIfBodyUnread(request, reply);
    throw new AppError(code, undefined, extra);
  };
  if (!retry) {
    const closedAt = record?.closedAt ?? null;
    // Only a closed dossier's piece needs its review read (a replacement then always needs it,
    // a plain addition only where the piece takes no late documents): a correction asked for
    // it reopens it. The storage decides again inside its transaction.
    const correctionOpen =
      closedAt !== null && piece !== undefined && (replaces !== undefined || !piece.lateAllowed)
        ? (await ctx.storage.listReviews(who.dossier)).some((r) => r.pieceId === piece.id && r.correctionOpen)
        : false;
    const admit = replaces === undefined ? admitDocument : admitReplacement;
    const admission = admit(closedAt, {
      now: ctx.now(),
      deadline: campaign.closesAtInstant,
      lateAllowed: piece?.lateAllowed ?? false,
      correctionOpen,
    });
    if (admission.kind === 'refused') fail(admission.code);
    if (!piece) return fail('piece_not_found');
    if (replaces !== undefined) {
      if (!replaced) fail('replaced_not_found');
      else if (replaced.pieceId !== piece.id) fail('replaced_other_piece');
      else if (sameBytes) fail('already_stored');
    } else if (!piece.multiple && inPiece.length > 0) fail('piece_full');
  }
  if (!piece) return fail('piece_not_found');
  const maxBytes = pieceMaxBytes(campaign, piece);
  const declaredLength = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) fail('file_too_large');
  if (!declared) return fail('digest_missing');
  try {
    admitLoad(request);
  } catch (err) {
    closeIfBodyUnread(request, reply, true);
    throw err;
  }

  const id = randomUUID();
  const ingested = await ctx.blobs
    .ingest(id, request.body, { maxBytes, expectedSha256: declared })
    .catch((err: unknown) => {
      // Cut by body-deadlines.ts, which has answered already: the temporary file is gone.
      if (reply.sent) return null;
      if (err instanceof AppError) closeIfBodyUnread(request, reply);
      throw err;
    });
  if (!ingested) return;
  let committed = false;
  try {
    if (ingested.bytes === 0) throw new AppError('file_corrupt');
    const mediaType = mediaTypeFromBytes(ingested.head);
    if (!mediaType) throw new AppError('file_type_not_allowed');
    if (retry) {
      await ctx.blobs.discardTemp(ingested.tmpPath);
      return reply.code(200).send(documentInfo(retry));
    }
    await ctx.checkContent(ingested.tmpPath, mediaType, who.dossier, {
      size: ingested.bytes,
      head: ingested.head,
      tail: ingested.tail,
    });
    await ctx.blobs.commit(ingested.tmpPath, id, ingested.sha256);
    committed = true;
    const result = await ctx.storage.addDocument(
      {
        id,
        dossier: who.dossier,
        pieceId: piece.id,
        filename: safeFilename(filenameFrom(request.headers['content-disposition']), mediaType),
        mediaType,
        bytes: ingested.bytes,
        sha256: ingested.sha256,
        uploadedAt: ctx.now(),
        late: false,
      },
      {
        campaignId: campaign.id,
        now: ctx.now(),
        deadline: campaign.closesAtInstant,
        lateAllowed: piece.lateAllowed,
        single: !piece.multiple,
        ...(replaces === undefined ? {} : { replaces }),
      },
    );
    if (result.kind === 'refused') throw new AppError(result.code);
    if (result.kind === 'not_found') throw new AppError('replaced_not_found');
    if (result.kind === 'existing') {
      await ctx.blobs.remove(id);
      return reply.code(200).send(documentInfo(result.document));
    }
    request.log.info(
      {
        dossier: who.dossier,
        piece: piece.id,
        document: id,
        bytes: ingested.bytes,
        event: result.replaced ? 'replacement' : 'upload',
        ...(result.replaced ? { replaced: result.replaced.id } : {}),
      },
      'document stored',
    );
    // The old bytes go only now that the new row is committed; left behind, the start's sweep
    // removes them (no row names them any more).
    if (result.replaced)
      await ctx.blobs
        .remove(result.replaced.id)
        .catch((err: unknown) => request.log.warn({ err }, 'blob removal failed'));
    return reply.code(201).send(documentInfo(result.document));
  } catch (err) {
    if (committed) await ctx.blobs.remove(id).catch(() => undefined);
    else await ctx.blobs.discardTemp(ingested.tmpPath).catch(() => undefined);
    throw err;
  }
}
