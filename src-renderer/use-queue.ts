import { useEffect, useState } from 'react';
import type { QueueView } from '../src-shared/assistant-api';
import { assistant } from './assistant-client';
import type { PieceQueueInfo } from './screens/PieceList';

/**
 * The upload queue on this computer, per piece: a document waiting to be sent, or refused by
 * the server with its reason. Pieces with nothing in the queue are absent.
 */
export function queueByPiece(view: QueueView): Map<string, PieceQueueInfo> {
  const byPiece = new Map<string, PieceQueueInfo>();
  for (const item of view.items) {
    if (item.state === 'pending') byPiece.set(item.pieceId, { state: 'pending' });
    else if (item.state === 'refused' && byPiece.get(item.pieceId)?.state !== 'pending')
      byPiece.set(item.pieceId, { state: 'refused', reason: item.error?.message });
  }
  return byPiece;
}

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
