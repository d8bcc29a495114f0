/** The few building blocks every back-office screen uses. */
import { useEffect, useRef, type ReactNode } from 'react';

/** Errors, in plain French, announced by screen readers. */
export function ErrorMessage({ message, children }: { message: string | null; children?: ReactNode }) {
  if (!message) return null;
  return (
    <div role="alert" className="alert">
      {message}
      {children}
    </div>
  );
}

/** A screen's title: it takes the focus when the screen appears, so a screen reader says where one is. */
export function PageTitle({ id, children }: { id: string; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} id={id} tabIndex={-1}>
      {children}
    </h1>
  );
}
