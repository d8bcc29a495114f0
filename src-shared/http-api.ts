/**
 * Every route of the companion HTTP API (api-contract.md sections 3 and 5), described once: the
 * server registers its routes from this table, the desktop's clients build their URLs from it
 * and check each answer against it, and the OpenAPI document is generated from it. A new route
 * is a new entry here first, then its handler.
 *
 * Paths are written as in the contract (`/pieces/{pieceId}/documents`), under `API_BASE`.
 * `answers` lists the success statuses with their schema; `problems` the error statuses, whose
 * body is always a problem+json (`ProblemSchema`). Bodies and answers that are bytes, not JSON,
 * are `Bytes` with their possible media types.
 */
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  ACCEPTED_MEDIA_TYPES,
  CampaignSummarySchema,
  CandidateSessionSchema,
  ClosureSchema,
  DocumentSchema,
  DossierSchema,
  ReceiptKeySchema,
  SessionRequestSchema,
  SessionSchema,
  SignedReceiptSchema,
  StaffDossierSchema,
  StaffSessionRequestSchema,
  TimeSchema,
} from './contract';
import {
  AuditSchema,
  DossierListQuerySchema,
  DossierListSchema,
  DownloadTicketSchema,
  InstructionPiecesSchema,
  ReviewRequestSchema,
  ReviewSchema,
  StaffCampaignsSchema,
  TicketQuerySchema,
} from './instruction';

/** A body or an answer carried as raw bytes (streamed on the server), in one of these types. */
export class Bytes {
  readonly kind = 'bytes';
  constructor(readonly mediaTypes: readonly string[]) {}
}

export function isBytes(value: unknown): value is Bytes {
  return value instanceof Bytes;
}

/** 204: no body (nothing to send, nothing to check). */
export const NoContent = Type.Unsafe<undefined>(Type.Null());

/**
 * Who may call a route: nobody in particular, a candidate, staff of either role, staff of the
 * `instruction` role only (api-contract.md 5.2), or anyone logged in (the server's
 * authentication hook reads it).
 */
export type RouteAuth = 'none' | 'candidate' | 'staff' | 'instruction' | 'any';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly auth: RouteAuth;
  readonly params?: TObject;
  readonly query?: TObject;
  readonly headers?: TObject;
  readonly body?: TSchema | Bytes;
  readonly answers: Readonly<Record<number, TSchema | Bytes>>;
  readonly problems: readonly number[];
  /**
   * A POST or PUT that may be sent again as it is after a lost answer (a GET always may).
   * Clients retry only these on network errors and 408/429/503.
   */
  readonly repeatable?: boolean;
  /**
   * `root`: served at the server's root rather than under `API_BASE` (the desktop app's update
   * feed, which electron-updater reads as plain files).
   */
  readonly mount?: 'root';
  /**
   * A `ticket` query parameter (from the route's `…-ticket` POST) may stand in for the
   * Authorization header: for downloads the browser makes by itself.
   */
  readonly ticket?: true;
}

const Id = Type.String({ minLength: 1, maxLength: 100 });
/** What an update feed holds: its YAML index, installers (exe, dmg, AppImage, deb) and blockmaps. */
const UPDATE_FILE_TYPES = ['text/yaml', 'application/octet-stream', 'application/x-apple-diskimage', 'application/vnd.debian.binary-package'];

