/** Help-desk staff: their own session, a dossier look-up (never file contents), the CSV. */
import type { StaffDossier } from '../../src-shared/contract';
import { formatParisTimestamp } from '../../src-shared/deadline';
import { AppError } from '../../src-shared/errors';
import { logIn, staffOf } from '../auth';
import { recordStaffRead } from '../instruction/access';
import { csvText } from '../csv';
import type { ServerContext } from '../context';
import { missingPieces } from '../dossier-view';
import { route, type Api } from './route';

export async function staffRoutes(app: Api, ctx: ServerContext): Promise<void> {
  route(app, 'staffSession', async (request, reply) => {
    const { login, password } = request.body;
    const staff = ctx.campaigns.staff(login);
    return reply.code(201).send(await logIn(ctx, 'staff', login, staff?.secret ?? null, password));
  });

  route(app, 'staffDossier', async (request): Promise<StaffDossier> => {
    const staff = staffOf(request);
    const { dossier } = request.params;
    const account = ctx.campaigns.candidate(dossier);
    if (!account || !staff.campaignIds.includes(account.campaign.id))
      throw new AppError('not_found');
    const [record, documents] = await Promise.all([
      ctx.storage.getDossier(dossier),
      ctx.storage.listDocuments(dossier),
      recordStaffRead(ctx, staff, 'lookup', dossier),
    ]);
    return {
      dossier,
      lastName: account.lastName,
      firstName: account.firstName,
      campaignId: account.campaign.id,
      state: record?.closedAt ? 'closed' : 'open',
      closedAt: record?.closedAt ? record.closedAt.toISOString() : null,
      pieces: account.campaign.pieces.map((p) => ({
        id: p.id,
        label: p.label,
        documents: documents.filter((d) => d.pieceId === p.id).length,
      })),
      missing: missingPieces(account.campaign, documents),
    };
  });

  route(app, 'staffClosuresCsv', async (request, reply) => {
    const staff = staffOf(request);
    const rows = await ctx.storage.listClosures(staff.campaignIds);
    const lines = [['dossier', 'nom', 'prénom', 'clôturé le (heure de Paris)', 'documents']];
    for (const row of rows) {
      const account = ctx.campaigns.candidate(row.dossier);
      lines.push([
        row.dossier,
        account?.lastName ?? '',
        account?.firstName ?? '',
        formatParisTimestamp(row.closedAt),
        String(row.documentsAtClosure),
      ]);
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="clotures.csv"')
      .send(csvText(lines));
  });
}
