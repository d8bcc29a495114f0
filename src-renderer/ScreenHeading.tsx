import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The title of a screen. It takes the focus when the screen appears, so a screen reader reads
 * where the person now is and the next Tab starts from the top of the new screen.
 */
export function ScreenHeading({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} id={id} tabIndex={-1}>
      {children}
    </h1>
  );
}
