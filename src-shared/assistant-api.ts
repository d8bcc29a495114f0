/**
 * The assistant API: the single interface between the UI and the main process. This table is
 * the one source of truth: the preload, the IPC registration, the browser host's loopback
 * bridge and the renderer's client (from its type) are all derived from it. Each method takes
 * one input, checked against its schema on the main side, and answers a Result.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Closure, Dossier, DocumentInfo, ServerTime, SignedReceipt, CampaignSummary } from './contract';
import type { AcceptedMediaType } from './contract';
import { InputFileSchema, PageRefSchema, type InspectedFiles, type PagePicture, type PreparedDocument } from './documents';
import type { ErrorInfo } from './errors';
import { COUNTER_METHODS } from './counter';
import type { SupportReport } from './support-report';

export { InputFileSchema, type InputFile, type InspectedFiles, type PagePicture, type PagePreview, type PageRef, type PreparedDocument, type PreparedPage } from './documents';
export type { SupportReport } from './support-report';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/**
 * The dossier as the UI gets it: the server's answer (`offlineCopy` null), or, when the server
 * cannot be reached, the copy kept on this computer at the last answer. With a copy, documents
 * added wait in the send queue until the connection is back, and closing is not possible.
 */
export type DossierView = Dossier & { offlineCopy: OfflineCopy | null };
export interface OfflineCopy {
  /** When the server gave this copy (ISO instant, this computer's clock). */
  readAt: string;
}


/**
 * A document in the local send queue. `pending` ("envoi en attente": kept on this computer,
 * sent automatically as soon as the server answers), `sent` (the server has it: `document`),
 * `refused` (the server refused it for good: `error` says why in plain French).
 */
export type QueueState = 'pending' | 'sent' | 'refused';
export const QUEUE_STATE_LABELS: Record<QueueState, string> = {
  pending: 'envoi en attente',
  sent: 'envoyé',
  refused: 'refusé',
};

export interface QueueItem {
  id: string;
  dossier: string;
  pieceId: string;
  filename: string;
  mediaType: AcceptedMediaType;
  bytes: number;
  sha256: string;
  state: QueueState;
  /** Attempts made so far (transient failures only). */
  attempts: number;
  /** When the next automatic attempt is due (ISO), for pending items. */
  nextAttemptAt: string | null;
  /** Why the last attempt failed (pending: the transient reason; refused: the final reason). */
  error: ErrorInfo | null;
  document: DocumentInfo | null;
  queuedAt: string;
  /** The document of the same piece this one replaces once sent (null: an addition). */
  replaces: string | null;
}

/** The logged-in dossier's queue: what is not yet on the server, and what was refused. */
export interface QueueView {
  dossier: string | null;
  items: QueueItem[];
  /** Items still waiting to be sent: the app says plainly that they are not on the server yet. */
  pending: number;
}

/** The closure receipt as kept on this computer, and whether its signature checks with the server's key. */
export type StoredReceipt = SignedReceipt & { verified: boolean };

/**
 * The receipt PDF: `saved` (the desktop asked where and wrote it), `cancelled` (the person
 * closed the dialog), or `download` (in a browser: `bytes` for the UI to offer as a download).
 */
export interface SavedFile {
  outcome: 'saved' | 'cancelled' | 'download';
  filename: string;
  mediaType: string;
  bytes: Uint8Array | null;
}

export interface DocumentContent {
  filename: string;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * The person's settings on this computer. `serverUrl`: the companion API to use (null: the
 * embedded demo, or the address the app was started with); applies at the next start.
 * `counterMode`: the help-desk mode; `textSize`: the UI's text size.
 */
export const SettingsSchema = Type.Object({
  serverUrl: Type.Union([Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 }), Type.Null()]),
  counterMode: Type.Boolean(),
  textSize: Type.Union([Type.Literal('normal'), Type.Literal('large'), Type.Literal('larger')]),
});
export type Settings = Static<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = { serverUrl: null, counterMode: false, textSize: 'normal' };

