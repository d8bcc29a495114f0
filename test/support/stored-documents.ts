/**
 * Documents put straight into a test server's storage and blob store, without the upload route
 * (and its content checks): for tests about what staff do with many or large documents.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ServerContext } from '../../src-server/context';
import type { StoredDocument } from '../../src-server/storage/types';

export async function storeDocument(
  ctx: ServerContext,
  doc: { dossier: string; campaignId: string; pieceId: string; filename: string; bytes: Buffer; late?: boolean },
): Promise<StoredDocument> {
  const id = randomUUID();
  const digest = createHash('sha256').update(doc.bytes).digest();
  // `complete` as on a request whose body arrived whole: the blob store reads it that way.
  const body = Object.assign(Readable.from([doc.bytes]), { complete: true });
  const ingested = await ctx.blobs.ingest(id, body, { maxBytes: doc.bytes.length + 1, expectedSha256: digest });
  await ctx.blobs.commit(ingested.tmpPath, id, ingested.sha256);
  const stored: StoredDocument = {
    id,
    dossier: doc.dossier,
    pieceId: doc.pieceId,
    filename: doc.filename,
    mediaType: 'application/pdf',
    bytes: doc.bytes.length,
    sha256: ingested.sha256,
    uploadedAt: ctx.now(),
    late: doc.late ?? false,
  };
  const result = await ctx.storage.addDocument(stored, {
    campaignId: doc.campaignId,
    now: ctx.now(),
    deadline: new Date(ctx.now().getTime() + 86_400_000),
    lateAllowed: true,
    single: false,
  });
  if (result.kind !== 'created') throw new Error(`document not stored: ${JSON.stringify(result)}`);
  return result.document;
}