export const HTTP_API = {
  health: {
    method: 'GET',
    path: '/health',
    summary: 'Liveness',
    auth: 'none',
    answers: { 200: Type.Object({ status: Type.Literal('ok') }) },
    problems: [],
  },
  time: {
    method: 'GET',
    path: '/time',
    summary: 'The server clock, the only clock that counts',
    auth: 'none',
    answers: { 200: TimeSchema },
    problems: [],
  },
  campaigns: {
    method: 'GET',
    path: '/campaigns',
    summary: 'Campaigns served, with their deadlines (public, for the welcome screen)',
    auth: 'none',
    answers: { 200: Type.Array(CampaignSummarySchema) },
    problems: [],
  },
  receiptKey: {
    method: 'GET',
    path: '/keys/receipt',
    summary: 'The public key that signs closure receipts',
    auth: 'none',
    answers: { 200: ReceiptKeySchema },
    problems: [],
  },
  openSession: {
    method: 'POST',
    path: '/session',
    summary: 'Log in with a dossier number and password',
    auth: 'none',
    body: SessionRequestSchema,
    answers: { 201: CandidateSessionSchema },
    problems: [400, 401, 429],
  },
  closeSession: {
    method: 'DELETE',
    path: '/session',
    summary: 'Log out',
    auth: 'any',
    answers: { 204: NoContent },
    problems: [401],
  },
  dossier: {
    method: 'GET',
    path: '/dossier',
    summary: 'The dossier',
    auth: 'candidate',
    answers: { 200: DossierSchema },
    problems: [401],
  },
  addDocument: {
    method: 'POST',
    path: '/pieces/{pieceId}/documents',
    summary: 'Add a document to a piece (body: the file bytes)',
    description:
      'Content-Type application/pdf or image/jpeg; Content-Digest: sha-256=:BASE64: required; ' +
      "optional Content-Disposition: attachment; filename*=UTF-8''…. " +
      '`replaces` (a document of the same piece): the new document takes its place in one step, ' +
      'the old one goes only once the new one is stored (allowed where deleting it and adding ' +
      'would be; a full one-document piece accepts it); 404 replaced_not_found, 409 replaced_other_piece, ' +
      '409 already_stored (these bytes are in the piece while the old one is still there).',
    auth: 'candidate',
    params: Type.Object({ pieceId: Id }),
    query: Type.Object({ replaces: Type.Optional(Id) }),
    headers: Type.Object({
      'content-digest': Type.Optional(Type.String()),
      'content-disposition': Type.Optional(Type.String()),
    }),
    body: new Bytes(ACCEPTED_MEDIA_TYPES),
    answers: { 200: DocumentSchema, 201: DocumentSchema },
    problems: [400, 401, 403, 404, 409, 413, 415, 422],
    // Idempotent by digest: the same bytes for the same piece answer the same document.
    repeatable: true,
  },
  documentContent: {
    method: 'GET',
    path: '/documents/{id}/content',
    summary: 'The exact stored bytes',
    auth: 'candidate',
    params: Type.Object({ id: Id }),
    answers: { 200: new Bytes(ACCEPTED_MEDIA_TYPES) },
    problems: [401, 404],
  },
  deleteDocument: {
    method: 'DELETE',
    path: '/documents/{id}',
    summary: 'Delete a document',
    auth: 'candidate',
    params: Type.Object({ id: Id }),
    answers: { 204: NoContent },
    problems: [401, 403, 404, 409],
  },
  closure: {
    method: 'POST',
    path: '/closure',
    summary: 'Close the dossier (idempotent)',
    auth: 'candidate',
    answers: { 200: ClosureSchema, 201: ClosureSchema },
    problems: [401, 403, 422],
  },
  receipt: {
    method: 'GET',
    path: '/receipt',
    summary: 'The signed closure receipt',
    auth: 'candidate',
    answers: { 200: SignedReceiptSchema },
    problems: [401, 404],
  },
  receiptPdf: {
    method: 'GET',
    path: '/receipt.pdf',
    summary: 'The printable French closure receipt',
    auth: 'candidate',
    answers: { 200: new Bytes(['application/pdf']) },
    problems: [401, 404],
  },
  staffSession: {
    method: 'POST',
    path: '/staff/session',
    summary: 'Help-desk staff log in',
    auth: 'none',
    body: StaffSessionRequestSchema,
    answers: { 201: SessionSchema },
    problems: [400, 401, 429],
  },
  staffDossier: {
    method: 'GET',
    path: '/staff/dossiers/{dossier}',
    summary: "A dossier's state, for the help desk",
    auth: 'staff',
    params: Type.Object({ dossier: Id }),
    answers: { 200: StaffDossierSchema },
    problems: [401, 403, 404],
  },
  unlockDossier: {
    method: 'POST',
    path: '/staff/dossiers/{dossier}/unlock',
    summary: "Lift a dossier's login throttle (a candidate kept out by someone else's guesses); audited",
    auth: 'staff',
    params: Type.Object({ dossier: Id }),
    answers: { 204: NoContent },
    problems: [401, 403, 404],
  },
  staffClosuresCsv: {
    method: 'GET',
    path: '/staff/closures.csv',
    summary: 'Closed dossiers, as CSV (;-separated, UTF-8 with BOM)',
    auth: 'staff',
    answers: { 200: new Bytes(['text/csv']) },
    problems: [401, 403],
  },
  // --- Instruction (api-contract.md 5.3): instruction staff only, their campaigns only ---
  instructionDossiers: {
    method: 'GET',
    path: '/staff/dossiers',
    summary: "The dossiers of the instructor's campaigns (filter, search, cursor paging)",
    auth: 'instruction',
    query: DossierListQuerySchema,
    answers: { 200: DossierListSchema },
    problems: [400, 401, 403],
  },
  instructionPieces: {
    method: 'GET',
    path: '/staff/dossiers/{dossier}/pieces',
    summary: "A dossier's pieces with their documents and reviews (ETag for If-Match on reviews)",
    description:
      'The ETag changes when a document is added or removed or a review changes. With If-None-Match naming the current ETag: 304, nothing read, no audit entry (a page checking whether the dossier changed).',
    auth: 'instruction',
    params: Type.Object({ dossier: Id }),
    headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
    answers: { 200: InstructionPiecesSchema, 304: NoContent },
    problems: [401, 403, 404],
  },
  instructionDocumentContent: {
    method: 'GET',
    path: '/staff/documents/{id}/content',
    summary: 'The exact stored bytes of a document',
    auth: 'instruction',
    params: Type.Object({ id: Id }),
    answers: { 200: new Bytes(ACCEPTED_MEDIA_TYPES) },
    problems: [401, 403, 404],
  },
  instructionReview: {
    method: 'PUT',
    path: '/staff/dossiers/{dossier}/pieces/{pieceId}/review',
    summary: 'Review a piece: accepted, or a correction with its reason (1 to 500 characters)',
    description:
      'If-Match: the ETag of GET /staff/dossiers/{dossier}/pieces; 409 review_outdated when the dossier\'s documents changed since.',
    auth: 'instruction',
    params: Type.Object({ dossier: Id, pieceId: Id }),
    headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
    body: ReviewRequestSchema,
    answers: { 200: ReviewSchema },
    problems: [400, 401, 403, 404, 409],
    // Sent again, the same decision is written again: nothing else changes.
    repeatable: true,
  },
  instructionDossierExport: {
    method: 'GET',
    path: '/staff/dossiers/{dossier}/export.zip',
    summary: 'One dossier as a ZIP: PIECE-ID/FILENAME, manifest.csv (SHA-256), recu.json, accuse-de-cloture.pdf',
    description: 'With the staff token, or with `ticket` from POST /staff/dossiers/{dossier}/export-ticket instead.',
    auth: 'instruction',
    ticket: true,
    params: Type.Object({ dossier: Id }),
    query: Type.Object({ ticket: Type.Optional(TicketQuerySchema) }),
    answers: { 200: new Bytes(['application/zip']) },
    problems: [400, 401, 403, 404],
  },
  instructionCampaignExport: {
    method: 'GET',
    path: '/staff/campaigns/{campaignId}/export.zip',
    summary: 'Every dossier of a campaign in one state (closed by default), one folder DOSSIER/ each, streamed',
    description:
      'With the staff token, or with `ticket` from POST /staff/campaigns/{campaignId}/export-ticket instead (the same `state`).',
    auth: 'instruction',
    ticket: true,
    params: Type.Object({ campaignId: Id }),
    query: Type.Object({
      state: Type.Optional(DossierListQuerySchema.properties.state),
      ticket: Type.Optional(TicketQuerySchema),
    }),
    answers: { 200: new Bytes(['application/zip']) },
    problems: [400, 401, 403, 404],
  },
  // --- Instruction: downloads the browser makes itself (campaign list, single-use tickets) ---
  instructionCampaigns: {
    method: 'GET',
    path: '/staff/campaigns',
    summary: "The instructor's campaigns",
    auth: 'instruction',
    answers: { 200: StaffCampaignsSchema },
    problems: [401, 403],
  },
  instructionCampaignExportTicket: {
    method: 'POST',
    path: '/staff/campaigns/{campaignId}/export-ticket',
    summary: "A single-use address of the campaign's ZIP, valid about a minute, for the browser to download itself",
    description:
      'The ticket is bound to the staff account, the campaign and the state; the download is recorded under the staff login. Expired: 401 download_ticket_expired; used or unknown: 401 download_ticket_invalid; for another export: 403 download_ticket_mismatch.',
    auth: 'instruction',
    params: Type.Object({ campaignId: Id }),
    body: Type.Object({ state: Type.Optional(DossierListQuerySchema.properties.state) }),
    answers: { 201: DownloadTicketSchema },
    problems: [400, 401, 403, 404],
  },
  instructionDossierExportTicket: {
    method: 'POST',
    path: '/staff/dossiers/{dossier}/export-ticket',
    summary: "A single-use address of the dossier's ZIP, valid about a minute, for the browser to download itself",
    auth: 'instruction',
    params: Type.Object({ dossier: Id }),
    answers: { 201: DownloadTicketSchema },
    problems: [401, 403, 404],
  },
  instructionAudit: {
    method: 'GET',
    path: '/staff/audit',
    summary: "A dossier's audit trail: every staff read and decision",
    auth: 'instruction',
    query: Type.Object({ dossier: Id }),
    answers: { 200: AuditSchema },
    problems: [400, 401, 403, 404],
  },
  openApi: {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API, as an OpenAPI 3.1 document',
    auth: 'none',
    answers: {
      // Open: the server serializes answers by their schema, which drops undeclared fields.
      200: Type.Object(
        { openapi: Type.String(), paths: Type.Record(Type.String(), Type.Unknown()) },
        { additionalProperties: true },
      ),
    },
    problems: [],
  },
  updateFile: {
    method: 'GET',
    path: '/updates/{file}',
    mount: 'root',
    summary: "A file of the desktop app's update feed",
    description:
      'Only when the server runs with `--updates DIR`: the files of DIR (latest*.yml, the installers and their blockmaps) for electron-updater. ETag and Last-Modified (304 to a matching conditional request), byte ranges (206); latest*.yml are never cached, versioned files a year. Paths outside DIR and hidden files answer 404.',
    auth: 'none',
    params: Type.Object({ file: Type.String({ minLength: 1, maxLength: 255 }) }),
    answers: { 200: new Bytes(UPDATE_FILE_TYPES), 206: new Bytes(UPDATE_FILE_TYPES) },
    problems: [404, 416],
  },
} as const satisfies Record<string, RouteSpec>;

