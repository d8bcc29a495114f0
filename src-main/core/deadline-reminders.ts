/**
 * Reminders before the deadline (48 h, 2 h and 15 min before), while the dossier is not
 * closed. Times come from the server's clock (an offset measured from GET /time), never
 * from this computer's clock alone: a computer set to the wrong time still warns on time.
 * And, closed or not, a reminder when the centre asks for a correction of a piece.
 */
import type { DeadlineReminder } from '../../src-shared/assistant-api';
import type { Dossier } from '../../src-shared/contract';
import { formatDeadline, isBeforeDeadline } from '../../src-shared/deadline';
import { campaignTimeName } from '../../src-shared/local-time';

export const REMINDERS = [
  { id: '48h', beforeMs: 48 * 3600_000, words: '48 heures' },
  { id: '2h', beforeMs: 2 * 3600_000, words: '2 heures' },
  { id: '15min', beforeMs: 15 * 60_000, words: '15 minutes' },
] as const satisfies readonly { id: DeadlineReminder['id']; beforeMs: number; words: string }[];

export type Reminder = DeadlineReminder;

export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => {
    const timer = setTimeout(run, ms);
    // A pending reminder must not keep a command or a test process alive.
    timer.unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Timers cannot wait longer than this (about 24.8 days): longer waits are re-planned. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ReminderPlan {
  closesAt: Date;
  timeZone: string;
  closed: boolean;
  /** Server clock minus this computer's clock, in milliseconds. */
  serverOffsetMs: number;
}

export function reminderText(id: Reminder['id'], closesAt: Date, timeZone: string): Reminder {
  const words = REMINDERS.find((r) => r.id === id)!.words;
  return {
    id,
    title: 'Clôturez votre inscription',
    body: `Il reste moins de ${words} pour clôturer votre inscription : au plus tard le ${formatDeadline(closesAt, timeZone)} (${campaignTimeName(timeZone, closesAt)}). Un dossier non clôturé n'est pas enregistré.`,
    closesAt: closesAt.toISOString(),
  };
}

/** The reminder of the corrections waiting on the candidate, naming the pieces. */
export function correctionReminderText(labels: readonly string[], closesAt: Date): Reminder {
  const one = labels.length === 1;
  return {
    id: 'correction',
    title: one ? 'Une pièce est à corriger' : `${labels.length} pièces sont à corriger`,
    body: `Le centre de gestion vous demande de corriger ${one ? 'cette pièce' : 'ces pièces'} : ${labels.join(', ')}. Ouvrez l'assistant pour lire le motif et envoyer un nouveau document.`,
    closesAt: closesAt.toISOString(),
  };
}

export class DeadlineReminders {
  private timers: unknown[] = [];
  /** Reminders already shown (per deadline), so a re-plan never shows one twice. */
  private readonly shown = new Set<string>();

  constructor(
    private readonly notify: (reminder: Reminder) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  plan(plan: ReminderPlan): void {
    this.cancel();
    if (plan.closed) return;
    const deadline = plan.closesAt.getTime();
    const serverNow = this.clock.now() + plan.serverOffsetMs;
    if (!isBeforeDeadline(new Date(serverNow), plan.closesAt)) return;
    const due = REMINDERS.filter((r) => deadline - r.beforeMs <= serverNow);
    // Opened late (or woken from sleep): only the most urgent reminder already due is shown, at once.
    const latest = due.at(-1);
    if (latest) this.show(latest.id, plan);
    for (const reminder of REMINDERS.filter((r) => deadline - r.beforeMs > serverNow)) {
      const wait = deadline - reminder.beforeMs - serverNow;
      if (wait > MAX_TIMER_MS) {
        this.timers.push(this.clock.setTimeout(() => this.plan(plan), MAX_TIMER_MS));
        break;
      }
      this.timers.push(this.clock.setTimeout(() => this.show(reminder.id, plan), wait));
    }
  }

  /**
   * Reminds of the corrections the dossier asks for: once per request (a piece asked again
   * after a new review reminds again), whatever the deadline and the closure.
   */
  corrections(dossier: Pick<Dossier, 'dossier' | 'pieces' | 'campaign'>): void {
    // A counter computer serves one candidate after another: the key names the dossier.
    const key = (p: Dossier['pieces'][number]) => `correction ${dossier.dossier} ${p.id} ${p.review?.reviewedAt}`;
    const fresh = dossier.pieces.filter((p) => p.review?.decision === 'correction_requested' && !this.shown.has(key(p)));
    if (fresh.length === 0) return;
    for (const piece of fresh) this.shown.add(key(piece));
    this.notify(correctionReminderText(fresh.map((p) => p.label), new Date(dossier.campaign.closesAt)));
  }

  cancel(): void {
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers = [];
  }

  private show(id: Reminder['id'], plan: ReminderPlan): void {
    const key = `${plan.closesAt.toISOString()} ${id}`;
    if (this.shown.has(key)) return;
    this.shown.add(key);
    this.notify(reminderText(id, plan.closesAt, plan.timeZone));
  }
}
