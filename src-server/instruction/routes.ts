/**
 * The instruction routes (api-contract.md 5.3), registered from the route table
 * (src-shared/http-api.ts, `instruction…` entries) with each handler in its own module. Every
 * route needs an instruction staff token (a guichet token answers 403 forbidden).
 */
import { staffOf } from '../auth';
import type { ServerContext } from '../context';
import { route, type Api } from '../routes/route';
import { auditTrail, documentContent, dossierPieces, listDossiers, staffCampaigns } from './dossiers';
import { exportCampaign, exportDossier } from './exports';
import { reviewPiece } from './reviews';
import { campaignExportTicket, dossierExportTicket } from './tickets';

export async function instructionRoutes(app: Api, ctx: ServerContext): Promise<void> {
  route(app, 'instructionDossiers', async (request) => listDossiers(ctx, staffOf(request), request.query));
  route(app, 'instructionPieces', async (request, reply) => {
    const pieces = await dossierPieces(ctx, staffOf(request), request.params.dossier, request.headers['if-none-match'], reply);
    return pieces ? pieces : reply.code(304).send();
  });
  route(app, 'instructionDocumentContent', async (request, reply) =>
    documentContent(ctx, staffOf(request), request.params.id, reply),
  );
  route(app, 'instructionReview', async (request) =>
    reviewPiece(ctx, staffOf(request), request.params, request.body, request.headers['if-match']),
  );
  route(app, 'instructionDossierExport', async (request, reply) =>
    exportDossier(ctx, staffOf(request), request.params.dossier, request, reply),
  );
  route(app, 'instructionCampaignExport', async (request, reply) =>
    exportCampaign(ctx, staffOf(request), request.params.campaignId, request.query.state ?? 'closed', request, reply),
  );
  route(app, 'instructionCampaigns', async (request) => staffCampaigns(ctx, staffOf(request)));
  route(app, 'instructionCampaignExportTicket', async (request, reply) =>
    reply
      .code(201)
      .send(await campaignExportTicket(ctx, staffOf(request), request.params.campaignId, request.body.state ?? 'closed')),
  );
  route(app, 'instructionDossierExportTicket', async (request, reply) =>
    reply.code(201).send(await dossierExportTicket(ctx, staffOf(request), request.params.dossier)),
  );
  route(app, 'instructionAudit', async (request) => auditTrail(ctx, staffOf(request), request.query.dossier));
}
