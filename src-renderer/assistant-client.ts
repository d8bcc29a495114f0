/**
 * `window.assistant`: given by the Electron preload, or, in a plain browser, built here over the
 * browser host's loopback bridge from the same method list; events arrive over Server-Sent
 * Events from `/bridge-events` (one stream, opened on the first subscription).
 */
import {
  ASSISTANT_METHOD_NAMES,
  type AssistantBridge,
  type AssistantEventName,
  type Result,
} from '../src-shared/assistant-api';
import { ERRORS } from '../src-shared/errors';
import { fromWire, toWire } from '../src-shared/wire';

declare global {
  interface Window {
    assistant?: AssistantBridge;
  }
}

function bridgeEvents(): AssistantBridge['on'] {
  let source: EventSource | null = null;
  const open = () => (source ??= new EventSource('./bridge-events'));
  return (event, listener) => {
    const relay = (message: MessageEvent<string>) => {
      try {
        listener(fromWire(message.data) as never);
      } catch {
        /* a malformed event is dropped, never thrown into the UI */
      }
    };
    const stream = open();
    stream.addEventListener(event satisfies AssistantEventName, relay as EventListener);
    return () => stream.removeEventListener(event, relay as EventListener);
  };
}

function bridgeClient(): AssistantBridge {
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
  return { ...(Object.fromEntries(entries) as Omit<AssistantBridge, 'on'>), on: bridgeEvents() } as AssistantBridge;
}

export const assistant: AssistantBridge = window.assistant ?? bridgeClient();
