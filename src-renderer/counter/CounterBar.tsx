import { Button } from 'react-aria-components';
import type { CounterStatus } from '../../src-shared/counter';
import { LargeTextToggle } from './LargeTextToggle';
import { NewCandidateButton } from './NewCandidateButton';
import './counter.css';

/**
 * The counter's bar, always in view while counter mode is on: what the help desk uses between
 * and for candidates, and its own settings at the end, where staff look for them.
 */
export function CounterBar({
  status,
  refresh,
  onLookup,
  onSettings,
}: {
  status: CounterStatus;
  refresh: () => Promise<void>;
  onLookup: () => void;
  onSettings: () => void;
}) {
  return (
    <div className="counter-bar" role="region" aria-label="Guichet">
      <NewCandidateButton onWiped={refresh} />
      <Button className="button" onPress={onLookup}>
        Consulter un dossier (agent)
      </Button>
      <LargeTextToggle on={status.largeText} onChanged={refresh} />
      {/* In the bar named "Guichet", "Réglages" says enough and keeps the bar on one line. */}
      <Button className="text-link counter-settings" aria-label="Réglages du guichet" onPress={onSettings}>
        Réglages
      </Button>
    </div>
  );
}
