/**
 * Single-use download tickets for the staff exports. A campaign's ZIP can be gigabytes: the back
 * office lets the browser download it by itself (straight to disk, with its own progress and
 * resume-on-click), and a browser's own download cannot carry an Authorization header. So an
 * instructor asks, with their token, for a ticket naming one export; its address carries the
 * ticket instead of the token.
 *
 * A ticket is 256 random bits, kept only as its SHA-256 (like session tokens) in the database
 * rather than in memory, so it works whichever server of a PostgreSQL deployment the browser
 * reaches. It is valid for TICKET_MS, opens only the export it was given for, and is removed
 * when presented (even for the wrong export or too late), so an address copied from the
 * history or a log opens nothing. What it opens is recorded in the audit trail under the login
 * of the staff member who asked for it.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { API_BASE } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { fillPath, HTTP_API, type RouteName } from '../../src-shared/http-api';
import type { DossierListState, DownloadTicket } from '../../src-shared/instruction';
import { hashToken, type StaffPrincipal } from '../auth';
import type { ServerContext } from '../context';
import { instructedAccount } from './access';

/** Long enough for the browser to start the download, too short for an address to be reused. */
export const TICKET_MS = 60_000;

/** The export a ticket opens, written as stored. */
const campaignTarget = (campaignId: string, state: DossierListState) => `campaign:${campaignId}:${state}`;
const dossierTarget = (dossier: string) => `dossier:${dossier}`;

async function issue(
  ctx: ServerContext,
  staff: StaffPrincipal,
  target: string,
  route: RouteName,
  params: Record<string, string>,
  query: Record<string, string>,
): Promise<DownloadTicket> {
  const ticket = randomBytes(32).toString('base64url');
  const expiresAt = new Date(ctx.now().getTime() + TICKET_MS);
  await ctx.storage.createDownloadTicket(hashToken(ticket), { staff: staff.login, target, expiresAt });
  const search = new URLSearchParams({ ...query, ticket });
  return { url: `${API_BASE}${fillPath(route, params)}?${search}`, expiresAt: expiresAt.toISOString() };
}

export function campaignExportTicket(
  ctx: ServerContext,
  staff: StaffPrincipal,
  campaignId: string,
  state: DossierListState,
): Promise<DownloadTicket> {
  if (!staff.campaignIds.includes(campaignId) || !ctx.campaigns.campaign(campaignId)) throw new AppError('not_found');
  return issue(ctx, staff, campaignTarget(campaignId, state), 'instructionCampaignExport', { campaignId }, { state });
}

export function dossierExportTicket(ctx: ServerContext, staff: StaffPrincipal, dossier: string): Promise<DownloadTicket> {
  const account = instructedAccount(ctx, staff, dossier);
  return issue(ctx, staff, dossierTarget(account.dossier), 'instructionDossierExport', { dossier: account.dossier }, {});
}

/** The export a request asks for, in the words of `target`; null for a route without tickets. */
function targetOf(request: FastifyRequest): string | null {
  const route = request.routeOptions.config.route;
  const params = request.params as Record<string, string | undefined>;
  const query = request.query as Record<string, string | undefined>;
  if (route === 'instructionCampaignExport')
    return campaignTarget(params.campaignId ?? '', (query.state ?? 'closed') as DossierListState);
  if (route === 'instructionDossierExport') return dossierTarget(params.dossier ?? '');
  return null;
}

const TICKET = /^[A-Za-z0-9_-]{43}$/;

/** Whether the request's route is an export whose address may carry a ticket (a browser's own download). */
export function takesTicket(request: FastifyRequest): boolean {
  const route = request.routeOptions.config.route;
  return route !== undefined && 'ticket' in HTTP_API[route];
}

/**
 * The staff member the request's ticket stands for, on a route that takes one and when the
 * request carries no Authorization header; null otherwise. Refuses a ticket used or unknown,
 * expired, given for another export, or whose account no longer instructs. The ticket is used
 * up by this request whatever the answer.
 */
export async function staffByTicket(ctx: ServerContext, request: FastifyRequest): Promise<StaffPrincipal | null> {
  if (!takesTicket(request) || request.headers.authorization) return null;
  const ticket = (request.query as { ticket?: unknown }).ticket;
  if (ticket === undefined) return null;
  if (typeof ticket !== 'string' || !TICKET.test(ticket)) throw new AppError('download_ticket_invalid');
  const record = await ctx.storage.takeDownloadTicket(hashToken(ticket));
  if (!record) throw new AppError('download_ticket_invalid');
  if (record.expiresAt.getTime() <= ctx.now().getTime()) throw new AppError('download_ticket_expired');
  if (record.target !== targetOf(request)) throw new AppError('download_ticket_mismatch');
  const staff = ctx.campaigns.staff(record.staff);
  if (!staff || staff.role !== 'instruction') throw new AppError('download_ticket_invalid');
  return { login: staff.login, role: staff.role, campaignIds: staff.campaignIds };
}
