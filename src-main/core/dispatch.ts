/**
 * The one dispatch function behind every transport (Electron IPC, the browser host's bridge):
 * it checks the method name and its input against the assistant API table, calls the
 * implementation and wraps the outcome in a Result, so that error codes survive the boundary.
 */
import { Value } from '@sinclair/typebox/value';
import {
  ASSISTANT_METHODS,
  isAssistantMethod,
  type AssistantImpl,
  type Result,
} from '../../src-shared/assistant-api';
import { AppError, toErrorInfo } from '../../src-shared/errors';

export type Dispatch = (method: string, input: unknown) => Promise<Result<unknown>>;

export function createDispatch(
  impl: AssistantImpl,
  onUnexpected: (method: string, error: unknown) => void = () => {},
): Dispatch {
  return async (method, input) => {
    try {
      if (!isAssistantMethod(method)) throw new AppError('validation_failed');
      const { input: schema } = ASSISTANT_METHODS[method];
      const given = input ?? {};
      if (!Value.Check(schema, given)) throw new AppError('validation_failed');
      const call = impl[method] as (input: unknown) => Promise<unknown>;
      const value = await call.call(impl, given);
      return { ok: true, value: value ?? null };
    } catch (error) {
      if (!(error instanceof AppError)) onUnexpected(method, error);
      return { ok: false, error: toErrorInfo(error) };
    }
  };
}
