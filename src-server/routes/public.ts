import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { CampaignSummarySchema, ReceiptKeySchema, TimeSchema } from '../../src-shared/contract';
import type { ServerContext } from '../context';
import { campaignSummary } from '../dossier-view';

export async function publicRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get(
    '/health',
    { schema: { summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/time',
    { schema: { summary: 'The server clock, the only clock that counts', response: { 200: TimeSchema } } },
    async () => ({ now: ctx.now().toISOString() }),
  );

  app.get(
    '/campaigns',
    {
      schema: {
        summary: 'Campaigns served, with their deadlines (public, for the welcome screen)',
        response: { 200: Type.Array(CampaignSummarySchema) },
      },
    },
    async () => ctx.campaigns.list().map(campaignSummary),
  );

  app.get(
    '/keys/receipt',
    { schema: { summary: 'The public key that signs closure receipts', response: { 200: ReceiptKeySchema } } },
    async () => ctx.signer.publicKey,
  );
}
