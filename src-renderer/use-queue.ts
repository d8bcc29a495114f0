import { useEffect, useState } from 'react';
import type { QueueView } from '../src-shared/assistant-api';
import { assistant } from './assistant-client';
import { queueByPiece, type PieceQueueInfo } from './piece-state';

/**
 * Follows the main process's queue while someone is logged in: what it holds now (documents
 * left waiting by an earlier run included), then each change.
 */
export function useQueue(loggedIn: boolean): { byPiece: Map<string, PieceQueueInfo>; pending: number } | undefined {
  const [view, setView] = useState<QueueView | null>(null);
  useEffect(() => {
    if (!loggedIn) {
      setView(null);
      return;
    }
    let live = true;
    const unsubscribe = assistant.on('queueChanged', (changed) => live && setView(changed));
    // A change that arrived meanwhile is newer than this answer.
    void assistant.listQueue({}).then((result) => live && result.ok && setView((current) => current ?? result.value));
    return () => {
      live = false;
      unsubscribe();
    };
  }, [loggedIn]);
  if (!view) return undefined;
  return { byPiece: queueByPiece(view), pending: view.pending };
}
