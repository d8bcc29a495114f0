import { useCallback, useEffect, useState } from 'react';
import type { CampaignSummary, Dossier } from '../src-shared/contract';
import { assistant } from './assistant-client';
import { Welcome } from './screens/Welcome';
import { Login } from './screens/Login';
import { Pieces } from './screens/Pieces';
import { Closing } from './screens/Closing';
import { FollowUp } from './screens/FollowUp';

type Screen = 'accueil' | 'connexion' | 'pieces' | 'cloture';

export function App() {
  const [screen, setScreen] = useState<Screen>('accueil');
  const [campaigns, setCampaigns] = useState<CampaignSummary[]>([]);
  const [dossier, setDossier] = useState<Dossier | null>(null);

  useEffect(() => {
    void assistant.listCampaigns({}).then((result) => {
      if (result.ok) setCampaigns(result.value);
    });
  }, []);

  const refresh = useCallback(async () => {
    const result = await assistant.getDossier({});
    if (result.ok) setDossier(result.value);
    return result;
  }, []);

  const logout = useCallback(async () => {
    await assistant.logout({});
    setDossier(null);
    setScreen('accueil');
  }, []);

  let content;
  if (!dossier) {
    content =
      screen === 'connexion' ? (
        <Login onLoggedIn={(d) => (setDossier(d), setScreen('pieces'))} onBack={() => setScreen('accueil')} />
      ) : (
        <Welcome campaigns={campaigns} onStart={() => setScreen('connexion')} />
      );
  } else if (dossier.state === 'closed') {
    content = <FollowUp dossier={dossier} onChanged={refresh} />;
  } else if (screen === 'cloture') {
    content = <Closing dossier={dossier} onBack={() => setScreen('pieces')} onClosed={refresh} />;
  } else {
    content = <Pieces dossier={dossier} onChanged={refresh} onClose={() => setScreen('cloture')} />;
  }

  return (
    <>
      <header className="banner">
        <p className="brand">Assistant Dépôt</p>
        {dossier && (
          <div className="who">
            <span>
              {dossier.firstName} {dossier.lastName} — dossier n° {dossier.dossier}
            </span>
            <button type="button" className="link" onClick={() => void logout()}>
              Se déconnecter
            </button>
          </div>
        )}
      </header>
      <main id="contenu">{content}</main>
    </>
  );
}
