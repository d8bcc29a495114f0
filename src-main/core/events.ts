/**
 * The main process's side of the assistant events: core code emits, each transport (Electron
 * IPC, the browser host's Server-Sent Events) subscribes and forwards to its UI.
 */
import type { AssistantEventName, EventPayload } from '../../src-shared/assistant-api';

export type EventListener = <E extends AssistantEventName>(event: E, payload: EventPayload<E>) => void;

export interface EventHub {
  emit<E extends AssistantEventName>(event: E, payload: EventPayload<E>): void;
  /** Answers the function that unsubscribes. */
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const listener of [...listeners]) {
        // One broken transport must not stop the others, nor the work that emitted.
        try {
          listener(event, payload);
        } catch {
          /* ignored on purpose */
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
