import { Fragment, lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { CounterContext } from './counter-context';
import { useCounterStatus } from './use-counter-status';

// A candidate at home never uses the counter's bar and dialogs: they load only when needed.
const CounterBar = lazy(() => import('./CounterBar').then((m) => ({ default: m.CounterBar })));
const CounterSettingsDialog = lazy(() => import('./CounterSettingsDialog').then((m) => ({ default: m.CounterSettingsDialog })));
const InactivityWarning = lazy(() => import('./InactivityWarning').then((m) => ({ default: m.InactivityWarning })));
const StaffLookup = lazy(() => import('./StaffLookup').then((m) => ({ default: m.StaffLookup })));

/**
 * Around the candidate's screens: the counter bar (Nouveau candidat, staff look-up, large
 * text, settings), the inactivity warning, and the settings. Outside counter mode, the
 * settings open from a discreet line of the welcome screen (`openSettings` in the context).
 * The candidate's screens are keyed by the wipe generation: after a wipe (asked or on its
 * own) they are thrown away and mounted again, so that no state and no element of the
 * previous candidate survives in the page.
 */
export function CounterShell({ children }: { children: ReactNode }) {
  const { status, loaded, refresh } = useCounterStatus();
  const [dialog, setDialog] = useState<'none' | 'lookup' | 'settings'>('none');
  const enabled = status?.enabled ?? false;
  const generation = status?.generation ?? 0;
  // A wipe closes whatever the staff had open too (the look-up shows another person's dossier).
  useEffect(() => setDialog('none'), [generation]);

  if (!loaded) return null;
  return (
    <CounterContext.Provider value={{ status, refresh, openSettings: () => setDialog('settings') }}>
      {enabled && status && (
        <Suspense fallback={null}>
          <CounterBar
            status={status}
            refresh={refresh}
            onLookup={() => setDialog('lookup')}
            onSettings={() => setDialog('settings')}
          />
        </Suspense>
      )}
      <Fragment key={generation}>
        {children}
        {dialog === 'lookup' && status && (
          <Suspense fallback={null}>
            <StaffLookup staffLogin={status.staffLogin} onClose={() => setDialog('none')} onChanged={refresh} />
          </Suspense>
        )}
      </Fragment>
      {enabled && status && (status.phase === 'warning' || status.phase === 'waiting_sends') && (
        <Suspense fallback={null}>
          <InactivityWarning status={status} onContinue={refresh} />
        </Suspense>
      )}
      {dialog === 'settings' && (
        <Suspense fallback={null}>
          <CounterSettingsDialog status={status} onClose={() => setDialog('none')} onSaved={refresh} />
        </Suspense>
      )}
    </CounterContext.Provider>
  );
}
