import type { ServerContext } from '../context';
import { campaignSummary } from '../dossier-view';
import { route, type Api } from './route';

export async function publicRoutes(app: Api, ctx: ServerContext): Promise<void> {
  route(app, 'health', async () => ({ status: 'ok' as const }));
  route(app, 'time', async () => ({ now: ctx.now().toISOString() }));
  route(app, 'campaigns', async () => ctx.campaigns.list().map(campaignSummary));
  route(app, 'receiptKey', async () => ctx.signer.publicKey);
}
