import { Button } from 'react-aria-components';
import type { CounterStatus } from '../../src-shared/counter';
import { assistant } from '../assistant-client';
import { Dialog } from '../../src-ui';

/**
 * Shown before the automatic wipe: any action keeps the session. While documents are still
 * being sent, says that the session ends once they have arrived.
 */
export function InactivityWarning({ status, onContinue }: { status: CounterStatus; onContinue: () => Promise<void> }) {
  const keep = async () => {
    await assistant.counterActivity({});
    await onContinue();
  };
  if (status.phase === 'waiting_sends')
    return (
      <Dialog title="Fin de la session après l'envoi" onClose={() => void keep()}>
        <p>
          La session va s'arrêter faute d'activité. {status.pendingSends === 1 ? 'Un document est' : `${status.pendingSends} documents sont`}{' '}
          encore en cours d'envoi : tout sera effacé de cet ordinateur dès leur arrivée au centre de gestion.
        </p>
        <div className="actions">
          <Button className="button primary" autoFocus onPress={() => void keep()}>
            Je continue
          </Button>
        </div>
      </Dialog>
    );
  return (
    <Dialog title="Êtes-vous toujours là ?" onClose={() => void keep()}>
      <p>
        Sans action de votre part, la session s'arrêtera dans{' '}
        <strong className="counter-seconds">
          {status.secondsLeft} seconde{status.secondsLeft > 1 ? 's' : ''}
        </strong>{' '}
        et tout ce qui concerne le candidat sera effacé de cet ordinateur. Les documents déjà envoyés restent enregistrés au
        centre de gestion.
      </p>
      <div className="actions">
        <Button className="button primary" autoFocus onPress={() => void keep()}>
          Je continue
        </Button>
      </div>
    </Dialog>
  );
}
