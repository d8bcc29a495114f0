/**
 * The back office's list of dossiers as one SQL statement, written once for both databases:
 * each says how it writes a parameter, a list of campaigns and a true flag. Search words are
 * src-shared/search keys (letters, digits and nothing else), so they go into LIKE patterns
 * without escaping; the column they match holds the same normalised form.
 */
import { DOSSIER_STATES, type DossierCounts, type DossierListState } from '../../src-shared/instruction';
import type { DossierListFilter } from './types';

export interface ListDialect {
  /** The placeholder of the n-th parameter (1-based). */
  param(n: number): string;
  /** "campaign_id is one of" the list bound at placeholder `p`. */
  campaigns(p: string): string;
  campaignsValue(ids: string[]): unknown;
  /** The condition on `r` (reviews) that a correction is open. */
  openCorrection: string;
}

/**
 * A correction waiting on the candidate: asked for, and not answered yet. Once a new document
 * comes, the decision goes back to null while the piece stays open to the candidate until the
 * next review: the dossier then leaves « Corrections en attente » for « Nouveaux documents à
 * vérifier » (to_review). The open flag comes first, for its partial index.
 */
const awaitingCandidate = (dialect: ListDialect) => `${dialect.openCorrection} AND r.decision IS NOT NULL`;

const STATE_CONDITION = {
  open: () => 'd.closed_at IS NULL',
  closed: () => 'd.closed_at IS NOT NULL',
  correction: (dialect: ListDialect) =>
    `EXISTS (SELECT 1 FROM reviews r WHERE r.dossier = d.dossier AND ${awaitingCandidate(dialect)})`,
  // A review row without a decision: one was taken, then a new document put it back to null.
  to_review: () => 'EXISTS (SELECT 1 FROM reviews r WHERE r.dossier = d.dossier AND r.decision IS NULL)',
} as const satisfies Record<DossierListState, (dialect: ListDialect) => string>;

/** The pieces of a page's dossiers under correction, and those to check again, by the same conditions. */
export const PIECES_OF_PAGE = {
  corrections: awaitingCandidate,
  toReview: () => 'r.decision IS NULL',
} as const;

export function listQuery(filter: DossierListFilter, dialect: ListDialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return dialect.param(params.length);
  };
  const where = [dialect.campaigns(bind(dialect.campaignsValue(filter.campaignIds))), 'd.search IS NOT NULL'];
  if (filter.after !== null) where.push(`d.dossier > ${bind(filter.after)}`);
  if (filter.state) where.push(STATE_CONDITION[filter.state](dialect));
  for (const word of filter.words) where.push(`d.search LIKE ${bind(`%${word}%`)}`);
  const sql = `SELECT d.dossier, d.campaign_id, d.last_name, d.first_name, d.closed_at FROM dossiers d
    WHERE ${where.join(' AND ')} ORDER BY d.dossier LIMIT ${bind(filter.limit)}`;
  return { sql, params };
}

/**
 * How many dossiers of each campaign each filter holds: open and closed in one pass over the
 * campaign's rows, the filters on reviews by counting the dossiers among the (few) review rows
 * that match (the same conditions as the list, so a count always matches what its filter
 * shows). Asking every dossier whether it has such a review took 13 ms at 20,000 dossiers.
 */
export function countQuery(campaignIds: string[], dialect: ListDialect): { sql: string; params: unknown[] } {
  // CROSS JOIN: SQLite then reads the reviews first (through their partial indexes), PostgreSQL
  // plans it as any inner join.
  const amongReviews = (condition: string) =>
    `(SELECT COUNT(DISTINCT r.dossier) FROM reviews r CROSS JOIN dossiers x
       WHERE x.dossier = r.dossier AND x.campaign_id = d.campaign_id AND x.search IS NOT NULL AND ${condition})`;
  const counts: Record<DossierListState, string> = {
    open: `COUNT(*) FILTER (WHERE ${STATE_CONDITION.open()})`,
    closed: `COUNT(*) FILTER (WHERE ${STATE_CONDITION.closed()})`,
    correction: amongReviews(PIECES_OF_PAGE.corrections(dialect)),
    to_review: amongReviews(PIECES_OF_PAGE.toReview()),
  };
  const sql = `SELECT d.campaign_id, ${DOSSIER_STATES.map((s) => `${counts[s]} AS ${s}`).join(', ')} FROM dossiers d
    WHERE ${dialect.campaigns(dialect.param(1))} AND d.search IS NOT NULL GROUP BY d.campaign_id`;
  return { sql, params: [dialect.campaignsValue(campaignIds)] };
}

export type CountRow<Count> = { campaign_id: string } & Record<DossierListState, Count>;

export function countsOf<Count>(rows: CountRow<Count>[], count: (value: Count) => number): Map<string, DossierCounts> {
  return new Map(
    rows.map((row) => [row.campaign_id, Object.fromEntries(DOSSIER_STATES.map((s) => [s, count(row[s])])) as DossierCounts]),
  );
}
