import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { DossierView } from '../src-shared/assistant-api';
import { ERRORS } from '../src-shared/errors';
import { formatCopyMomentInCampaignTime, localTimeZone } from './format';

/** Beside the closing button while offline (the note above the screen says why at length). */
export const CLOSE_WAITS_FOR_CONNECTION = 'Pas de connexion pour le moment : la clôture sera possible dès que la connexion reviendra.';

/**
 * Shown while the server cannot be reached and the dossier on screen is the copy kept on this
 * computer: from when it dates, that what is added leaves on its own once the connection is
 * back, and that closing waits for it. Calm on purpose: nothing is lost.
 */
export function OfflineNote({
  dossier,
  readAt,
  pending,
  onCheck,
}: {
  dossier: DossierView;
  readAt: string;
  /** Documents waiting on this computer to be sent. */
  pending: number;
  /** Asks the server again; answers whether it answered. */
  onCheck: () => Promise<boolean>;
}) {
  const [checking, setChecking] = useState(false);
  const [stillOffline, setStillOffline] = useState(false);
  const [now, setNow] = useState(() => new Date());
  // "aujourd'hui" must become "hier" if the app stays open past midnight.
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);

  async function check() {
    setChecking(true);
    setStillOffline(false);
    const back = await onCheck();
    setChecking(false);
    setStillOffline(!back);
  }

  const open = dossier.state === 'open';
  return (
    <div className="card offline-note" role="region" aria-labelledby="titre-hors-connexion">
      <p id="titre-hors-connexion" className="offline-title">
        Pas de connexion avec le centre de gestion pour le moment
      </p>
      <p>
        Vous voyez votre dossier tel qu'il était <strong>{formatCopyMomentInCampaignTime(readAt, now, dossier.campaign.timeZone, localTimeZone())}</strong>, la
        dernière fois que le serveur a répondu : c'est une copie gardée sur cet ordinateur.
      </p>
      {pending > 0 && (
        <p>
          {pending === 1
            ? 'Un document attend sur cet ordinateur : il partira tout seul dès que la connexion reviendra.'
            : `${pending} documents attendent sur cet ordinateur : ils partiront tout seuls dès que la connexion reviendra.`}
        </p>
      )}
      <p>
        {open
          ? "Vous pouvez continuer à ajouter vos documents. Ils restent sur cet ordinateur et seront envoyés automatiquement dès que la connexion reviendra, même si vous fermez l'application."
          : "Les pièces que vous ajoutez restent sur cet ordinateur et seront envoyées automatiquement dès que la connexion reviendra, même si vous fermez l'application."}
      </p>
      {open && <p>{ERRORS.close_needs_connection.message}</p>}
      <div className="actions">
        <Button className="button" isDisabled={checking} onPress={() => void check()}>
          Vérifier la connexion
        </Button>
      </div>
      <p role="status" className="status">
        {checking
          ? 'Vérification…'
          : stillOffline
            ? "Toujours pas de connexion. L'application réessaie toute seule régulièrement."
            : ''}
      </p>
    </div>
  );
}
