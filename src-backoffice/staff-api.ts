/**
 * The back office's client of the companion API (same origin): the staff token in the
 * Authorization header, problem+json answers turned into French messages, the pieces' ETag kept
 * for If-Match. Documents and ZIPs are fetched with the token and handed over as Blobs: the token
 * never goes into a URL (where history, logs or a shared link would keep it).
 */
import { API_BASE, type Session, type StaffDossier } from '../src-shared/contract';
import { ERRORS, isErrorCode } from '../src-shared/errors';
import type { ReviewDecision } from '../src-shared/contract';
import type { AuditEntry, DossierList, InstructionPiece, Review } from '../src-shared/instruction';
import { listQuery, type ListRequest } from './instruction-rules';

export class StaffApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'StaffApiError';
  }
}

/** The French sentence of an answer that failed: the server's own, else the code's, else a plain one. */
export async function problemOf(response: Response): Promise<StaffApiError> {
  let body: { code?: unknown; detail?: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not problem+json (a proxy's page, say): the status alone speaks.
  }
  const code = typeof body.code === 'string' ? body.code : 'internal_error';
  const known = isErrorCode(code) ? ERRORS[code].message : ERRORS.internal_error.message;
  const message = typeof body.detail === 'string' && body.detail ? body.detail : known;
  return new StaffApiError(code, message, response.status);
}

// The code's own sentence speaks to candidates (their documents kept on their computer): staff
// need only know the server is out of reach.
const NETWORK = new StaffApiError(
  'network_unavailable',
  'Le serveur ne répond pas. Vérifiez la connexion de ce poste, puis réessayez.',
  0,
);

export class StaffApi {
  constructor(
    private readonly token: string,
    /** Called when the server no longer knows the token: the screen goes back to the login. */
    private readonly onSessionLost: () => void,
  ) {}

  static async logIn(login: string, password: string): Promise<Session> {
    const response = await send(`${API_BASE}/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    if (!response.ok) throw await problemOf(response);
    return (await response.json()) as Session;
  }

  async logOut(): Promise<void> {
    // The session route is the candidates' and staff's alike; a failure leaves nothing to undo.
    await send(`${API_BASE}/session`, { method: 'DELETE', headers: this.headers() }).catch(() => undefined);
  }

  listDossiers(request: ListRequest): Promise<DossierList> {
    return this.json(`/staff/dossiers?${listQuery(request)}`);
  }

  dossier(number: string): Promise<StaffDossier> {
    return this.json(`/staff/dossiers/${encodeURIComponent(number)}`);
  }

  /** The pieces, and the answer's ETag: sent back as If-Match with a review. */
  async pieces(number: string): Promise<{ pieces: InstructionPiece[]; etag: string | null }> {
    const response = await this.fetch(`/staff/dossiers/${encodeURIComponent(number)}/pieces`);
    const body = (await response.json()) as { pieces: InstructionPiece[] };
    return { pieces: body.pieces, etag: response.headers.get('etag') };
  }

  review(number: string, pieceId: string, decision: ReviewDecision, reason: string | null, etag: string | null): Promise<Review> {
    return this.json(`/staff/dossiers/${encodeURIComponent(number)}/pieces/${encodeURIComponent(pieceId)}/review`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(etag ? { 'if-match': etag } : {}) },
      body: JSON.stringify(decision === 'accepted' ? { decision } : { decision, reason }),
    });
  }

  async audit(number: string): Promise<AuditEntry[]> {
    const body = await this.json<{ entries: AuditEntry[] }>(`/staff/audit?${new URLSearchParams({ dossier: number })}`);
    return body.entries;
  }

  /** The exact stored bytes, typed as recorded (the browser then shows a PDF or a JPEG itself). */
  async documentContent(id: string, mediaType: string): Promise<Blob> {
    const response = await this.fetch(`/staff/documents/${encodeURIComponent(id)}/content`);
    return new Blob([await response.arrayBuffer()], { type: mediaType });
  }

  async dossierZip(number: string): Promise<Blob> {
    const response = await this.fetch(`/staff/dossiers/${encodeURIComponent(number)}/export.zip`);
    return new Blob([await response.arrayBuffer()], { type: 'application/zip' });
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T;
  }

  private async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await send(`${API_BASE}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), ...this.headers() },
    });
    if (response.ok) return response;
    const problem = await problemOf(response);
    if (problem.status === 401) this.onSessionLost();
    throw problem;
  }
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, cache: 'no-store', credentials: 'omit' });
  } catch {
    throw NETWORK;
  }
}
