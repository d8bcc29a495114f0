/**
 * How far the document engine is, as a fraction, or null when it does not say (an
 * indeterminate bar is shown then).
 */
export function useEngineProgress(_active: boolean): number | null {
  return null;
}
