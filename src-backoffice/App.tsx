import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppFrame } from '../src-ui';
import { hashOf, routeOf, type Route } from './routes';
import { DossierList, type ListState } from './screens/DossierList';
import { DossierPage } from './screens/DossierPage';
import { Login } from './screens/Login';
import { loadSession, saveSession, type StaffSession } from './session';
import { StaffApi } from './staff-api';
import type { ListFilter } from './instruction-rules';

const FIRST_LIST: ListState = { filter: 'closed' satisfies ListFilter, q: '', cursors: [null] };

export function App() {
  const [session, setSession] = useState<StaffSession | null>(() => loadSession());
  const [notice, setNotice] = useState<string | null>(null);
  const [route, setRoute] = useState<Route>(() => routeOf(location.hash));
  // The list keeps its filter, search and page while a dossier is open.
  const [list, setList] = useState<ListState>(FIRST_LIST);

  useEffect(() => {
    const follow = () => setRoute(routeOf(location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const signIn = useCallback((next: StaffSession | null, why: string | null = null) => {
    saveSession(next);
    setSession(next);
    setNotice(why);
  }, []);

  const api = useMemo(
    () =>
      session
        ? new StaffApi(session.token, () =>
            signIn(null, 'Votre session a expiré. Reconnectez-vous avec votre identifiant et votre mot de passe.'),
          )
        : null,
    [session, signIn],
  );

  const go = (next: Route) => {
    location.hash = hashOf(next);
  };

  let content;
  if (!api || !session) content = <Login notice={notice} onLoggedIn={(s) => signIn(s)} />;
  else if (route.screen === 'dossier')
    content = <DossierPage key={route.dossier} api={api} number={route.dossier} onBack={() => go({ screen: 'list' })} />;
  else content = <DossierList api={api} state={list} onChange={setList} onOpen={(dossier) => go({ screen: 'dossier', dossier })} />;

  return (
    <AppFrame
      subtitle="Instruction des dossiers"
      account={
        session && api
          ? {
              who: `Connecté : ${session.login}`,
              onLogOut: () => {
                void api.logOut();
                signIn(null);
              },
            }
          : null
      }
      mainClassName="backoffice"
    >
      {content}
    </AppFrame>
  );
}
