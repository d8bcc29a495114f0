import type { PieceQueueInfo } from './screens/PieceList';

/**
 * The upload queue on this computer, per piece (waiting, or refused with the reason). Empty
 * until the main process reports its queue.
 */
export function useQueue(_loggedIn: boolean): Map<string, PieceQueueInfo> | undefined {
  return undefined;
}
