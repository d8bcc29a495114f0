/**
 * The rules a change to a dossier obeys, written once: both storages decide with them inside
 * their transactions (on the state the transaction sees), and the upload route decides with
 * them early, before reading a body that would be refused anyway. Whether the deadline has
 * passed is src-shared/deadline's `isBeforeDeadline`, and nothing else.
 */
import { isBeforeDeadline } from '../src-shared/deadline';
import type { CloseResult, CloseRules, StoredDocument } from './storage/types';

interface Clocked {
  now: Date;
  deadline: Date;
}

type Refused<Code extends string> = { kind: 'refused'; code: Code };

export type DocumentAdmission =
  { kind: 'admitted'; late: boolean } | Refused<'dossier_closed' | 'deadline_passed'>;

/**
 * A new document: after closure only in a piece that takes late documents or whose review asks
 * for a correction (marked late).
 */
export function admitDocument(
  closedAt: Date | null,
  rules: Clocked & { lateAllowed: boolean; correctionOpen?: boolean },
): DocumentAdmission {
  if (closedAt !== null)
    return rules.lateAllowed || rules.correctionOpen
      ? { kind: 'admitted', late: true }
      : { kind: 'refused', code: 'dossier_closed' };
  return isBeforeDeadline(rules.now, rules.deadline)
    ? { kind: 'admitted', late: false }
    : { kind: 'refused', code: 'deadline_passed' };
}

/**
 * Why a document may not be deleted, or null when it may: after closure, only a document of a
 * piece whose review asks for a correction.
 */
export function deletionRefusal(
  closedAt: Date | null,
  rules: Clocked,
  correctionOpen = false,
): Refused<'dossier_closed' | 'deadline_passed'> | null {
  if (closedAt !== null) return correctionOpen ? null : { kind: 'refused', code: 'dossier_closed' };
  return isBeforeDeadline(rules.now, rules.deadline)
    ? null
    : { kind: 'refused', code: 'deadline_passed' };
}

/**
 * A document replacing another of the same piece: allowed where deleting the old one and then
 * adding the new one would both be (after closure, only on a piece whose correction is open),
 * and marked late as that addition would be.
 */
export function admitReplacement(
  closedAt: Date | null,
  rules: Clocked & { lateAllowed: boolean; correctionOpen?: boolean },
): DocumentAdmission {
  return deletionRefusal(closedAt, rules, rules.correctionOpen ?? false) ?? admitDocument(closedAt, rules);
}

/**
 * The answer to a closure request that needs no documents (already closed: the first receipt,
 * whatever the time; too late), or null when the documents decide.
 */
export function closureWithoutDocuments(
  dossier: { closedAt: Date | null; receipt: string | null },
  rules: Clocked,
): CloseResult | null {
  if (dossier.closedAt !== null && dossier.receipt !== null)
    return { kind: 'already_closed', closedAt: dossier.closedAt, receipt: dossier.receipt };
  return isBeforeDeadline(rules.now, rules.deadline)
    ? null
    : { kind: 'refused', code: 'deadline_passed' };
}

/** The closure on the documents the transaction sees; the caller writes it when `closed`. */
export function closureOf(
  documents: StoredDocument[],
  rules: CloseRules,
): Extract<CloseResult, { kind: 'closed' } | { code: 'pieces_missing' }> {
  const missing = piecesWithoutDocument(rules.blockingPieces, documents);
  if (missing.length > 0) return { kind: 'refused', code: 'pieces_missing', missing };
  const closedAt = rules.now;
  return { kind: 'closed', closedAt, receipt: rules.buildReceipt(closedAt, documents) };
}

/** The blocking pieces that hold no document, in the campaign's order. */
export function piecesWithoutDocument(
  blocking: readonly string[],
  documents: readonly { pieceId: string }[],
): string[] {
  const held = new Set(documents.map((d) => d.pieceId));
  return blocking.filter((id) => !held.has(id));
}
