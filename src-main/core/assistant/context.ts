/**
 * What the assistant's handler maps share, built once and passed to each of them explicitly:
 * the clients and stores, and the little state that lives between calls (the dossier last
 * read, the sends under way, the start-up that takes a kept session up).
 */
import path from 'node:path';
import type { AssistantImpl, AssistantMethodName } from '../../../src-shared/assistant-api';
import type { DocumentInfo, Dossier } from '../../../src-shared/contract';
import { createLogBook, type LogBook } from '../../../src-shared/log';
import { ApiClient } from '../api-client';
import type { CounterSettings, CounterSettingsStore } from '../counter/settings';
import { DeadlineReminders, type Clock, type Reminder } from '../deadline-reminders';
import { createEngine, type Engine } from '../../../src-engine';
import { createEventHub, type EventHub } from '../events';
import { KeptDossiers } from '../kept-dossiers';
import { PreparedStore } from '../prepared-store';
import { memoryDeviceTokens, memorySessionKeeper, type DeviceTokenKeeper, type SessionKeeper } from '../session-keeper';
import { memorySettingsStore, type SettingsStore } from '../settings';
import { SourceStore } from '../source-store';
import { UploadQueue } from '../upload-queue';
import type { UpdateService } from '../updates';

/** The methods a handler map implements, typed from the assistant API table. */
export type Handlers<K extends AssistantMethodName> = Pick<AssistantImpl, K>;

export interface AssistantOptions {
  apiUrl: string;
  /** Where this computer keeps its working files (chosen files, prepared documents, one folder per dossier). */
  workspaceDir: string;
  /** The document engine (by default one in its own process, started on first use). */
  engine?: Engine;
  /** Where the assistant's events go (engine progress, queue changes); the shells forward them. */
  events?: EventHub;
  /** Where the session is kept between runs (default: memory only). */
  sessions?: SessionKeeper;
  /** Where device tokens are kept between logins (default: memory only). */
  deviceTokens?: DeviceTokenKeeper;
  /** Retry timing of the send queue (tests shorten it). */
  queue?: { baseDelayMs?: number; maxDelayMs?: number };
  apiTimeoutMs?: number;
  /**
   * Asks the person where to save a file and writes it (the desktop's save dialog); answers
   * false when they cancel. Without it, files are handed to the UI to download.
   */
  saveFile?: (suggestedName: string, bytes: Uint8Array) => Promise<boolean>;
  /** Shows a reminder before the deadline as a system notification (the desktop shell). */
  notify?: (reminder: Reminder) => void;
  /** Where settings live (default: memory). */
  settings?: SettingsStore;
  /** The clock of the reminders (tests give a fake one). */
  clock?: Clock;
  /** Counter mode (help desk): where its settings live, what `--counter` set, what the shell clears at a wipe. */
  counter?: { settings?: CounterSettingsStore; overrides?: Partial<CounterSettings>; onWipe?: () => Promise<void> };
  /** The desktop app's own updates (none in the browser host). */
  updates?: UpdateService;
  /** The help desk's log (the shells give one in the user's log folder; default: memory only). */
  log?: LogBook;
  /** The app's version for the support report (default: package.json's). */
  appVersion?: string;
}

export interface AssistantContext {
  readonly options: AssistantOptions;
  readonly api: ApiClient;
  readonly engine: Engine;
  readonly events: EventHub;
  readonly sessions: SessionKeeper;
  readonly deviceTokens: DeviceTokenKeeper;
  readonly settings: SettingsStore;
  readonly queue: UploadQueue;
  readonly prepared: PreparedStore;
  readonly sources: SourceStore;
  readonly keptDossiers: KeptDossiers;
  readonly reminders: DeadlineReminders;
  readonly log: LogBook;
  /** The dossier last read: from the server, or the copy kept on this computer when offline. */
  dossier: Dossier | null;
  /** Sends under way, by prepared document: the same send asked twice joins the first. */
  readonly sending: Map<string, Promise<DocumentInfo>>;
  /** Closure requests waiting for the server's answer (an update must not cut one). */
  closing: number;
  /** Resolves once a kept session is taken up and its queue resumed (set by the session map). */
  ready: Promise<void>;
}

export function createContext(options: AssistantOptions): AssistantContext {
  const log = options.log ?? createLogBook();
  const api = new ApiClient({ baseUrl: options.apiUrl, timeoutMs: options.apiTimeoutMs, log });
  const events = options.events ?? createEventHub();
  return {
    options,
    api,
    engine: options.engine ?? createEngine({ log }),
    events,
    sessions: options.sessions ?? memorySessionKeeper(),
    deviceTokens: options.deviceTokens ?? memoryDeviceTokens(),
    settings: options.settings ?? memorySettingsStore(),
    queue: new UploadQueue({
      workspaceDir: options.workspaceDir,
      upload: (item, bytes) =>
        api.upload(item.pieceId, { filename: item.filename, mediaType: item.mediaType, bytes }, item.replaces),
      onChange: (view) => events.emit('queueChanged', view),
      log,
      ...options.queue,
    }),
    prepared: new PreparedStore(path.join(options.workspaceDir, 'prepared')),
    sources: new SourceStore(path.join(options.workspaceDir, 'sources')),
    keptDossiers: new KeptDossiers(options.workspaceDir),
    reminders: new DeadlineReminders((reminder) => {
      events.emit('reminder', reminder);
      options.notify?.(reminder);
    }, options.clock),
    log,
    dossier: null,
    sending: new Map(),
    closing: 0,
    ready: Promise.resolve(),
  };
}
