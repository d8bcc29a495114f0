import { Button } from 'react-aria-components';
import type { CampaignSummary } from '../../src-shared/contract';
import { Alert } from '../Alert';
import { useCounter } from '../counter/counter-context';
import { campaignTimeName, localTimeLead } from '../../src-shared/local-time';
import { formatCountdown, formatDeadlineDay, localTimeZone } from '../format';
import { ScreenHeading } from '../../src-ui';
import { useServerClock } from '../use-server-clock';

/** "Accueil": what to do, and by when, in Paris time and in the computer's own time. */
export function Welcome({
  campaigns,
  error,
  onRetry,
  onStart,
}: {
  campaigns: CampaignSummary[];
  error: string | null;
  onRetry: () => void;
  onStart: () => void;
}) {
  const now = useServerClock();
  const here = localTimeZone();
  const counter = useCounter();
  return (
    <section aria-labelledby="titre-accueil">
      <ScreenHeading id="titre-accueil">Envoyer les pièces de votre inscription</ScreenHeading>
      <p className="lead">
        Cet assistant vous aide à ajouter chaque document demandé, puis à clôturer votre inscription. Vos photos et
        scans sont mis au bon format avant l'envoi.
      </p>
      <Alert message={error} />
      {error && (
        <div className="actions">
          <Button className="button" onPress={onRetry}>
            Réessayer
          </Button>
        </div>
      )}
      {campaigns.map((c) => {
        const remaining = now ? new Date(c.closesAt).getTime() - now.getTime() : null;
        const campaignDay = formatDeadlineDay(c.closesAt, c.timeZone);
        // Shown when the computer's clock reads the deadline otherwise (not in Brussels, say).
        const localDay = formatDeadlineDay(c.closesAt, here);
        return (
          <div key={c.id} className="card deadline-card">
            <h2>{c.title}</h2>
            <p className="muted">{c.organiser}</p>
            <p className="deadline">
              Clôturez votre inscription au plus tard <strong>{campaignDay}</strong>, {campaignTimeName(c.timeZone)}
              {c.timeZone === 'Europe/Paris' && ' (heure métropolitaine)'}.
            </p>
            {localDay !== campaignDay && (
              <p className="local-time">
                {localTimeLead(here, new Date(c.closesAt))}, c'est <strong>{localDay}</strong>.
              </p>
            )}
            {remaining !== null && (
              <p className={remaining > 0 ? 'countdown' : 'countdown over'} role="timer" aria-live="off">
                {formatCountdown(remaining)}
              </p>
            )}
          </div>
        );
      })}
      <h2>Comment faire</h2>
      <ol className="steps">
        <li>Connectez-vous avec votre numéro de dossier et votre mot de passe.</li>
        <li>Ajoutez chaque document demandé : photo, scan ou PDF.</li>
        <li>Clôturez votre inscription avant la date limite. Sans clôture, l'inscription n'est pas enregistrée.</li>
      </ol>
      <div className="actions">
        <Button className="button primary big" onPress={onStart}>
          Commencer
        </Button>
      </div>
      {counter.status && !counter.status.enabled && (
        // Staff setting up a counter computer look for it here; a candidate reads it is not for them.
        <p className="staff-entry">
          Vous êtes agent du centre de gestion ?{' '}
          <Button className="text-link" onPress={counter.openSettings}>
            Réglages du guichet
          </Button>
        </p>
      )}
    </section>
  );
}
