/** The local send queue as the UI sees it: what waits, what went, what was refused and why. */
import type { AssistantContext, Handlers } from './context';
import { requireLogin } from './session';

export function queueHandlers(ctx: AssistantContext): Handlers<'listQueue' | 'retryQueue' | 'dismissQueued'> {
  return {
    async listQueue() {
      await ctx.ready;
      return ctx.queue.view();
    },

    async retryQueue() {
      await requireLogin(ctx);
      return ctx.queue.retryAll();
    },

    async dismissQueued({ itemId }) {
      await requireLogin(ctx);
      return ctx.queue.dismiss(itemId);
    },
  };
}
