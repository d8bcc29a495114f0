import type { ReactNode } from 'react';
import { Button } from 'react-aria-components';

/**
 * The frame of every page: the skip link, the header bar with the name and, once someone is
 * logged in, who it is and « Se déconnecter », then the page's content in `main` (the skip
 * link's target).
 */
export function AppFrame({
  subtitle,
  account,
  mainClassName,
  children,
}: {
  /** Says which of the two tools this is, beside the name. */
  subtitle: string;
  /** Who is logged in, or null before login. */
  account: { who: ReactNode; onLogOut: () => void } | null;
  mainClassName?: string;
  children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="banner">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Assistant Dépôt
          <span className="brand-sub">{subtitle}</span>
        </p>
        {account && (
          <div className="who">
            <span>{account.who}</span>
            <Button className="button small" onPress={account.onLogOut}>
              Se déconnecter
            </Button>
          </div>
        )}
      </header>
      <main id="contenu" tabIndex={-1} className={mainClassName}>
        {children}
      </main>
    </>
  );
}
