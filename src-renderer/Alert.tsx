import { HELP_DESK_CODES, type ErrorInfo } from '../src-shared/errors';
import { SupportReportButton } from './SupportReportButton';

/** What an alert shows: a sentence, or an error from the assistant (its code says whether the help desk is needed). */
export type AlertContent = string | ErrorInfo | null;

/** Errors always appear here, in plain French, announced by screen readers. */
export function Alert({ message }: { message: AlertContent }) {
  if (!message) return null;
  const text = typeof message === 'string' ? message : message.message;
  const helpDesk = typeof message !== 'string' && HELP_DESK_CODES.has(message.code);
  return (
    <>
      <div role="alert" className="alert">
        {text}
      </div>
      {helpDesk && <SupportReportButton />}
    </>
  );
}
