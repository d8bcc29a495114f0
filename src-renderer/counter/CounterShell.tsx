import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { CounterContext } from './counter-context';
import { CounterSettingsDialog } from './CounterSettingsDialog';
import { InactivityWarning } from './InactivityWarning';
import { LargeTextToggle } from './LargeTextToggle';
import { NewCandidateButton } from './NewCandidateButton';
import { StaffLookup } from './StaffLookup';
import { useCounterStatus } from './use-counter-status';
import './counter.css';

/**
 * Around the candidate's screens: the counter bar (Nouveau candidat, staff look-up, large
 * text), the inactivity warning, and the settings. The candidate's screens are keyed by the
 * wipe generation: after a wipe (asked or on its own) they are thrown away and mounted again,
 * so that no state and no element of the previous candidate survives in the page.
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
    <CounterContext.Provider value={{ status, refresh }}>
      {enabled && status && (
        <div className="counter-bar" role="region" aria-label="Guichet">
          <NewCandidateButton onWiped={refresh} />
          <Button className="button" onPress={() => setDialog('lookup')}>
            Consulter un dossier (agent)
          </Button>
          <LargeTextToggle on={status.largeText} onChanged={refresh} />
        </div>
      )}
      <Fragment key={generation}>
        {children}
        {dialog === 'lookup' && status && (
          <StaffLookup staffLogin={status.staffLogin} onClose={() => setDialog('none')} onChanged={refresh} />
        )}
      </Fragment>
      {enabled && status && (status.phase === 'warning' || status.phase === 'waiting_sends') && (
        <InactivityWarning status={status} onContinue={refresh} />
      )}
      {dialog === 'settings' && (
        <CounterSettingsDialog status={status} onClose={() => setDialog('none')} onSaved={refresh} />
      )}
      <footer className="counter-footer">
        <Button className="button link" onPress={() => setDialog('settings')}>
          Réglages du guichet
        </Button>
      </footer>
    </CounterContext.Provider>
  );
}
