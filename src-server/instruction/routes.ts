/**
 * The instruction routes' registration (api-contract.md 5.3), kept thin: each handler lives in
 * its own module, so the routes can move into a shared route table without touching them.
 * Every route needs an instruction staff token (a guichet token answers 403 forbidden).
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  AuditSchema,
  DossierListQuerySchema,
  DossierListSchema,
  InstructionPiecesSchema,
  ReviewRequestSchema,
  ReviewSchema,
  type ReviewRequest,
} from '../../src-shared/instruction';
import { staffOf } from '../auth';
import type { ServerContext } from '../context';
import { problemAnswers as problems } from '../problem';
import { auditTrail, documentContent, dossierPieces, listDossiers, type ListQuery } from './dossiers';
import { exportCampaign, exportDossier } from './exports';
import { reviewPiece } from './reviews';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const DossierParams = Type.Object({ dossier: Id });
const config = { auth: 'instruction' as const };

export async function instructionRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get(
    '/staff/dossiers',
    {
      config,
      schema: {
        summary: "The dossiers of the instructor's campaigns (filter, search, cursor paging)",
        querystring: DossierListQuerySchema,
        response: { 200: DossierListSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => listDossiers(ctx, staffOf(request), request.query as ListQuery),
  );

  app.get(
    '/staff/dossiers/:dossier/pieces',
    {
      config,
      schema: {
        summary: "A dossier's pieces with their documents and reviews (ETag for If-Match on reviews)",
        params: DossierParams,
        response: { 200: InstructionPiecesSchema, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => dossierPieces(ctx, staffOf(request), (request.params as { dossier: string }).dossier, reply),
  );

  app.get(
    '/staff/documents/:id/content',
    {
      config,
      schema: { summary: 'The exact stored bytes of a document', params: Type.Object({ id: Id }), response: problems(401, 403, 404) },
    },
    async (request, reply) => documentContent(ctx, staffOf(request), (request.params as { id: string }).id, reply),
  );

  app.put(
    '/staff/dossiers/:dossier/pieces/:pieceId/review',
    {
      config,
      schema: {
        summary: 'Review a piece: accepted, or a correction with its reason (1 to 500 characters)',
        params: Type.Object({ dossier: Id, pieceId: Id }),
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: ReviewRequestSchema,
        response: { 200: ReviewSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      reviewPiece(
        ctx,
        staffOf(request),
        request.params as { dossier: string; pieceId: string },
        request.body as ReviewRequest,
        request.headers['if-match'],
      ),
  );

  app.get(
    '/staff/dossiers/:dossier/export.zip',
    {
      config,
      schema: {
        summary: 'One dossier as a ZIP: PIECE-ID/FILENAME, manifest.csv (SHA-256), recu.json, accuse-de-cloture.pdf',
        params: DossierParams,
        response: problems(401, 403, 404),
      },
    },
    async (request, reply) => exportDossier(ctx, staffOf(request), (request.params as { dossier: string }).dossier, request, reply),
  );

  app.get(
    '/staff/campaigns/:campaignId/export.zip',
    {
      config,
      schema: {
        summary: "Every dossier of a campaign in one state (closed by default), one folder DOSSIER/ each, streamed",
        params: Type.Object({ campaignId: Id }),
        querystring: Type.Object({ state: Type.Optional(DossierListQuerySchema.properties.state) }),
        response: problems(400, 401, 403, 404),
      },
    },
    async (request, reply) =>
      exportCampaign(
        ctx,
        staffOf(request),
        (request.params as { campaignId: string }).campaignId,
        (request.query as { state?: 'open' | 'closed' | 'correction' }).state ?? 'closed',
        request,
        reply,
      ),
  );

  app.get(
    '/staff/audit',
    {
      config,
      schema: {
        summary: "A dossier's audit trail: every staff read and decision",
        querystring: Type.Object({ dossier: Id }),
        response: { 200: AuditSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => auditTrail(ctx, staffOf(request), (request.query as { dossier: string }).dossier),
  );
}
