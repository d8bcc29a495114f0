import type { CampaignSummary } from '../../src-shared/contract';
import { formatCountdown, formatDeadlineDay, formatInstant, localTimeZone } from '../format';
import { useServerClock } from '../use-server-clock';

export function Welcome({ campaigns, onStart }: { campaigns: CampaignSummary[]; onStart: () => void }) {
  const now = useServerClock();
  const here = localTimeZone();
  return (
    <section aria-labelledby="titre-accueil">
      <h1 id="titre-accueil">Envoyer les pièces de votre inscription</h1>
      <p className="lead">
        Cet assistant vous aide à ajouter chaque document demandé, puis à clôturer votre inscription. Vos photos
        et scans sont mis au bon format avant l'envoi.
      </p>
      {campaigns.map((c) => (
        <div key={c.id} className="card">
          <h2>{c.title}</h2>
          <p>{c.organiser}</p>
          <p className="deadline">
            Clôturez votre inscription au plus tard <strong>{formatDeadlineDay(c.closesAt, c.timeZone)}</strong>{' '}
            (heure de Paris).
          </p>
          {here !== c.timeZone && (
            <p>
              Chez vous ({here}), c'est avant le {formatInstant(c.closesAt, here)}.
            </p>
          )}
          {now && (
            <p className="countdown" aria-live="off">
              {formatCountdown(new Date(c.closesAt).getTime() - now.getTime())}
            </p>
          )}
        </div>
      ))}
      <ol className="steps">
        <li>Connectez-vous avec votre numéro de dossier et votre mot de passe.</li>
        <li>Ajoutez chaque document demandé.</li>
        <li>Clôturez votre inscription avant la date limite.</li>
      </ol>
      <button type="button" className="primary" onClick={onStart}>
        Commencer
      </button>
    </section>
  );
}
