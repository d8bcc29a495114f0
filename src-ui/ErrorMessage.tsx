import type { ReactNode } from 'react';

/**
 * An error in plain French, announced by screen readers, with what helps to put it right
 * (`children`) inside it. Nothing shows when there is no message.
 */
export function ErrorMessage({
  message,
  children,
}: {
  message: string | null;
  children?: ReactNode;
}) {
  if (!message) return null;
  return (
    <div role="alert" className="alert">
      {message}
      {children}
    </div>
  );
}
