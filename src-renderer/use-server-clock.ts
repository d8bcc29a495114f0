import { useEffect, useState } from 'react';
import { assistant } from './assistant-client';

/**
 * The server's clock, the only one that counts: the offset from the local clock is measured
 * once (half the round trip corrected) and the returned time ticks every second.
 */
export function useServerClock(): Date | null {
  const [offset, setOffset] = useState<number | null>(null);
  const [, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    const sentAt = Date.now();
    void assistant.getServerTime({}).then((result) => {
      if (cancelled || !result.ok) return;
      const receivedAt = Date.now();
      setOffset(new Date(result.value.now).getTime() - (sentAt + receivedAt) / 2);
    });
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);
  return offset === null ? null : new Date(Date.now() + offset);
}
