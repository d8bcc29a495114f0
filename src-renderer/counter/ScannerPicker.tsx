import { useEffect, useState } from 'react';
import { Button, Checkbox, CheckboxGroup, Label } from 'react-aria-components';
import type { ScanInfo } from '../../src-shared/counter';
import { formatSize } from '../../src-shared/format';
import { assistant } from '../assistant-client';
import { Alert } from '../Alert';
import { useCounter } from './counter-context';
import './counter.css';

const POLL_MS = 1500;

/**
 * At the counter, the scans the scanner saved in the watched folder, offered for the current
 * document (several at once for recto and verso). Shows nothing outside counter mode.
 */
export function ScannerPicker({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled: boolean }) {
  const { status } = useCounter();
  const active = Boolean(status?.enabled && status.scanFolder);
  const [scans, setScans] = useState<ScanInfo[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const load = async () => {
      const result = await assistant.listScans({});
      if (stopped) return;
      if (result.ok) {
        setScans(result.value);
        setChosen((ids) => ids.filter((id) => result.value.some((s) => s.id === id)));
        setError(null);
      } else setError(result.error.message);
    };
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active]);

  if (!active) return null;

  async function use(ids: string[]) {
    setError(null);
    const result = await assistant.readScans({ ids });
    if (!result.ok) return setError(result.error.message);
    onFiles(result.value.map((f) => new File([f.bytes as Uint8Array<ArrayBuffer>], f.name)));
  }

  return (
    <section aria-labelledby="titre-scanner" className="card counter-scans">
      <h3 id="titre-scanner">Documents du scanner</h3>
      {scans.length === 0 ? (
        <p className="muted">Scannez le document : il apparaîtra ici dès que le scanner aura fini de l'enregistrer.</p>
      ) : (
        <>
          <CheckboxGroup value={chosen} onChange={setChosen} isDisabled={disabled}>
            <Label>Choisissez le ou les scans de ce document (recto et verso ensemble)</Label>
            {scans.map((scan) => (
              <Checkbox key={scan.id} value={scan.id} className="check">
                {({ isSelected }) => (
                  <>
                    <span className="box" aria-hidden="true">
                      {isSelected ? '✓' : ''}
                    </span>
                    <span>
                      {scan.name} ({formatSize(scan.bytes)})
                    </span>
                  </>
                )}
              </Checkbox>
            ))}
          </CheckboxGroup>
          <div className="actions">
            <Button className="button" isDisabled={disabled || chosen.length === 0} onPress={() => void use(chosen)}>
              Utiliser les scans choisis
            </Button>
          </div>
        </>
      )}
      <Alert message={error} />
    </section>
  );
}
