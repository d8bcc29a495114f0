import { HELP_DESK_CODES, type ErrorInfo } from '../src-shared/errors';
import { ErrorMessage } from '../src-ui';
import { SupportReportButton } from './SupportReportButton';

/** What an alert shows: a sentence, or an error from the assistant (its code says whether the help desk is needed). */
export type AlertContent = string | ErrorInfo | null;

/** Errors always appear here, in plain French; one the help desk must see comes with the support report. */
export function Alert({ message }: { message: AlertContent }) {
  if (!message) return null;
  const text = typeof message === 'string' ? message : message.message;
  const helpDesk = typeof message !== 'string' && HELP_DESK_CODES.has(message.code);
  return (
    <>
      <ErrorMessage message={text} />
      {helpDesk && <SupportReportButton />}
    </>
  );
}
