/**
 * The support report (issue 17, "A log for the help desk"): versions, system, counter mode,
 * the queue's counts by state and the last warnings and errors with their codes. Built from
 * counts and codes only, so that it holds no dossier number, name, token or file name.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { QueueState } from '../../../src-shared/assistant-api';
import { errorFields } from '../../../src-shared/log';
import { supportReportText, type SupportReport } from '../../../src-shared/support-report';
import { unsentElsewhere } from '../counter/pending';
import { projectPath } from '../project-paths';
import type { AssistantContext, Handlers } from './context';

/** The version in package.json (the packaged app's too); "inconnue" if it cannot be read. */
export function packageVersion(): string {
  try {
    const { version } = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : 'inconnue';
  } catch {
    return 'inconnue';
  }
}

export function supportHandlers(
  ctx: AssistantContext,
  counterEnabled: () => Promise<boolean>,
): Handlers<'supportReport'> {
  const appVersion = ctx.options.appVersion ?? packageVersion();
  return {
    async supportReport() {
      await ctx.ready;
      const counts: Record<QueueState, number> = { pending: 0, sent: 0, refused: 0 };
      for (const item of ctx.queue.view().items) counts[item.state] += 1;
      const counterMode = await counterEnabled().catch((error: unknown) => {
        ctx.log.warn('support.counter_status_failed', errorFields(error));
        return ctx.settings.read().counterMode;
      });
      const report: Omit<SupportReport, 'text'> = {
        generatedAt: new Date().toISOString(),
        appVersion,
        os: { platform: os.platform(), release: os.release(), arch: os.arch() },
        runtimes: {
          node: process.versions.node,
          electron: process.versions.electron ?? null,
          chrome: process.versions.chrome ?? null,
        },
        counterMode,
        queue: { ...counts, pendingOtherDossiers: await unsentElsewhere(ctx.options.workspaceDir, ctx.queue.dossier) },
        recent: ctx.log.recent().map(({ at, level, event, code }) => ({
          at,
          level,
          event,
          code: typeof code === 'string' ? code : null,
        })),
      };
      return { ...report, text: supportReportText(report) };
    },
  };
}
