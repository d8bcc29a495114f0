/**
 * `window.assistant`: given by the Electron preload, or, in a plain browser, built here over the
 * browser host's loopback bridge from the same method list.
 */
import { ASSISTANT_METHOD_NAMES, type AssistantApi, type Result } from '../src-shared/assistant-api';
import { ERRORS } from '../src-shared/errors';
import { fromWire, toWire } from '../src-shared/wire';

declare global {
  interface Window {
    assistant?: AssistantApi;
  }
}

function bridgeClient(): AssistantApi {
  const entries = ASSISTANT_METHOD_NAMES.map((name) => [
    name,
    async (input: unknown): Promise<Result<unknown>> => {
      try {
        const response = await fetch(`./bridge/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Assistant-Bridge': '1' },
          body: toWire(input ?? {}),
        });
        if (!response.ok) throw new Error(String(response.status));
        return fromWire(await response.text()) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'internal_error', message: ERRORS.internal_error.message } };
      }
    },
  ]);
  return Object.fromEntries(entries) as AssistantApi;
}

export const assistant: AssistantApi = window.assistant ?? bridgeClient();
