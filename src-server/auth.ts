/**
 * Sessions and logins. Tokens are 256 random bits handed out once and stored only as their
 * SHA-256, so a copy of the database opens no session. Failed logins are throttled per
 * dossier (candidates at a help desk share one address): a few free attempts, then a growing
 * wait capped at one minute. The cap is the point: a hard lockout would let anyone who knows a
 * dossier number lock its candidate out on the last night, while a one-minute wait still
 * limits a password guesser to a trickle.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../src-shared/campaign';
import { AppError } from '../src-shared/errors';
import type { RouteAuth } from '../src-shared/http-api';
import type { CandidateAccount } from './campaigns';
import type { ServerContext } from './context';
import { verifyPassword, type Secret } from './passwords';
import type { SessionKind } from './storage/types';

export const CANDIDATE_SESSION_MS = 8 * 3600 * 1000;
export const STAFF_SESSION_MS = 12 * 3600 * 1000;
/** A device token outlives any campaign: a candidate's computer stays theirs from one year to the next. */
export const DEVICE_TOKEN_MS = 400 * 24 * 3600 * 1000;
const FREE_ATTEMPTS = 5;
const MAX_DELAY_MS = 60_000;

/** The wait imposed after `attempts` attempts not followed by a success. */
export function loginDelayMs(attempts: number): number {
  if (attempts < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (attempts - FREE_ATTEMPTS));
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface StaffPrincipal {
  login: string;
  role: StaffRole;
  campaignIds: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    candidate?: CandidateAccount;
    staff?: StaffPrincipal;
    tokenHash?: string;
  }
  interface FastifyContextConfig {
    /** Set from the route table's `auth` (src-shared/http-api.ts); absent for public routes. */
    auth?: Exclude<RouteAuth, 'none'>;
  }
}

/** The staff member a staff route's hook let through. */
export function staffOf(request: FastifyRequest): StaffPrincipal {
  if (!request.staff) throw new AppError('forbidden');
  return request.staff;
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/.exec(header);
  return m ? m[1]! : null;
}

/**
 * onRequest hook: authentication comes first, before the body is even parsed. `byTicket`
 * answers the staff member a download ticket stands for, on the routes that take one (null when
 * the request carries none: then the Authorization header decides).
 */
export function authenticate(ctx: ServerContext, byTicket?: (request: FastifyRequest) => Promise<StaffPrincipal | null>) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const wanted = request.routeOptions.config.auth;
    if (!wanted) return;
    const ticketHolder = byTicket ? await byTicket(request) : null;
    if (ticketHolder) {
      request.staff = ticketHolder;
      return;
    }
    const token = bearer(request);
    if (!token) throw new AppError('unauthenticated');
    const tokenHash = hashToken(token);
    const session = await ctx.storage.findSession(tokenHash, ctx.now());
    if (!session) throw new AppError('unauthenticated');
    request.tokenHash = tokenHash;
    if (session.kind === 'candidate') {
      if (wanted === 'staff' || wanted === 'instruction') throw new AppError('forbidden');
      const account = ctx.campaigns.candidate(session.subject);
      // A dossier dropped from its campaign file by a reload has no session any more.
      if (!account) throw new AppError('unauthenticated');
      request.candidate = account;
      return;
    }
    if (wanted === 'candidate') throw new AppError('unauthenticated');
    const staff = ctx.campaigns.staff(session.subject);
    if (!staff) throw new AppError('unauthenticated');
    if (wanted === 'instruction' && staff.role !== 'instruction') throw new AppError('forbidden');
    request.staff = { login: staff.login, role: staff.role, campaignIds: staff.campaignIds };
  };
}

/**
 * A login of either kind: one attempt against the throttle of that account (candidates' and
 * staff's throttles kept apart by kind), then a new session. Candidates log in through
 * `logInCandidate`, which adds the device token.
 */
export async function logIn(
  ctx: ServerContext,
  kind: SessionKind,
  subject: string,
  secret: Secret | null,
  password: string,
): Promise<{ token: string; expiresAt: string }> {
  await checkLogin(ctx, `${kind}:${subject}`, secret, password);
  return openSession(ctx, kind, subject);
}

async function openSession(
  ctx: ServerContext,
  kind: SessionKind,
  subject: string,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(ctx.now().getTime() + (kind === 'staff' ? STAFF_SESSION_MS : CANDIDATE_SESSION_MS));
  await ctx.storage.createSession(hashToken(token), { kind, subject, expiresAt });
  return { token, expiresAt: expiresAt.toISOString() };
}

/** The key of a dossier's throttle: what failed attempts without a device token slow. */
export function candidateThrottleKey(dossier: string): string {
  return `${'candidate' satisfies SessionKind}:${dossier}`;
}

/**
 * A candidate login (OWASP's device-cookie pattern, api-contract.md 5.6). With a valid device
 * token of this very dossier, the attempt counts against that device's own throttle, so that
 * someone guessing from elsewhere, however fast, never slows the candidate's own computer;
 * without one, against the dossier's throttle as before. The answer carries the device token to
 * present next time: the same one when it was valid, else a new one.
 */
export async function logInCandidate(
  ctx: ServerContext,
  dossier: string,
  secret: Secret | null,
  password: string,
  deviceToken: string | undefined,
): Promise<{ token: string; expiresAt: string; deviceToken: string }> {
  const device = deviceToken ? await ctx.storage.findDeviceToken(hashToken(deviceToken), ctx.now()) : null;
  const known = device !== null && device.dossier === dossier;
  // The device's key cannot be any dossier's ("candidate-device:" against "candidate:").
  const throttleKey = known ? `candidate-device:${hashToken(deviceToken!)}` : candidateThrottleKey(dossier);
  await checkLogin(ctx, throttleKey, secret, password);
  const session = await openSession(ctx, 'candidate', dossier);
  if (known) return { ...session, deviceToken: deviceToken! };
  const fresh = randomBytes(32).toString('base64url');
  await ctx.storage.createDeviceToken(hashToken(fresh), {
    dossier,
    expiresAt: new Date(ctx.now().getTime() + DEVICE_TOKEN_MS),
  });
  return { ...session, deviceToken: fresh };
}

/**
 * One login attempt against the throttle of `throttleKey`. Unknown accounts go through the
 * same steps (a dummy scrypt, the same throttle), so answers and timing tell nothing about
 * which dossier numbers exist.
 */
async function checkLogin(
  ctx: ServerContext,
  throttleKey: string,
  secret: Secret | null,
  password: string,
): Promise<void> {
  const now = ctx.now();
  const admission = await ctx.storage.admitLoginAttempt(throttleKey, now, loginDelayMs);
  if (!admission.admitted) {
    const seconds = Math.max(1, Math.ceil((admission.retryAt.getTime() - now.getTime()) / 1000));
    throw new AppError('too_many_attempts', undefined, { retryAfterSeconds: seconds });
  }
  if (await verifyPassword(secret, password, ctx.scryptCost)) {
    await ctx.storage.clearLoginThrottle(throttleKey);
    return;
  }
  throw new AppError('invalid_credentials');
}
