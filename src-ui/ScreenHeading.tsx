import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';

/**
 * What every screen says right under its title while it holds (offline copy, documents waiting
 * to be sent): placed after the title so that a screen reader, starting at the focused title,
 * reads it next.
 */
export const ScreenNotes = createContext<ReactNode>(null);

/**
 * The title of a screen. It takes the focus when the screen appears, so a screen reader reads
 * where the person now is and the next Tab starts from the top of the new screen.
 */
export function ScreenHeading({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const notes = useContext(ScreenNotes);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <>
      <h1 ref={ref} id={id} tabIndex={-1}>
        {children}
      </h1>
      {notes}
    </>
  );
}
