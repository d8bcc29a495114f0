/**
 * Counter mode: one candidate after another on a shared computer. "Nouveau candidat" (or the
 * inactivity clock) ends the session and wipes every local trace of the candidate; the
 * scanner's folder is watched; staff look dossiers up with their own account.
 *
 * The wipe never drops a document the server has not acknowledged without being told to: it
 * waits for pending sends, and otherwise answers how many remain so that the screen can ask.
 */
import { AppError } from '../../../src-shared/errors';
import { createLogBook, errorFields, type Logger } from '../../../src-shared/log';
import type { InputFile } from '../../../src-shared/assistant-api';
import type { StaffDossier } from '../../../src-shared/contract';
import {
  WARNING_SECONDS,
  type CounterConfigure,
  type CounterStatus,
  type NewCandidateOutcome,
  type ScanInfo,
} from '../../../src-shared/counter';
import { InactivityClock, inactivityRules } from './inactivity';
import { ScanFolder, type ScanFolderOptions } from './scan-folder';
import { DEFAULT_COUNTER_SETTINGS, type CounterSettings, type CounterSettingsStore } from './settings';
import { StaffClient } from './staff-client';
import { emptyFolder } from './wipe';

/** What the assistant keeps about the current candidate, as the counter needs it. */
export interface CandidateSession {
  /** Documents sent or queued that the server has not acknowledged yet. */
  pendingSends(): Promise<number>;
  /**
   * Forgets the candidate in memory (tokens, cached dossier, open sessions on the server) and
   * lets go of any file it holds open, so that the workspace can then be emptied.
   */
  forget(): Promise<void>;
  /** Tries the waiting sends now rather than at their next retry (the staff is waiting). */
  flush?(): Promise<unknown>;
}

export interface CounterOptions {
  apiUrl: string;
  settings: CounterSettingsStore;
  candidate: CandidateSession;
  /** Folders that hold only per-candidate data (the workspace): emptied at each wipe. */
  candidateFolders: string[];
  /** Set at start (`--counter`, `--scan-folder`, `--idle-seconds`), as a counter's shortcut does; not saved. */
  overrides?: Partial<CounterSettings>;
  /** What the shell must clear too (Chromium's caches and storage in Electron). */
  onWipe?: () => Promise<void>;
  /** Where the failures the counter works around are logged (default: memory only). */
  log?: Logger;
  now?: () => number;
  tickMs?: number;
  warningSeconds?: number;
  scanOptions?: ScanFolderOptions;
}

export interface Counter {
  counterStatus(): Promise<CounterStatus>;
  counterActivity(): Promise<null>;
  counterConfigure(input: CounterConfigure): Promise<CounterStatus>;
  counterSetLargeText(input: { largeText: boolean }): Promise<CounterStatus>;
  newCandidate(input: { force?: boolean; waitMs?: number }): Promise<NewCandidateOutcome>;
  listScans(): Promise<ScanInfo[]>;
  readScans(input: { ids: string[] }): Promise<InputFile[]>;
  staffLogin(input: { login: string; password: string }): Promise<{ login: string }>;
  staffLookup(input: { dossier: string }): Promise<StaffDossier>;
  staffLogout(): Promise<null>;
  /** Stops the clock and the folder watch. */
  close(): Promise<void>;
}

const DEFAULT_WAIT_MS = 15_000;
const PENDING_POLL_MS = 200;

