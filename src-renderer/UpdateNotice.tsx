import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { UpdateStatus } from '../src-shared/assistant-api';
import { Alert } from './Alert';
import { assistant } from './assistant-client';

/**
 * A new version of the app, downloaded and checked, waits to be installed: said once, calmly,
 * with the choice to restart now. Nothing is asked of the person: it installs itself when the
 * app is closed. The main process refuses the restart while a document is being sent or the
 * dossier closed, and says why.
 */
export function UpdateNotice() {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    const unsubscribe = assistant.on('updateChanged', (changed) => live && setStatus(changed));
    void assistant.getUpdateStatus({}).then((result) => live && result.ok && setStatus((current) => current ?? result.value));
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);

  if (status?.state !== 'ready') return null;

  async function restart() {
    setBusy(true);
    setError(null);
    const result = await assistant.restartToUpdate({});
    // On success the app closes: only a refusal comes back.
    if (!result.ok) setError(result.error.message);
    setBusy(false);
  }

  return (
    <div className="queue-note update-note" role="status">
      <p>
        Une nouvelle version de l'application ({status.version}) est prête. Elle s'installera à la fermeture de
        l'application, ou tout de suite si vous redémarrez : vos documents et votre dossier sont conservés.
      </p>
      <Button className="button small" onPress={() => void restart()} isDisabled={busy}>
        Redémarrer pour mettre à jour
      </Button>
      <Alert message={error} />
    </div>
  );
}