export type HttpApi = typeof HTTP_API;
export type RouteName = keyof HttpApi;

export const ROUTE_NAMES = Object.keys(HTTP_API) as RouteName[];

type StaticOf<T> = T extends TSchema ? Static<T> : undefined;

/** The path parameters of a route, as its handler and its callers see them. */
export type ParamsOf<N extends RouteName> = HttpApi[N] extends { params: infer P }
  ? StaticOf<P>
  : undefined;
export type QueryOf<N extends RouteName> = HttpApi[N] extends { query: infer Q }
  ? StaticOf<Q>
  : undefined;
/** A JSON body's type; `Uint8Array` for a route whose body is bytes. */
export type BodyOf<N extends RouteName> = HttpApi[N] extends { body: infer B }
  ? B extends Bytes
    ? Uint8Array
    : StaticOf<B>
  : undefined;

/** A bytes answer as a client receives it. */
export interface BytesAnswer {
  bytes: Uint8Array;
  mediaType: string;
}

type AnswersOf<N extends RouteName> = HttpApi[N]['answers'];
/** What a client receives from a route, whichever of its success statuses came. */
export type AnswerOf<N extends RouteName> = {
  [S in keyof AnswersOf<N>]: AnswersOf<N>[S] extends Bytes
    ? BytesAnswer
    : StaticOf<AnswersOf<N>[S]>;
}[keyof AnswersOf<N>];