export function createCounter(options: CounterOptions): Counter {
  const now = options.now ?? Date.now;
  const warningSeconds = options.warningSeconds ?? WARNING_SECONDS;
  const log = options.log ?? createLogBook();
  const staff = new StaffClient(options.apiUrl, log);
  let overrides: Partial<CounterSettings> = { ...options.overrides };
  let saved: CounterSettings = { ...DEFAULT_COUNTER_SETTINGS };
  let settings: CounterSettings = { ...saved, ...overrides };
  const clock = new InactivityClock(inactivityRules(settings.idleSeconds, warningSeconds), now);
  let scans: ScanFolder | null = null;
  let scanError: AppError | null = null;
  let generation = 0;
  /** Something happened since the last wipe: an idle, empty screen needs no wipe. */
  let dirty = false;
  let waitingSends = 0;
  let wiping: Promise<void> | null = null;

  async function applySettings(): Promise<void> {
    settings = { ...saved, ...overrides };
    clock.setRules(inactivityRules(settings.idleSeconds, warningSeconds));
    const wanted = settings.enabled ? settings.scanFolder : null;
    if (scans?.dir !== wanted || scanError) {
      await scans?.close();
      scans = null;
      scanError = null;
      if (wanted) {
        const folder = new ScanFolder(wanted, options.scanOptions);
        try {
          await folder.start();
          scans = folder;
        } catch (error) {
          await folder.close();
          scanError = error instanceof AppError ? error : new AppError('scan_folder_unavailable');
        }
      }
    }
  }
  // Loaded on first use, so that the assistant can be built synchronously at start.
  const ready = (async () => {
    saved = await options.settings.load();
    await applySettings();
  })();

  function requireEnabled(): void {
    if (!settings.enabled) throw new AppError('counter_mode_off');
  }

  async function pendingSends(): Promise<number> {
    return options.candidate.pendingSends().catch((error: unknown) => {
      log.warn('counter.pending_unknown', errorFields(error));
      return 0;
    });
  }

  /** One wipe at a time; a second request joins the one under way. */
  function wipe(): Promise<void> {
    wiping ??= (async () => {
      try {
        await options.candidate.forget();
        await staff.close();
        const left: string[] = [];
        if (scans) left.push(...(await scans.clear()));
        for (const folder of options.candidateFolders) left.push(...(await emptyFolder(folder)));
        await options.onWipe?.();
        if (left.length > 0) throw new AppError('wipe_incomplete');
      } finally {
        // Even a partial wipe ends the session on screen: the next person sees nothing.
        generation += 1;
        dirty = false;
        waitingSends = 0;
        clock.touch();
        wiping = null;
      }
    })();
    return wiping;
  }

  async function tick(): Promise<void> {
    await ready;
    if (!settings.enabled || wiping || clock.phase() !== 'expired') return;
    if (!dirty) return clock.touch();
    waitingSends = await pendingSends();
    // Nobody is there to ask: the wipe waits until the documents have reached the server.
    // Even a partial wipe ends the session on screen (see wipe): what was left is in the log.
    if (waitingSends === 0) await wipe().catch((error: unknown) => log.warn('counter.wipe_failed', errorFields(error)));
  }
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    void tick().finally(() => (ticking = false));
  }, options.tickMs ?? 1000);
  timer.unref?.();

  async function status(): Promise<CounterStatus> {
    await ready;
    // The text size may also be changed through the app's settings: read it each time.
    const fresh = await options.settings.load();
    saved = { ...saved, largeText: fresh.largeText };
    settings = { ...settings, largeText: overrides.largeText ?? fresh.largeText };
    const phase = clock.phase();
    return {
      enabled: settings.enabled,
      largeText: settings.largeText,
      scanFolder: settings.scanFolder,
      idleSeconds: settings.idleSeconds,
      phase: !settings.enabled
        ? 'off'
        : waitingSends > 0 && phase === 'expired'
          ? 'waiting_sends'
          : phase === 'active' || !dirty
            ? 'active'
            : 'warning',
      secondsLeft: Math.ceil(clock.msLeft() / 1000),
      pendingSends: settings.enabled ? await pendingSends() : 0,
      generation,
      staffLogin: staff.login,
    };
  }

  return {
    counterStatus: status,

    async counterActivity() {
      await ready;
      if (settings.enabled) {
        clock.touch();
        dirty = true;
        waitingSends = 0;
      }
      return null;
    },

    async counterConfigure({ login, password, enabled, scanFolder, idleSeconds }) {
      await ready;
      // The staff code: a staff account checked by the server, so no secret lives on the desk.
      await staff.check(login, password);
      saved = {
        ...saved,
        enabled,
        ...(scanFolder !== undefined ? { scanFolder: scanFolder.trim() || null } : {}),
        ...(idleSeconds !== undefined ? { idleSeconds } : {}),
      };
      await options.settings.save(saved);
      overrides = {};
      await applySettings();
      return status();
    },

    async counterSetLargeText({ largeText }) {
      await ready;
      saved = { ...saved, largeText };
      await options.settings.save(saved);
      delete overrides.largeText;
      await applySettings();
      return status();
    },

    async newCandidate({ force = false, waitMs = DEFAULT_WAIT_MS }) {
      await ready;
      requireEnabled();
      if (!force) {
        // Not awaited: on a dead network an attempt can take its whole timeout.
        void options.candidate.flush?.().catch((error: unknown) => log.warn('counter.flush_failed', errorFields(error)));
        const until = now() + waitMs;
        let pending = await pendingSends();
        while (pending > 0 && now() < until) {
          await new Promise((resolve) => setTimeout(resolve, PENDING_POLL_MS));
          pending = await pendingSends();
        }
        if (pending > 0) return { wiped: false, pendingSends: pending };
      }
      await wipe();
      return { wiped: true };
    },

    async listScans() {
      await ready;
      requireEnabled();
      if (scanError) await applySettings();
      if (scanError) throw scanError;
      return scans?.list() ?? [];
    },

    async readScans({ ids }) {
      await ready;
      requireEnabled();
      if (!scans) throw scanError ?? new AppError('scan_folder_unavailable');
      dirty = true;
      return scans.read(ids);
    },

    async staffLogin({ login, password }) {
      await ready;
      await staff.open(login, password);
      if (settings.enabled) dirty = true;
      return { login };
    },

    async staffLookup({ dossier }) {
      return staff.lookup(dossier.trim());
    },

    async staffLogout() {
      await staff.close();
      return null;
    },

    async close() {
      await ready;
      clearInterval(timer);
      await scans?.close();
      await staff.close();
    },
  };
}
