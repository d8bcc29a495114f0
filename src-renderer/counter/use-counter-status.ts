import { useCallback, useEffect, useRef, useState } from 'react';
import type { CounterStatus } from '../../src-shared/counter';
import { assistant } from '../assistant-client';

const POLL_MS = 1000;
/** Activity is reported at most this often: enough for a delay counted in minutes. */
const ACTIVITY_EVERY_MS = 5000;
const WARNING_ACTIVITY_EVERY_MS = 300;
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * The counter status from the main process, which owns the inactivity clock: polled while
 * counter mode is on (the countdown and a wipe done on its own show within a second), and the
 * person's activity reported back, throttled.
 */
export function useCounterStatus(): { status: CounterStatus | null; loaded: boolean; refresh: () => Promise<void> } {
  const [status, setStatus] = useState<CounterStatus | null>(null);
  const [loaded, setLoaded] = useState(false);
  const lastReport = useRef(0);

  const refresh = useCallback(async () => {
    const result = await assistant.counterStatus({});
    if (result.ok) setStatus(result.value);
    setLoaded(true);
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const enabled = status?.enabled ?? false;
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [enabled, refresh]);

  const warning = status?.phase === 'warning';
  useEffect(() => {
    if (!enabled) return;
    const report = () => {
      const now = Date.now();
      // During the warning a touch counts at once: the dialog must go as soon as someone acts.
      if (now - lastReport.current < (warning ? WARNING_ACTIVITY_EVERY_MS : ACTIVITY_EVERY_MS)) return;
      lastReport.current = now;
      void assistant.counterActivity({}).then(() => (warning ? refresh() : undefined));
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, report, { capture: true, passive: true });
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, report, { capture: true });
    };
  }, [enabled, warning, refresh]);

  const largeText = status?.largeText ?? false;
  useEffect(() => {
    document.documentElement.classList.toggle('large-text', largeText);
  }, [largeText]);

  return { status, loaded, refresh };
}
