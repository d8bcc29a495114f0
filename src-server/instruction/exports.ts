/** The export routes' handlers: access, audit, then the ZIP stream (./export-zip). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../src-shared/errors';
import type { DossierListState } from '../../src-shared/instruction';
import type { StaffPrincipal } from '../auth';
import type { ServerContext } from '../context';
import { attachmentHeader } from '../uploads';
import { auditRecord, instructedAccount, recordStaffRead } from './access';
import { campaignExport, dossierExport } from './export-zip';
import { safeSegment } from './zip-names';

function sendZip(reply: FastifyReply, filename: string, zip: NodeJS.ReadableStream): FastifyReply {
  return reply.type('application/zip').header('content-disposition', attachmentHeader(filename)).send(zip);
}

export async function exportDossier(
  ctx: ServerContext,
  staff: StaffPrincipal,
  dossier: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const account = instructedAccount(ctx, staff, dossier);
  await recordStaffRead(ctx, staff, 'export', account.dossier);
  const zip = await dossierExport(ctx, account, request.log);
  return sendZip(reply, `dossier-${safeSegment(account.dossier)}.zip`, zip);
}

export function exportCampaign(
  ctx: ServerContext,
  staff: StaffPrincipal,
  campaignId: string,
  state: DossierListState,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (!staff.campaignIds.includes(campaignId) || !ctx.campaigns.campaign(campaignId)) throw new AppError('not_found');
  const at = ctx.now();
  const zip = campaignExport(
    ctx,
    campaignId,
    state,
    (dossiers) =>
      ctx.storage.recordAudit(dossiers.map((dossier) => auditRecord(at, staff.login, 'export', dossier))),
    request.log,
  );
  return sendZip(reply, `campagne-${safeSegment(campaignId)}-${state}.zip`, zip);
}
