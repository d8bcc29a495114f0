import { useEffect, useState } from 'react';
import type { QueueView } from '../src-shared/assistant-api';
import { assistant } from './assistant-client';
import { queueByPiece, type PieceQueueInfo } from './piece-state';

/** Follows the main process's queue while someone is logged in. */
export function useQueue(loggedIn: boolean): { byPiece: Map<string, PieceQueueInfo>; pending: number } | undefined {
  const [view, setView] = useState<QueueView | null>(null);
  useEffect(() => {
    if (!loggedIn) {
      setView(null);
      return;
    }
    return assistant.on('queueChanged', setView);
  }, [loggedIn]);
  if (!view) return undefined;
  return { byPiece: queueByPiece(view), pending: view.pending };
}