/**
 * The desktop app's own update: `none` (nothing new, or no update feed, as in a browser),
 * `downloading` (in the background), `ready` (downloaded and checked: installed at the next
 * restart, or when the app quits).
 */
export interface UpdateStatus {
  state: 'none' | 'downloading' | 'ready';
  /** The version coming (null with `none`). */
  version: string | null;
}
export const NO_UPDATE: UpdateStatus = { state: 'none', version: null };

/** Declares a method: its input schema, and (as a phantom type) what it answers. */
function method<Output>() {
  return <Input extends TSchema>(input: Input) => ({ input, output: undefined as unknown as Output });
}

const NoInput = Type.Object({});
const DocumentRef = Type.Object({ documentId: Type.String({ minLength: 1, maxLength: 200 }) });

export const ASSISTANT_METHODS = {
  getServerTime: method<ServerTime>()(NoInput),
  listCampaigns: method<CampaignSummary[]>()(NoInput),
  login: method<DossierView>()(
    Type.Object({
      dossier: Type.String({ minLength: 1, maxLength: 100 }),
      password: Type.String({ minLength: 1, maxLength: 1000 }),
    }),
  ),
  logout: method<null>()(NoInput),
  /** The dossier from the server; offline, the copy kept at the last answer (`offlineCopy` says when). */
  getDossier: method<DossierView>()(NoInput),
  /** Keeps the chosen files on this computer and answers their pages, for the preview. */
  inspectFiles: method<InspectedFiles>()(
    Type.Object({ files: Type.Array(InputFileSchema, { minItems: 1, maxItems: 50 }) }),
  ),
  /** Builds the file to send from inspected files, with the pages as arranged (all, in order, by default). */
  prepareDocument: method<PreparedDocument>()(
    Type.Object({
      pieceId: Type.String({ minLength: 1, maxLength: 64 }),
      sourceId: Type.String({ minLength: 1, maxLength: 64 }),
      pages: Type.Optional(Type.Array(PageRefSchema, { minItems: 1, maxItems: 2000 })),
    }),
  ),
  /**
   * One page of inspected files as a larger picture than its thumbnail (a photo, upright, its
   * long side at most `longSide`): what the person places the document's corners on.
   */
  pagePicture: method<PagePicture>()(
    Type.Object({
      sourceId: Type.String({ minLength: 1, maxLength: 64 }),
      file: Type.Integer({ minimum: 0, maximum: 49 }),
      page: Type.Integer({ minimum: 0, maximum: 9999 }),
      longSide: Type.Integer({ minimum: 256, maximum: 2048 }),
    }),
  ),
  discardPrepared: method<null>()(Type.Object({ preparedId: Type.String({ minLength: 1 }) })),
  /**
   * Sends a prepared document. `replaces`: the id of a document of the same piece that the new
   * one takes the place of, in one step on the server (the old one goes only once the new one
   * is stored); kept with the document in the send queue until it is sent.
   */
  sendPrepared: method<DocumentInfo>()(
    Type.Object({
      preparedId: Type.String({ minLength: 1 }),
      replaces: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    }),
  ),
  getDocumentContent: method<DocumentContent>()(DocumentRef),
  deleteDocument: method<null>()(DocumentRef),
  closeDossier: method<Closure>()(NoInput),
  /** The signed receipt (from the server, kept locally; the kept one when offline), with `verified`. */
  getReceipt: method<StoredReceipt>()(NoInput),
  /** Saves the printable receipt PDF (desktop: a save dialog; browser: the bytes to download). */
  saveReceiptPdf: method<SavedFile>()(NoInput),
  getSettings: method<Settings>()(NoInput),
  /** Changes some settings; answers them all. */
  updateSettings: method<Settings>()(Type.Partial(SettingsSchema)),
  /** The local send queue of the logged-in dossier (en attente, envoyé, refusé with the reason). */
  listQueue: method<QueueView>()(NoInput),
  /** Tries every waiting document now (for example when the network comes back). */
  retryQueue: method<QueueView>()(NoInput),
  /** Forgets a refused item (its local file is deleted); pending items cannot be dismissed. */
  dismissQueued: method<QueueView>()(Type.Object({ itemId: Type.String({ minLength: 1, maxLength: 64 }) })),
  /** Where the desktop app's own update stands. */
  getUpdateStatus: method<UpdateStatus>()(NoInput),
  /** "Redémarrer pour mettre à jour": refused while a document is being sent or the dossier closed. */
  restartToUpdate: method<null>()(NoInput),
  /** What the help desk needs to understand a problem (versions, queue state, last errors), with no personal data. */
  supportReport: method<SupportReport>()(NoInput),
  ...COUNTER_METHODS,
};