/** The names of a path's `{placeholders}`, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1]!);
}

type ParamArgs<N extends RouteName> = ParamsOf<N> extends undefined ? [] : [params: ParamsOf<N>];

/** A route's URL under `API_BASE`, each path parameter percent-encoded. */
export function urlFor<N extends RouteName>(name: N, ...args: ParamArgs<N>): string {
  return fillPath(name, args[0]);
}

/** `urlFor` for callers that hold a route name of any kind and its parameters as a record. */
export function fillPath(name: RouteName, params: Readonly<Record<string, string>> = {}): string {
  return HTTP_API[name].path.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_whole, key: string) => {
    const value = params[key];
    if (typeof value !== 'string') throw new TypeError(`urlFor(${name}): path parameter ${key} missing`);
    return encodeURIComponent(value);
  });
}

/**
 * Why an answer does not match what the table promises for that route and status (the first
 * difference found, in words for a log), or null when it matches. `body` is the parsed JSON,
 * or for a bytes answer its media type (the bytes themselves are not checked here).
 */
export function answerMismatch(name: RouteName, status: number, body: unknown): string | null {
  const spec: RouteSpec = HTTP_API[name];
  const expected = spec.answers[status];
  if (!expected) return `status ${status} is not an answer of ${spec.method} ${spec.path}`;
  if (expected === NoContent) return null;
  if (isBytes(expected)) {
    return typeof body === 'string' && expected.mediaTypes.includes(body)
      ? null
      : `media type ${String(body)} instead of ${expected.mediaTypes.join(' or ')}`;
  }
  if (Value.Check(expected, body)) return null;
  const first = Value.Errors(expected, body).First();
  return first ? `${first.path || '/'}: ${first.message}` : 'does not match its schema';
}

/** Whether a lost answer may be made up for by sending the same request again. */
export function isRepeatable(name: RouteName): boolean {
  const spec: RouteSpec = HTTP_API[name];
  return spec.method === 'GET' || spec.repeatable === true;
}
