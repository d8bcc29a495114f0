import { ToggleButton } from 'react-aria-components';
import { assistant } from '../assistant-client';

/** Larger letters on the counter's screen, for candidates who read with difficulty. */
export function LargeTextToggle({ on, onChanged }: { on: boolean; onChanged: () => Promise<void> }) {
  return (
    <ToggleButton
      className="button counter-large-text"
      isSelected={on}
      onChange={async (selected) => {
        await assistant.counterSetLargeText({ largeText: selected });
        await onChanged();
      }}
    >
      Grands caractères
    </ToggleButton>
  );
}
