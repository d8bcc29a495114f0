import { createContext, useContext } from 'react';
import type { CounterStatus } from '../../src-shared/counter';

export interface CounterContextValue {
  /** null until the main process answered (and in a plain candidate set-up, `enabled` false). */
  status: CounterStatus | null;
  refresh: () => Promise<void>;
  /** Opens "Réglages du guichet" (staff turn counter mode on from the welcome screen). */
  openSettings: () => void;
}

export const CounterContext = createContext<CounterContextValue>({ status: null, refresh: async () => {}, openSettings: () => {} });

export function useCounter(): CounterContextValue {
  return useContext(CounterContext);
}
