/**
 * Counter mode (help desk, design.md section 2): the shapes the UI and the main process share.
 * The main process owns the inactivity clock and the wipe, so that a candidate's traces go even
 * when the screen is frozen or closed; the UI only reports activity and follows the status.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { InputFile } from './documents';
import { StaffSessionRequestSchema, type StaffDossier } from './contract';

/** What the counter's screen needs to know, polled by the UI about once a second. */
export interface CounterStatus {
  enabled: boolean;
  largeText: boolean;
  scanFolder: string | null;
  /** Inactivity before the automatic wipe, warning included. */
  idleSeconds: number;
  /**
   * `active`: someone is using the screen; `warning`: the automatic wipe comes in
   * `secondsLeft`; `waiting_sends`: the wipe waits for documents still being sent.
   */
  phase: 'off' | 'active' | 'warning' | 'waiting_sends';
  secondsLeft: number;
  /** Documents not yet acknowledged by the server: the wipe never drops them silently. */
  pendingSends: number;
  /** Goes up by one at every wipe: the UI drops all it holds when it changes. */
  generation: number;
  /** The staff login whose look-up session is open on this computer, if any. */
  staffLogin: string | null;
}

/** The outcome of "Nouveau candidat". */
export type NewCandidateOutcome = { wiped: true } | { wiped: false; pendingSends: number };

/** A file the counter's scanner saved in the watched folder. */
export interface ScanInfo {
  id: string;
  name: string;
  bytes: number;
  /** ISO instant when it was complete on disk. */
  seenAt: string;
}

// Staff credentials are checked by the companion API: the assistant takes them as it does.
export const CounterConfigureSchema = Type.Object({
  ...StaffSessionRequestSchema.properties,
  enabled: Type.Boolean(),
  /** An absolute folder; empty for none. */
  scanFolder: Type.Optional(Type.String({ maxLength: 4000 })),
  idleSeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 3600 })),
});
export type CounterConfigure = Static<typeof CounterConfigureSchema>;

export const NewCandidateSchema = Type.Object({
  /** Wipe even though documents are still unsent (the staff said so, knowing they are lost). */
  force: Type.Optional(Type.Boolean()),
  /** How long to wait for pending sends before answering that some remain. */
  waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
});

export const ScanIdsSchema = Type.Object({
  ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 }),
});

/** Inactivity before the automatic wipe when nobody set one: long enough to fill a form. */
export const DEFAULT_IDLE_SECONDS = 300;
/** The warning comes this long before the wipe (or a third of the delay, when it is short). */
export const WARNING_SECONDS = 60;

/** Declares a method as the assistant API table does: input schema, and the answer as a phantom type. */
function method<Output>() {
  return <Input extends TSchema>(input: Input) => ({ input, output: undefined as unknown as Output });
}

const NoInput = Type.Object({});

/**
 * The counter's methods of the assistant API (spread into ASSISTANT_METHODS, so that the
 * preload, the IPC, the bridge and the renderer's client get them like any other).
 */
export const COUNTER_METHODS = {
  counterStatus: method<CounterStatus>()(NoInput),
  /** The person at the screen did something: the inactivity countdown starts again. */
  counterActivity: method<null>()(NoInput),
  /** Counter settings, behind a staff account (the staff code). */
  counterConfigure: method<CounterStatus>()(CounterConfigureSchema),
  counterSetLargeText: method<CounterStatus>()(Type.Object({ largeText: Type.Boolean() })),
  /** "Nouveau candidat": ends the session and wipes every local trace of the candidate. */
  newCandidate: method<NewCandidateOutcome>()(NewCandidateSchema),
  listScans: method<ScanInfo[]>()(NoInput),
  readScans: method<InputFile[]>()(ScanIdsSchema),
  staffLogin: method<{ login: string }>()(StaffSessionRequestSchema),
  staffLookup: method<StaffDossier>()(Type.Object({ dossier: Type.String({ minLength: 1, maxLength: 100 }) })),
  staffLogout: method<null>()(NoInput),
};
