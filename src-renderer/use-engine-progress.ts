import { useEffect, useState } from 'react';
import { assistant } from './assistant-client';

/**
 * How far the document engine is on the current operation, as a fraction, or null while it
 * has not said (an indeterminate bar is shown then).
 */
export function useEngineProgress(active: boolean): number | null {
  const [fraction, setFraction] = useState<number | null>(null);
  useEffect(() => {
    setFraction(null);
    if (!active) return;
    return assistant.on('progress', ({ done, total }) => {
      if (total > 0) setFraction(Math.min(1, Math.max(0, done / total)));
    });
  }, [active]);
  return active ? fraction : null;
}
