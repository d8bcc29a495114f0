import { Label, ProgressBar } from 'react-aria-components';

/**
 * A progress bar: exact when the engine reports a fraction, otherwise indeterminate. Screen
 * readers get the same words through the status region of the screen that shows it.
 */
export function Progress({ label, fraction }: { label: string; fraction: number | null }) {
  const indeterminate = fraction === null;
  return (
    <ProgressBar
      className="progress"
      isIndeterminate={indeterminate}
      value={indeterminate ? undefined : Math.round(fraction * 100)}
      formatOptions={{ style: 'percent', maximumFractionDigits: 0 }}
    >
      {({ percentage, valueText }) => (
        <>
          <div className="progress-head">
            <Label>{label}</Label>
            {!indeterminate && <span className="progress-value">{valueText}</span>}
          </div>
          <div className="progress-track">
            <div
              className={indeterminate ? 'progress-fill indeterminate' : 'progress-fill'}
              style={indeterminate ? undefined : { width: `${percentage ?? 0}%` }}
            />
          </div>
        </>
      )}
    </ProgressBar>
  );
}
