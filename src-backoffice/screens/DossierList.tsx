import { useEffect, useState } from 'react';
import { Button, Input, Label, Radio, RadioGroup, SearchField } from 'react-aria-components';
import type { DossierListItem, StaffCampaign } from '../../src-shared/instruction';
import { filterCounts, GUICHET_ACCOUNT, LIST_FILTERS, listEntryStatus, formatParis, type ListFilter } from '../instruction-rules';
import { hashOf } from '../routes';
import { StaffApiError, type StaffApi } from '../staff-api';
import { ErrorMessage, PageTitle } from '../ui';
import { CampaignExport } from './CampaignExport';

/** The list's filter, search, and the cursors of the pages seen so far (the last is the one shown). */
export interface ListState {
  filter: ListFilter;
  q: string;
  cursors: (string | null)[];
}

/** Typing pauses this long before the list is asked again. */
const SEARCH_PAUSE_MS = 300;

/** "Dossiers": the campaign's dossiers, filtered, searched, a page at a time. */
export function DossierList({
  api,
  state,
  onChange,
  onOpen,
}: {
  api: StaffApi;
  state: ListState;
  onChange: (state: ListState) => void;
  onOpen: (dossier: string) => void;
}) {
  const [typed, setTyped] = useState(state.q);
  const [rows, setRows] = useState<DossierListItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = state.cursors.at(-1) ?? null;
  const page = state.cursors.length;
  // The instructor's campaigns: how many dossiers each filter holds, and the jury's export.
  const [campaigns, setCampaigns] = useState<StaffCampaign[] | null>(null);

  useEffect(() => {
    let current = true;
    api.campaigns().then(
      (list) => current && setCampaigns(list),
      // The list below says what went wrong; the counts and the export just stay away.
      () => current && setCampaigns([]),
    );
    return () => {
      current = false;
    };
  }, [api]);
  const counts = campaigns && campaigns.length > 0 ? filterCounts(campaigns) : null;

  useEffect(() => {
    if (typed === state.q) return;
    const timer = setTimeout(() => onChange({ ...state, q: typed, cursors: [null] }), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed, state, onChange]);

  useEffect(() => {
    let current = true;
    setError(null);
    api.listDossiers({ filter: state.filter, q: state.q, cursor }).then(
      (answer) => {
        if (!current) return;
        setRows(answer.dossiers);
        setNext(answer.next);
      },
      (e: unknown) => {
        if (!current) return;
        setRows([]);
        setNext(null);
        setError(
          e instanceof StaffApiError && e.code === 'forbidden'
            ? GUICHET_ACCOUNT
            : e instanceof StaffApiError
              ? e.message
              : 'La liste des dossiers ne peut pas être lue. Réessayez.',
        );
      },
    );
    return () => {
      current = false;
    };
  }, [api, state.filter, state.q, cursor]);

  const filterLabel = LIST_FILTERS.find((f) => f.id === state.filter)?.label ?? '';
  const count =
    rows === null
      ? 'Chargement…'
      : rows.length === 0
        ? state.q.trim()
          ? `Aucun dossier ne correspond à « ${state.q.trim()} ».`
          : 'Aucun dossier dans cette liste.'
        : `Page ${page} : ${rows.length} dossier${rows.length > 1 ? 's' : ''}${next ? ', la suite sur la page suivante' : ''}.`;

  return (
    <section aria-labelledby="titre-dossiers">
      <PageTitle id="titre-dossiers">Dossiers</PageTitle>
      <div className="card list-tools">
        <RadioGroup
          className="filters"
          value={state.filter}
          onChange={(value) => onChange({ filter: value as ListFilter, q: state.q, cursors: [null] })}
          orientation="horizontal"
        >
          <Label className="filters-label">Afficher les dossiers</Label>
          <div className="filter-options">
            {LIST_FILTERS.map((f) => (
              <Radio key={f.id} value={f.id} className="filter">
                {f.label}
                {counts && (
                  <>
                    <span className="filter-count" aria-hidden="true">
                      {counts[f.id]}
                    </span>
                    <span className="sr-only">
                      {' '}
                      : {counts[f.id]} dossier{counts[f.id] > 1 ? 's' : ''}
                    </span>
                  </>
                )}
              </Radio>
            ))}
          </div>
        </RadioGroup>
        <SearchField className="field search" value={typed} onChange={setTyped} onSubmit={() => onChange({ ...state, q: typed, cursors: [null] })}>
          <Label>Rechercher un dossier</Label>
          <Input placeholder="N° de dossier, nom ou prénom" />
        </SearchField>
      </div>
      <ErrorMessage message={error} />
      <p className="status list-count" role="status">
        {count}
      </p>
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="dossiers">
            <caption className="sr-only">
              Dossiers {filterLabel.toLowerCase()}, page {page}
            </caption>
            <thead>
              <tr>
                <th scope="col">N° de dossier</th>
                <th scope="col">Nom</th>
                <th scope="col">État</th>
                <th scope="col">Clôturé le (heure de Paris)</th>
                <th scope="col">Pièces manquantes</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.dossier}>
                  <th scope="row">
                    <a
                      href={hashOf({ screen: 'dossier', dossier: row.dossier })}
                      onClick={(event) => {
                        event.preventDefault();
                        onOpen(row.dossier);
                      }}
                    >
                      {row.dossier}
                    </a>
                  </th>
                  <td>
                    {row.lastName.toLocaleUpperCase('fr-FR')} {row.firstName}
                  </td>
                  <td>{listEntryStatus(row)}</td>
                  <td>{row.closedAt ? formatParis(row.closedAt) : '–'}</td>
                  <td>{row.missing.length === 0 ? 'Aucune' : row.missing.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages de la liste" className="actions pager">
        <Button className="button" isDisabled={page <= 1} onPress={() => onChange({ ...state, cursors: state.cursors.slice(0, -1) })}>
          Page précédente
        </Button>
        <Button className="button" isDisabled={!next} onPress={() => next && onChange({ ...state, cursors: [...state.cursors, next] })}>
          Page suivante
        </Button>
      </nav>
      {campaigns && <CampaignExport api={api} campaigns={campaigns} />}
    </section>
  );
}
