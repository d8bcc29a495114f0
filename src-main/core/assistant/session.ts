/**
 * The candidate's session: login and logout, the dossier (from the server, or the copy kept
 * offline), the kept session taken up at start, and the deadline reminders planned from the
 * server's clock. The other maps use requireLogin, refreshDossier and forgetSession from here.
 */
import type { DossierView } from '../../../src-shared/assistant-api';
import type { Dossier } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { errorFields } from '../../../src-shared/log';
import type { AssistantContext, Handlers } from './context';

/** Chosen files and prepared documents left by an earlier run are removed after this long. */
const LEFTOVER_MS = 24 * 3600_000;

/** Plans the reminders from the server's clock (offset measured over one round trip). */
async function planReminders(ctx: AssistantContext, current: Dossier): Promise<void> {
  if (current.state === 'closed') return ctx.reminders.cancel();
  const sentAt = Date.now();
  const { now } = await ctx.api.time();
  const serverOffsetMs = new Date(now).getTime() - (sentAt + Date.now()) / 2;
  ctx.reminders.plan({
    closesAt: new Date(current.campaign.closesAt),
    timeZone: current.campaign.timeZone,
    closed: false,
    serverOffsetMs,
  });
}

/** At start: sweeps what an earlier run left, takes a kept session up and resumes its queue. */
export async function resumeSession(ctx: AssistantContext): Promise<void> {
  const olderThan = new Date(Date.now() - LEFTOVER_MS);
  await Promise.all([ctx.prepared.sweep(olderThan), ctx.sources.sweep(olderThan)]).catch((error: unknown) =>
    ctx.log.warn('workspace.sweep_failed', errorFields(error)),
  );
  const kept = await ctx.sessions.load().catch((error: unknown) => {
    ctx.log.warn('session.load_failed', errorFields(error));
    return null;
  });
  if (kept && new Date(kept.expiresAt).getTime() > Date.now()) {
    ctx.api.restore(kept.token);
    await ctx.queue.open(kept.dossier);
    // Reminders need the deadline: read when the server answers (offline, at the next refresh).
    void refreshDossier(ctx).catch((error: unknown) => ctx.log.warn('session.resume_refresh_failed', errorFields(error)));
  }
}

export async function requireLogin(ctx: AssistantContext): Promise<void> {
  await ctx.ready;
  if (!ctx.api.loggedIn) throw new AppError('not_logged_in');
}

export async function refreshDossier(ctx: AssistantContext): Promise<DossierView> {
  await requireLogin(ctx);
  try {
    const current = await ctx.api.dossier();
    ctx.dossier = current;
    void planReminders(ctx, current).catch((error: unknown) => ctx.log.warn('reminders.plan_failed', errorFields(error)));
    await ctx.keptDossiers.save(current, new Date()).catch((error: unknown) => ctx.log.warn('dossier.copy_not_kept', errorFields(error)));
    return { ...current, offlineCopy: null };
  } catch (error) {
    if (error instanceof AppError && error.code === 'unauthenticated') await forgetSession(ctx);
    // Offline, the last dossier read lets the candidate go on preparing documents; the
    // queue sends them once the server answers again. The UI says it is a copy, and from when.
    const kept =
      error instanceof AppError && error.code === 'network_unavailable' && ctx.queue.dossier
        ? await ctx.keptDossiers.load(ctx.queue.dossier)
        : null;
    if (!kept) throw error;
    ctx.dossier = kept.dossier;
    return { ...kept.dossier, offlineCopy: { readAt: kept.readAt } };
  }
}

export async function forgetSession(ctx: AssistantContext): Promise<void> {
  ctx.dossier = null;
  ctx.reminders.cancel();
  await ctx.sessions.save(null).catch((error: unknown) => ctx.log.warn('session.forget_failed', errorFields(error)));
}

/** Ends the session on the server when it answers; offline, the token simply expires there. */
export async function logoutFromServer(ctx: AssistantContext): Promise<void> {
  await ctx.api.logout().catch((error: unknown) => ctx.log.warn('session.logout_failed', errorFields(error)));
}

export function sessionHandlers(ctx: AssistantContext): Handlers<'login' | 'logout' | 'getDossier'> {
  return {
    async login({ dossier: number, password }) {
      await ctx.ready;
      const session = await ctx.api.login(number.trim(), password);
      const current = await refreshDossier(ctx);
      await ctx.sessions.save({
        dossier: current.dossier,
        token: session.token,
        expiresAt: session.expiresAt,
      });
      await ctx.queue.open(current.dossier);
      ctx.log.info('session.opened', { state: current.state, offline: current.offlineCopy !== null });
      return current;
    },

    async logout() {
      await ctx.ready;
      await logoutFromServer(ctx);
      await forgetSession(ctx);
      // What is still pending stays on this computer and goes at the next login.
      const pending = ctx.queue.pendingCount();
      await ctx.queue.close();
      ctx.log.info('session.ended', { pending });
      return null;
    },

    getDossier: () => refreshDossier(ctx),
  };
}
