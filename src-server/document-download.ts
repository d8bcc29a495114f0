/** A stored document's exact bytes as a download: the candidate's route and the staff's alike. */
import type { FastifyReply } from 'fastify';
import type { BlobStore } from './blobs';
import type { StoredDocument } from './storage/types';
import { attachmentHeader } from './uploads';

export function sendDocument(reply: FastifyReply, blobs: BlobStore, doc: StoredDocument): FastifyReply {
  return reply
    .type(doc.mediaType)
    .header('content-length', String(doc.bytes))
    .header('content-disposition', attachmentHeader(doc.filename))
    .header('x-content-type-options', 'nosniff')
    .header('repr-digest', `sha-256=:${Buffer.from(doc.sha256, 'hex').toString('base64')}:`)
    .send(blobs.read(doc.id));
}
