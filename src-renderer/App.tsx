import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { DossierView } from '../src-shared/assistant-api';
import type { CampaignSummary } from '../src-shared/contract';
import type { ErrorInfo } from '../src-shared/errors';
import { assistant } from './assistant-client';
import { OfflineNote } from './OfflineNote';
import { UpdateNotice } from './UpdateNotice';
import { AppFrame, ScreenNotes } from '../src-ui';
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
/** While the dossier shown is the offline copy, the server is asked again this often. */
const OFFLINE_CHECK_MS = 20_000;

export function App() {
  const [screen, setScreen] = useState<Screen>('accueil');
  const [campaigns, setCampaigns] = useState<CampaignSummary[]>([]);
  const [campaignError, setCampaignError] = useState<string | null>(null);
  const [dossier, setDossier] = useState<DossierView | null>(null);
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

  // A session kept from an earlier run is taken up at start (without network: the kept copy),
  // unless the person has moved on meanwhile.
  useEffect(() => {
    void assistant.getDossier({}).then((result) => {
      if (!result.ok) return;
      setDossier((current) => current ?? result.value);
      setScreen((current) => (current === 'accueil' ? 'pieces' : current));
    });
  }, []);

  // A document the queue sent on its own is in the dossier now: read it again to show it
  // (not when the queue is merely gone, at logout).
  const queued = queue?.pending;
  const queuedBefore = useRef(queued);
  useEffect(() => {
    if (queued !== undefined && queuedBefore.current !== undefined && queued < queuedBefore.current) void refresh();
    queuedBefore.current = queued;
  }, [queued, refresh]);
  const pending = queued ?? 0;

  const offline = dossier?.offlineCopy != null;
  const checkConnection = useCallback(async () => {
    const result = await refresh();
    const back = result.ok && result.value.offlineCopy === null;
    // What waited goes now rather than at the queue's next scheduled try.
    if (back) void assistant.retryQueue({});
    return back;
  }, [refresh]);
  useEffect(() => {
    if (!offline) return;
    const timer = setInterval(() => void checkConnection(), OFFLINE_CHECK_MS);
    return () => clearInterval(timer);
  }, [offline, checkConnection]);

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
    content = <Closing dossier={dossier} queue={queue?.byPiece} onBack={() => setScreen('pieces')} onClosed={refresh} />;
  } else {
    content = <Pieces dossier={dossier} queue={queue?.byPiece} onChanged={refresh} onClose={() => setScreen('cloture')} />;
  }

  const pendingNote =
    pending === 1
      ? "Un document est en attente d'envoi : il est gardé sur cet ordinateur et sera envoyé dès que le serveur répondra."
      : `${pending} documents sont en attente d'envoi : ils sont gardés sur cet ordinateur et seront envoyés dès que le serveur répondra.`;
  // Offline, the note on the copy says it all, the documents waiting included.
  const notes = dossier?.offlineCopy ? (
    <OfflineNote dossier={dossier} readAt={dossier.offlineCopy.readAt} pending={pending} onCheck={checkConnection} />
  ) : pending > 0 ? (
    <p className="queue-note" role="status">
      {pendingNote}
    </p>
  ) : null;

  return (
    <AppFrame
      subtitle="Pièces d'inscription aux concours"
      account={dossier && { who: `${dossier.firstName} ${dossier.lastName}, dossier n° ${dossier.dossier}`, onLogOut: () => void logout() }}
    >
      <UpdateNotice />
      <ScreenNotes.Provider value={notes}>
        <Suspense fallback={<p role="status">Chargement…</p>}>{content}</Suspense>
      </ScreenNotes.Provider>
    </AppFrame>
  );
}
