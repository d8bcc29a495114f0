import { useState } from 'react';
import { Button } from 'react-aria-components';
import { assistant } from '../assistant-client';
import { Alert, type AlertContent } from '../Alert';
import { Dialog } from '../../src-ui';

type Step = 'closed' | 'confirm' | 'waiting' | 'pending';

/** How long "Nouveau candidat" waits for documents still being sent before asking. */
const WAIT_MS = 15_000;

/**
 * "Nouveau candidat": after a confirmation, ends the session and wipes every local trace of
 * the candidate. Documents still being sent are waited for; if some cannot leave (no
 * connection), the staff is told plainly and chooses: wait again, or wipe knowing they are lost.
 */
export function NewCandidateButton({ onWiped }: { onWiped: () => Promise<void> }) {
  const [step, setStep] = useState<Step>('closed');
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<AlertContent>(null);

  async function wipe(force: boolean) {
    setError(null);
    setStep('waiting');
    const result = await assistant.newCandidate({ force, waitMs: WAIT_MS });
    if (!result.ok) {
      setError(result.error);
      setStep('confirm');
      // A partial wipe still ended the session: the screen must follow.
      await onWiped();
      return;
    }
    if (result.value.wiped) {
      setStep('closed');
      await onWiped();
    } else {
      setPending(result.value.pendingSends);
      setStep('pending');
    }
  }

  const close = () => setStep('closed');
  return (
    <>
      <Button className="button primary counter-new" onPress={() => setStep('confirm')}>
        Nouveau candidat
      </Button>
      {step === 'confirm' && (
        <Dialog title="Passer au candidat suivant ?" onClose={close}>
          <p>
            Tout ce qui concerne le candidat actuel sera effacé de cet ordinateur : sa connexion, son numéro de dossier,
            les documents préparés ou scannés et leurs aperçus, son accusé de clôture.
          </p>
          <p>Les documents déjà envoyés restent enregistrés au centre de gestion.</p>
          <Alert message={error} />
          <div className="actions">
            <Button className="button primary" autoFocus onPress={() => void wipe(false)}>
              Oui, nouveau candidat
            </Button>
            <Button className="button" onPress={close}>
              Annuler
            </Button>
          </div>
        </Dialog>
      )}
      {step === 'waiting' && (
        <Dialog title="Fin de la session en cours" onClose={() => {}}>
          <p role="status">Effacement en cours. Si des documents sont encore en cours d'envoi, leur fin est attendue.</p>
        </Dialog>
      )}
      {step === 'pending' && (
        <Dialog title="Des documents ne sont pas encore partis" onClose={close}>
          <p>
            {pending === 1
              ? "Un document n'est pas encore arrivé au centre de gestion"
              : `${pending} documents ne sont pas encore arrivés au centre de gestion`}{' '}
            : la connexion est peut-être coupée. Ils partiront d'eux-mêmes dès qu'elle reviendra.
          </p>
          <p>
            Si vous effacez maintenant, ces documents seront perdus et le candidat devra les ajouter à nouveau.
          </p>
          <div className="actions">
            <Button className="button primary" autoFocus onPress={() => void wipe(false)}>
              Attendre encore
            </Button>
            <Button className="button danger" onPress={() => void wipe(true)}>
              Effacer quand même
            </Button>
            <Button className="button" onPress={close}>
              Annuler
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}
