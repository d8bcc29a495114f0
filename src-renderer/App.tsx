import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { CampaignSummary, Dossier } from '../src-shared/contract';
import type { ErrorInfo } from '../src-shared/errors';
import { assistant } from './assistant-client';
import { Welcome } from './screens/Welcome';
import { Login } from './screens/Login';

// The screens after login load while the person types their password: the first screen
// carries only what it needs.
const loadPieces = () => import('./screens/Pieces');
const loadClosing = () => import('./screens/Closing');
const loadFollowUp = () => import('./screens/FollowUp');
const Pieces = lazy(() => loadPieces().then((m) => ({ default: m.Pieces })));
const Closing = lazy(() => loadClosing().then((m) => ({ default: m.Closing })));
const FollowUp = lazy(() => loadFollowUp().then((m) => ({ default: m.FollowUp })));
import { useQueue } from './use-queue';

type Screen = 'accueil' | 'connexion' | 'pieces' | 'cloture';

/** Codes after which the person must log in again. */
const SESSION_LOST = new Set<ErrorInfo['code']>(['unauthenticated', 'not_logged_in']);

export function App() {
  const [screen, setScreen] = useState<Screen>('accueil');
  const [campaigns, setCampaigns] = useState<CampaignSummary[]>([]);
  const [campaignError, setCampaignError] = useState<string | null>(null);
  const [dossier, setDossier] = useState<Dossier | null>(null);
  const [loginNotice, setLoginNotice] = useState<string | null>(null);
  const queue = useQueue(dossier !== null);

  const loadCampaigns = useCallback(() => {
    void assistant.listCampaigns({}).then((result) => {
      if (result.ok) {
        setCampaigns(result.value);
        setCampaignError(null);
      } else setCampaignError(result.error.message);
    });
  }, []);
  useEffect(loadCampaigns, [loadCampaigns]);

  const refresh = useCallback(async () => {
    const result = await assistant.getDossier({});
    if (result.ok) setDossier(result.value);
    else if (SESSION_LOST.has(result.error.code)) {
      setDossier(null);
      setLoginNotice(result.error.message);
      setScreen('connexion');
    }
    return result;
  }, []);

  const logout = useCallback(async () => {
    await assistant.logout({});
    setDossier(null);
    setLoginNotice(null);
    setScreen('accueil');
  }, []);

  let content;
  if (!dossier) {
    content =
      screen === 'connexion' ? (
        <Login
          notice={loginNotice}
          onLoggedIn={(d) => {
            setDossier(d);
            setScreen('pieces');
          }}
          onBack={() => setScreen('accueil')}
          onShown={() => void Promise.all([loadPieces(), loadClosing(), loadFollowUp()])}
        />
      ) : (
        <Welcome campaigns={campaigns} error={campaignError} onRetry={loadCampaigns} onStart={() => setScreen('connexion')} />
      );
  } else if (dossier.state === 'closed') {
    content = <FollowUp key="suivi" dossier={dossier} queue={queue?.byPiece} onChanged={refresh} />;
  } else if (screen === 'cloture') {
    content = <Closing dossier={dossier} onBack={() => setScreen('pieces')} onClosed={refresh} />;
  } else {
    content = <Pieces dossier={dossier} queue={queue?.byPiece} onChanged={refresh} onClose={() => setScreen('cloture')} />;
  }

  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="banner">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Assistant Dépôt
          <span className="brand-sub">Pièces d'inscription aux concours</span>
        </p>
        {dossier && (
          <div className="who">
            <span>
              {dossier.firstName} {dossier.lastName}, dossier n° {dossier.dossier}
            </span>
            <Button className="button small" onPress={() => void logout()}>
              Se déconnecter
            </Button>
          </div>
        )}
      </header>
      <main id="contenu" tabIndex={-1}>
        {queue && queue.pending > 0 && (
          <p className="queue-note" role="status">
            {queue.pending === 1
              ? "Un document est en attente d'envoi : il est gardé sur cet ordinateur et sera envoyé dès que le serveur répondra."
              : `${queue.pending} documents sont en attente d'envoi : ils sont gardés sur cet ordinateur et seront envoyés dès que le serveur répondra.`}
          </p>
        )}
        <Suspense fallback={<p role="status">Chargement…</p>}>{content}</Suspense>
      </main>
    </>
  );
}
