import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { StaffCampaign } from '../../src-shared/instruction';
import { startDownload } from '../blob-actions';
import { DOWNLOAD_STARTED } from '../instruction-rules';
import { StaffApiError, type StaffApi } from '../staff-api';
import { ErrorMessage } from '../ui';

/** What the campaign's ZIP will hold, said before it is asked for. */
function closedCount(n: number): string {
  if (n === 0) return 'Aucun dossier clôturé pour le moment : le fichier sera vide.';
  return `${n} dossier${n > 1 ? 's' : ''} clôturé${n > 1 ? 's' : ''}.`;
}

/**
 * "Télécharger les dossiers clôturés (ZIP)" for the jury, one button per campaign of the
 * instructor. The browser downloads the ZIP by itself from a single-use address: a campaign's
 * ZIP can be gigabytes, so it never goes through this page.
 */
export function CampaignExport({ api, campaigns }: { api: StaffApi; campaigns: readonly StaffCampaign[] }) {
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function download(campaign: StaffCampaign) {
    setError(null);
    setStarted(null);
    setBusy(true);
    try {
      const ticket = await api.campaignZipTicket(campaign.id, 'closed');
      startDownload(ticket.url);
      setStarted(DOWNLOAD_STARTED);
    } catch (e) {
      setError(e instanceof StaffApiError ? e.message : "Le téléchargement n'a pas pu commencer. Réessayez.");
    } finally {
      setBusy(false);
    }
  }

  if (campaigns.length === 0) return null;
  return (
    <section className="card campaign-export" aria-labelledby="titre-export">
      <h2 id="titre-export" className="card-title">
        Remise au jury
      </h2>
      <p className="muted">
        Un dossier par candidat ayant clôturé son inscription, avec ses pièces, le reçu signé et l'accusé de clôture. Le fichier
        peut être volumineux : le navigateur l'enregistre dans vos téléchargements.
      </p>
      <div className="actions">
        {campaigns.map((campaign) => (
          <Button key={campaign.id} className="button primary" isDisabled={busy} onPress={() => void download(campaign)}>
            Télécharger les dossiers clôturés (ZIP){campaigns.length > 1 ? ` : ${campaign.title}` : ''}
          </Button>
        ))}
      </div>
      <ul className="muted export-sizes">
        {campaigns.map((campaign) => (
          <li key={campaign.id}>
            {campaigns.length > 1 ? `${campaign.title} : ` : ''}
            {closedCount(campaign.counts.closed)}
          </li>
        ))}
      </ul>
      <ErrorMessage message={error} />
      <p className={started ? 'success' : undefined} role="status">
        {started}
      </p>
    </section>
  );
}
