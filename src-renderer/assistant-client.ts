/**
 * `window.assistant`: given by the Electron preload, or, in a plain browser, built here over the
 * browser host's loopback bridge, one method per name of the assistant API's type; events
 * arrive over Server-Sent Events from `/bridge-events` (one stream, opened on the first
 * subscription).
 */
import type { AssistantBridge, AssistantEventName, Result } from '../src-shared/assistant-api';
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

/**
 * Each method of the table's type posts to `/bridge/<name>`. The names come from the type, not
 * from the table's value: the table carries the input schemas (TypeBox), which the host checks
 * and the first screen need not load.
 */
function bridgeClient(): AssistantBridge {
  const call = (name: string) => async (input: unknown): Promise<Result<unknown>> => {
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
  };
  const on = bridgeEvents();
  const methods = new Map<string, ReturnType<typeof call>>();
  return new Proxy({} as AssistantBridge, {
    get: (_target, name) => {
      if (name === 'on') return on;
      if (typeof name !== 'string' || name === 'then') return undefined;
      let method = methods.get(name);
      if (!method) methods.set(name, (method = call(name)));
      return method;
    },
  });
}

export const assistant: AssistantBridge = window.assistant ?? bridgeClient();
