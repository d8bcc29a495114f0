/**
 * Assistant events to the UI over IPC: each event goes to the web contents showing our own
 * UI (app://), never to anything else that might be open.
 */
import type { WebContents } from 'electron';
import { eventChannelOf } from '../../src-shared/assistant-api';
import type { EventHub } from '../core/events';
import { isAppUrl } from './app-protocol';

export function forwardEvents(hub: EventHub, targets: () => Pick<WebContents, 'send' | 'getURL' | 'isDestroyed'>[]): () => void {
  return hub.subscribe((event, payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(eventChannelOf(event), payload);
    }
  });
}
