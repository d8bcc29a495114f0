/**
 * The instruction API's answers as the back office reads them (api-contract.md section 5.3).
 * Until the server's TypeBox schemas are shared in src-shared, these mirror the contract's
 * words; the client checks the few fields it relies on before trusting an answer.
 */
import type { DocumentInfo } from '../src-shared/contract';

export type DossierState = 'open' | 'closed';
export type ReviewDecision = 'accepted' | 'correction_requested';

export interface Review {
  decision: ReviewDecision;
  reason: string | null;
  reviewedAt: string;
  reviewer: string;
}

export interface DossierListEntry {
  dossier: string;
  lastName: string;
  firstName: string;
  campaignId: string;
  state: DossierState;
  closedAt: string | null;
  missing: string[];
  corrections: string[];
}

export interface DossierListPage {
  dossiers: DossierListEntry[];
  next: string | null;
}

export interface InstructionPiece {
  id: string;
  label: string;
  required: boolean;
  lateAllowed: boolean;
  documents: DocumentInfo[];
  review: Review | null;
}

export interface DossierPieces {
  pieces: InstructionPiece[];
  /** The ETag of the answer: sent back as If-Match with a review. */
  etag: string | null;
}

export interface AuditEntry {
  at: string;
  staff: string;
  action: string;
  dossier: string | null;
  pieceId: string | null;
  documentId: string | null;
}
