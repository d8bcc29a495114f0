import { Button } from 'react-aria-components';
import type { DossierView } from '../../src-shared/assistant-api';
import { formatCountdown, formatDeadlineDay } from '../format';
import { CLOSE_WAITS_FOR_CONNECTION } from '../OfflineNote';
import { ScreenHeading } from '../ScreenHeading';
import { useServerClock } from '../use-server-clock';
import { PieceList, type PieceQueueInfo } from './PieceList';
import { correctionsLine, piecesToCorrect, readyToClose, requiredPieces, requiredPiecesLine } from '../piece-state';
import { usePieceDialogs } from './use-piece-dialogs';
import { campaignTimeName } from '../../src-shared/local-time';

/** "Mes pièces": the checklist, then the way to closing. */
export function Pieces({
  dossier,
  queue,
  onChanged,
  onClose,
}: {
  dossier: DossierView;
  queue?: Map<string, PieceQueueInfo>;
  onChanged: () => Promise<unknown>;
  onClose: () => void;
}) {
  const { openAdd, openManage, openReplace, dialogs } = usePieceDialogs(dossier, onChanged);
  const now = useServerClock();
  const { campaign } = dossier;
  const required = requiredPieces(dossier, queue);
  const ready = readyToClose(required);
  const toCorrect = correctionsLine(piecesToCorrect(dossier.pieces).length);

  return (
    <section aria-labelledby="titre-pieces">
      <ScreenHeading id="titre-pieces">Mes pièces</ScreenHeading>
      <p className="lead">
        Ajoutez chaque document demandé, puis clôturez votre inscription au plus tard{' '}
        <strong>{formatDeadlineDay(campaign.closesAt, campaign.timeZone)}</strong> ({campaignTimeName(campaign.timeZone)}).
        {now && <> {formatCountdown(new Date(campaign.closesAt).getTime() - now.getTime())}</>}
      </p>
      <p className={ready ? 'summary ok' : 'summary'}>
        {requiredPiecesLine(required, dossier.offlineCopy !== null)}
      </p>
      {toCorrect && (
        <p className="corrections-count">{toCorrect} : le centre de gestion vous demande un nouveau document, le motif est indiqué sous la pièce.</p>
      )}
      <PieceList dossier={dossier} pieces={dossier.pieces} queue={queue} onAdd={openAdd} onManage={openManage} onReplace={openReplace} />
      <div className="card next-step">
        <h2>Quand tout est prêt</h2>
        <p>
          Clôturer votre inscription confirme votre dossier. Tant que vous n'avez pas clôturé, votre inscription n'est
          pas enregistrée.
        </p>
        {dossier.offlineCopy && (
          <p id="cloture-hors-connexion" className="offline-reason">
            {CLOSE_WAITS_FOR_CONNECTION}
          </p>
        )}
        <Button
          className={ready && !dossier.offlineCopy ? 'button primary big' : 'button big'}
          isDisabled={dossier.offlineCopy !== null}
          aria-describedby={dossier.offlineCopy ? 'cloture-hors-connexion' : undefined}
          onPress={onClose}
        >
          Clôturer mon inscription
        </Button>
      </div>
      {dialogs}
    </section>
  );
}
