/**
 * Who may change the app's settings through `updateSettings`. At a counter the computer is
 * shared: whoever sits there next could otherwise point the following candidates to another
 * server. So on a counter every setting that outlives the candidate needs the staff session
 * open (the staff look-up login), and counter mode itself only moves through "Réglages du
 * guichet" with a staff account. The text size stays free: it is the person's own reading
 * comfort, and the counter bar offers it to candidates.
 */
import type { Settings } from '../../../src-shared/assistant-api';
import { AppError } from '../../../src-shared/errors';

/** What the guard needs to know of the counter (a slice of CounterStatus). */
export interface CounterState {
  enabled: boolean;
  staffLogin: string | null;
}

/** Settings a candidate may change for themselves, even at a counter. */
const PERSONAL_SETTINGS: ReadonlySet<keyof Settings> = new Set(['textSize']);

export function checkSettingsChange(patch: Partial<Settings>, current: Settings, counter: CounterState): void {
  const changed = (Object.keys(patch) as (keyof Settings)[]).filter(
    (key) => patch[key] !== undefined && patch[key] !== current[key],
  );
  if (changed.includes('counterMode')) throw new AppError('staff_code_required');
  if (counter.enabled && !counter.staffLogin && changed.some((key) => !PERSONAL_SETTINGS.has(key)))
    throw new AppError('counter_settings_need_staff');
}
