/**
 * The back office's client of the companion API (same origin), derived from the route table
 * (src-shared/http-api.ts): each call names its route, whose method and path come from the
 * table, and each JSON answer is checked against the table's schema before the screens trust
 * it. The staff token goes in the Authorization header; problem+json answers become French
 * messages; the pieces' ETag is kept for If-Match. Documents are fetched with the token and
 * handed over as Blobs: the token never goes into a URL (where history, logs or a shared link
 * would keep it). ZIPs, which can be gigabytes, are downloaded by the browser itself from an
 * address with a single-use ticket valid a minute (`…Ticket`), never read into the page.
 */
import { API_BASE, type ReviewDecision, type Session, type StaffDossier } from '../src-shared/contract';
import { ERRORS, isErrorCode } from '../src-shared/errors';
import {
  answerMismatch,
  fillPath,
  HTTP_API,
  type AnswerOf,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type RouteName,
} from '../src-shared/http-api';
import type { AuditEntry, DossierList, DossierListState, DownloadTicket, InstructionPiece, Review, StaffCampaign } from '../src-shared/instruction';
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
/** An answer the table does not promise: a server of another version, most likely. */
const UNEXPECTED = 'Le serveur a donné une réponse inattendue. Rechargez la page ; si cela continue, prévenez le service informatique.';

/** A call of route N: its path parameters, query and JSON body typed from the table. */
interface Call<N extends RouteName> {
  params?: ParamsOf<N>;
  query?: QueryOf<N>;
  headers?: Readonly<Record<string, string>>;
  body?: BodyOf<N>;
}

/** Sends one call of the table; answers the Response when its status is a success. */
async function send<N extends RouteName>(name: N, call: Call<N>, token: string | null): Promise<Response> {
  const spec = HTTP_API[name];
  const fields = Object.entries((call.query ?? {}) as Record<string, string | undefined>);
  const query = new URLSearchParams(fields.filter((e): e is [string, string] => e[1] !== undefined));
  const path = fillPath(name, call.params as Readonly<Record<string, string>> | undefined);
  const url = `${API_BASE}${path}${query.size > 0 ? `?${query}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: spec.method,
      headers: {
        ...call.headers,
        ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw NETWORK;
  }
  // A 304 is an answer the table may promise (a conditional GET), not a failure.
  if (!response.ok && !(response.status in spec.answers)) throw await problemOf(response);
  return response;
}

/** Checks an answer against what the table promises for its route and status. */
function checked<N extends RouteName>(name: N, status: number, body: unknown): AnswerOf<N> {
  const mismatch = answerMismatch(name, status, body);
  if (mismatch) {
    // The screen says it plainly; the console keeps the detail for whoever investigates.
    console.error(`${HTTP_API[name].method} ${HTTP_API[name].path}: ${mismatch}`);
    throw new StaffApiError('unexpected_answer', UNEXPECTED, status);
  }
  return body as AnswerOf<N>;
}

async function json<N extends RouteName>(name: N, call: Call<N>, token: string | null): Promise<{ value: AnswerOf<N>; response: Response }> {
  const response = await send(name, call, token);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return { value: checked(name, response.status, body), response };
}

export class StaffApi {
  constructor(
    private readonly token: string,
    /** Called when the server no longer knows the token: the screen goes back to the login. */
    private readonly onSessionLost: () => void,
  ) {}

  static async logIn(login: string, password: string): Promise<Session> {
    return (await json('staffSession', { body: { login, password } }, null)).value;
  }

  async logOut(): Promise<void> {
    // A failure leaves nothing to undo: the token expires on its own.
    await send('closeSession', {}, this.token).catch(() => undefined);
  }

  async listDossiers(request: ListRequest): Promise<DossierList> {
    return (await this.json('instructionDossiers', { query: listQuery(request) })).value;
  }

  async dossier(number: string): Promise<StaffDossier> {
    return (await this.json('staffDossier', { params: { dossier: number } })).value;
  }

  /** The pieces, and the answer's ETag: sent back as If-Match with a review. */
  async pieces(number: string): Promise<{ pieces: InstructionPiece[]; etag: string | null }> {
    const changed = await this.piecesIfChanged(number, null);
    if (!changed) throw new StaffApiError('unexpected_answer', UNEXPECTED, 304);
    return changed;
  }

  /**
   * The pieces if they changed since the view tagged `etag` (another instructor's decision, a
   * candidate's new document); null when nothing changed (304: nothing read, nothing audited).
   */
  async piecesIfChanged(number: string, etag: string | null): Promise<{ pieces: InstructionPiece[]; etag: string | null } | null> {
    const { value, response } = await this.json('instructionPieces', {
      params: { dossier: number },
      headers: etag ? { 'if-none-match': etag } : undefined,
    });
    if (response.status === 304 || !value) return null;
    return { pieces: value.pieces, etag: response.headers.get('etag') };
  }

  async review(number: string, pieceId: string, decision: ReviewDecision, reason: string | null, etag: string | null): Promise<Review> {
    return (
      await this.json('instructionReview', {
        params: { dossier: number, pieceId },
        headers: etag ? { 'if-match': etag } : undefined,
        body: decision === 'accepted' ? { decision } : { decision, reason },
      })
    ).value;
  }

  async audit(number: string): Promise<AuditEntry[]> {
    return (await this.json('instructionAudit', { query: { dossier: number } })).value.entries;
  }

  /** The exact stored bytes, typed as recorded (the browser then shows a PDF or a JPEG itself). */
  documentContent(id: string, mediaType: string): Promise<Blob> {
    return this.bytes('instructionDocumentContent', { params: { id } }, mediaType);
  }

  async campaigns(): Promise<StaffCampaign[]> {
    return (await this.json('instructionCampaigns', {})).value.campaigns;
  }

  /** The single-use address of a campaign's ZIP (dossiers in `state`), for the browser to download. */
  async campaignZipTicket(campaignId: string, state: DossierListState): Promise<DownloadTicket> {
    return (await this.json('instructionCampaignExportTicket', { params: { campaignId }, body: { state } })).value;
  }

  /** The single-use address of a dossier's ZIP. */
  async dossierZipTicket(number: string): Promise<DownloadTicket> {
    return (await this.json('instructionDossierExportTicket', { params: { dossier: number } })).value;
  }

  private async json<N extends RouteName>(name: N, call: Call<N>) {
    return this.lostSessionSaid(json(name, call, this.token));
  }

  private async bytes<N extends RouteName>(name: N, call: Call<N>, mediaType: string): Promise<Blob> {
    const response = await this.lostSessionSaid(send(name, call, this.token));
    checked(name, response.status, (response.headers.get('content-type') ?? '').split(';')[0]!.trim());
    return new Blob([await response.arrayBuffer()], { type: mediaType });
  }

  private async lostSessionSaid<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof StaffApiError && error.status === 401) this.onSessionLost();
      throw error;
    }
  }
}
