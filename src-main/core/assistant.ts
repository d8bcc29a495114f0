/**
 * The assistant API implementation (the methods of src-shared/assistant-api.ts), free of
 * Electron: the desktop shell and the browser host both serve this same object. It is made of
 * handler maps, one per concern (assistant/*.ts), that share one explicit context; this is the
 * one place where they are combined, and where every failed call is logged.
 */
import type { AssistantImpl, AssistantMethodName } from '../../src-shared/assistant-api';
import { AppError, type ErrorCode } from '../../src-shared/errors';
import { errorFields, type Logger } from '../../src-shared/log';
import { closureHandlers } from './assistant/closure';
import { createContext, type AssistantOptions } from './assistant/context';
import { createCounterHandlers } from './assistant/counter';
import { documentHandlers } from './assistant/documents';
import { queueHandlers } from './assistant/queue';
import { resumeSession, sessionHandlers } from './assistant/session';
import { settingsHandlers } from './assistant/settings';
import { supportHandlers } from './assistant/support';
import type { Counter } from './counter/counter';

export type { AssistantOptions } from './assistant/context';

export interface Assistant extends AssistantImpl {
  /** Resolves once a kept session is taken up and its queue resumed. */
  ready: Promise<void>;
  /** Stops the queue and the engine (quit). */
  shutdown(): Promise<void>;
  /** Stops the counter's clock and folder watch (quit). */
  close: Counter['close'];
}

/** Answers that are part of the normal course (asked before logging in, say): not worth a warning. */
const ROUTINE_CODES = new Set<ErrorCode>(['not_logged_in', 'counter_mode_off', 'staff_not_logged_in']);

/** The same methods, each failure logged with its method and code (the answer is unchanged). */
function logged(methods: AssistantImpl, log: Logger): AssistantImpl {
  const report = (method: AssistantMethodName) => (error: unknown) => {
    if (!(error instanceof AppError)) log.error('assistant.unexpected', { method, ...errorFields(error) });
    else if (ROUTINE_CODES.has(error.code)) log.info('assistant.refused', { method, code: error.code });
    else log.warn('assistant.failed', { method, code: error.code });
  };
  const wrapped: Partial<Record<AssistantMethodName, (input: never) => Promise<unknown>>> = {};
  for (const name of Object.keys(methods) as AssistantMethodName[]) {
    const method = methods[name] as (input: unknown) => Promise<unknown>;
    wrapped[name] = (input: unknown) => {
      let answer: Promise<unknown>;
      try {
        answer = method(input);
      } catch (error) {
        answer = Promise.reject(error);
      }
      // The very promise is answered (a double click joins the first send), observed on the side.
      answer.catch(report(name));
      return answer;
    };
  }
  return wrapped as AssistantImpl;
}

export function createAssistant(options: AssistantOptions): Assistant {
  const ctx = createContext(options);
  ctx.ready = resumeSession(ctx);
  const counter = createCounterHandlers(ctx);
  const methods: AssistantImpl = {
    ...settingsHandlers(ctx),
    ...sessionHandlers(ctx),
    ...documentHandlers(ctx),
    ...closureHandlers(ctx),
    ...queueHandlers(ctx),
    ...counter.handlers,
    ...supportHandlers(ctx, async () => (await counter.handlers.counterStatus({})).enabled),
  };
  return {
    ...logged(methods, ctx.log),
    ready: ctx.ready,
    close: counter.close,
    async shutdown() {
      ctx.reminders.cancel();
      await counter.close();
      await ctx.queue.close();
      await ctx.engine.close();
    },
  };
}