export type AssistantMethodName = keyof typeof ASSISTANT_METHODS;
export const ASSISTANT_METHOD_NAMES = Object.keys(ASSISTANT_METHODS) as AssistantMethodName[];

export type MethodInput<K extends AssistantMethodName> = Static<(typeof ASSISTANT_METHODS)[K]['input']>;
export type MethodOutput<K extends AssistantMethodName> = (typeof ASSISTANT_METHODS)[K]['output'];

/** What the main process implements: plain async methods that throw AppError. */
export type AssistantImpl = {
  [K in AssistantMethodName]: (input: MethodInput<K>) => Promise<MethodOutput<K>>;
};

/** What the renderer sees as `window.assistant`: every method answers a Result, never throws. */
export type AssistantApi = {
  [K in AssistantMethodName]: (input: MethodInput<K>) => Promise<Result<MethodOutput<K>>>;
};

/** The IPC channel of a method, shared by the preload and the registration. */
export function channelOf(name: AssistantMethodName): string {
  return `assistant:${name}`;
}

export function isAssistantMethod(name: string): name is AssistantMethodName {
  return Object.prototype.hasOwnProperty.call(ASSISTANT_METHODS, name);
}

/** Declares an event sent from the main process to the UI, with its payload type. */
function event<Payload>() {
  return { payload: undefined as unknown as Payload };
}

/** Progress of the engine on the current operation (inspect: files read; prepare: pages built). */
export interface ProgressEvent {
  operation: 'inspect' | 'prepare';
  done: number;
  total: number;
}

/**
 * A reminder before the deadline, or of a correction the centre asks for (also shown as a
 * system notification on the desktop).
 */
export interface DeadlineReminder {
  id: '48h' | '2h' | '15min' | 'correction';
  title: string;
  body: string;
  closesAt: string;
}

/**
 * Events from the main process to the UI, derived like the methods: Electron sends them with
 * `webContents.send`, the preload's `assistant.on(event, listener)` receives them; the browser
 * host sends them as Server-Sent Events at `/bridge-events`.
 */
export const ASSISTANT_EVENTS = {
  progress: event<ProgressEvent>(),
  queueChanged: event<QueueView>(),
  reminder: event<DeadlineReminder>(),
  /** The desktop app's update changed state (typically: ready to install). */
  updateChanged: event<UpdateStatus>(),
};

export type AssistantEventName = keyof typeof ASSISTANT_EVENTS;
export const ASSISTANT_EVENT_NAMES = Object.keys(ASSISTANT_EVENTS) as AssistantEventName[];
export type EventPayload<E extends AssistantEventName> = (typeof ASSISTANT_EVENTS)[E]['payload'];

export function isAssistantEvent(name: string): name is AssistantEventName {
  return Object.prototype.hasOwnProperty.call(ASSISTANT_EVENTS, name);
}

/** The IPC channel of an event. */
export function eventChannelOf(name: AssistantEventName): string {
  return `assistant-event:${name}`;
}

/** Subscribes to an event; answers the function that unsubscribes. */
export type Subscribe = <E extends AssistantEventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;

/** `window.assistant`: the methods, and `on` for the events. */
export type AssistantBridge = AssistantApi & { on: Subscribe };
