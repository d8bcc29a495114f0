/**
 * Counter mode's methods (help desk), wired to the candidate's session: the wipe counts what
 * has not reached the server, forgets the session and lets go of the queue's files.
 */
import type { COUNTER_METHODS } from '../../../src-shared/counter';
import { createCounter, type Counter } from '../counter/counter';
import { unsentElsewhere } from '../counter/pending';
import { MemoryCounterSettings, sharedCounterSettings } from '../counter/settings';
import type { AssistantContext, Handlers } from './context';
import { forgetSession, logoutFromServer } from './session';

export type CounterMethod = keyof typeof COUNTER_METHODS;

export function createCounterHandlers(ctx: AssistantContext): { handlers: Handlers<CounterMethod>; close: Counter['close'] } {
  const { options, queue, api } = ctx;
  const { close, ...handlers } = createCounter({
    apiUrl: options.apiUrl,
    settings: sharedCounterSettings(ctx.settings, options.counter?.settings ?? new MemoryCounterSettings()),
    overrides: options.counter?.overrides,
    onWipe: options.counter?.onWipe,
    log: ctx.log,
    // Everything under the workspace belongs to the current candidate (queue, receipt, sealed session).
    candidateFolders: [options.workspaceDir],
    candidate: {
      async pendingSends() {
        await ctx.ready;
        const open = Math.max(ctx.sending.size, queue.pendingCount());
        return open + (await unsentElsewhere(options.workspaceDir, queue.dossier));
      },
      async forget() {
        await ctx.ready;
        await logoutFromServer(ctx);
        await forgetSession(ctx);
        // The next candidate must not log in as this one's computer.
        await ctx.deviceTokens.clear();
        // The journal is a database file held open: closed before its folder is removed.
        await queue.close();
      },
      flush: async () => (queue.dossier && api.loggedIn ? queue.retryAll() : null),
    },
  });
  return { handlers, close };
}
