import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineReminders, type Reminder } from '../../../../src-main/core/deadline-reminders';

// Midnight in Paris at the end of 27 April 2027 (UTC+2).
const closesAt = new Date('2027-04-27T22:00:00Z');
const HOUR = 3600_000;

const fakeClock = {
  now: () => Date.now(),
  setTimeout: (run: () => void, ms: number) => setTimeout(run, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
};

describe('deadline reminders', () => {
  let shown: Reminder[];
  let reminders: DeadlineReminders;
  beforeEach(() => {
    vi.useFakeTimers();
    shown = [];
    reminders = new DeadlineReminders((r) => shown.push(r), fakeClock);
  });
  afterEach(() => {
    reminders.cancel();
    vi.useRealTimers();
  });

  it('warns 48 h, 2 h and 15 min before, in French with the Paris deadline, then never again', () => {
    vi.setSystemTime(new Date(closesAt.getTime() - 10 * 24 * HOUR));
    reminders.plan({ closesAt, timeZone: 'Europe/Paris', closed: false, serverOffsetMs: 0 });
    vi.advanceTimersByTime(8 * 24 * HOUR - 1000);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(shown.map((r) => r.id)).toEqual(['48h']);
    expect(shown[0]!.body).toBe(
      "Il reste moins de 48 heures pour clôturer votre inscription : au plus tard le mardi 27 avril 2027 à 23 h 59 (heure de Paris). Un dossier non clôturé n'est pas enregistré.",
    );
    vi.advanceTimersByTime(46 * HOUR);
    expect(shown.map((r) => r.id)).toEqual(['48h', '2h']);
    vi.advanceTimersByTime(105 * 60_000);
    expect(shown.map((r) => r.id)).toEqual(['48h', '2h', '15min']);
    vi.advanceTimersByTime(30 * 24 * HOUR);
    expect(shown).toHaveLength(3);
  });

  it("names the campaign's own time, not Paris's, for a centre overseas", () => {
    vi.setSystemTime(closesAt.getTime() - HOUR);
    reminders.plan({ closesAt, timeZone: 'Indian/Reunion', closed: false, serverOffsetMs: 0 });
    expect(shown[0]!.body).toContain('au plus tard le mercredi 28 avril 2027 à 01 h 59 (heure locale à La Réunion).');
  });

  it('follows the server clock, not this computer: a computer 3 hours slow still warns on time', () => {
    const serverNow = closesAt.getTime() - 3 * HOUR;
    vi.setSystemTime(serverNow - 3 * HOUR);
    reminders.plan({ closesAt, timeZone: 'Europe/Paris', closed: false, serverOffsetMs: 3 * HOUR });
    expect(shown.map((r) => r.id)).toEqual(['48h']); // already within 48 h by the server
    vi.advanceTimersByTime(HOUR);
    expect(shown.map((r) => r.id)).toEqual(['48h', '2h']);
  });

  it('opened late, shows only the most urgent reminder due, once, even when planned again', () => {
    vi.setSystemTime(closesAt.getTime() - HOUR);
    reminders.plan({ closesAt, timeZone: 'Europe/Paris', closed: false, serverOffsetMs: 0 });
    reminders.plan({ closesAt, timeZone: 'Europe/Paris', closed: false, serverOffsetMs: 0 });
    expect(shown.map((r) => r.id)).toEqual(['2h']);
    vi.advanceTimersByTime(45 * 60_000);
    expect(shown.map((r) => r.id)).toEqual(['2h', '15min']);
  });

  it('says nothing once the dossier is closed, or after the deadline', () => {
    vi.setSystemTime(closesAt.getTime() - 50 * HOUR);
    reminders.plan({ closesAt, timeZone: 'Europe/Paris', closed: false, serverOffsetMs: 0 });
    reminders.plan({ closesAt, timeZone: 'Europe/Paris', closed: true, serverOffsetMs: 0 });
    vi.advanceTimersByTime(60 * HOUR);
    expect(shown).toEqual([]);
    reminders.plan({ closesAt, timeZone: 'Europe/Paris', closed: false, serverOffsetMs: 0 });
    expect(shown).toEqual([]);
  });

  it('waits beyond the longest timer by planning again (a campaign open for months)', () => {
    vi.setSystemTime(closesAt.getTime() - 90 * 24 * HOUR);
    reminders.plan({ closesAt, timeZone: 'Europe/Paris', closed: false, serverOffsetMs: 0 });
    vi.advanceTimersByTime(88 * 24 * HOUR - 1000);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(shown.map((r) => r.id)).toEqual(['48h']);
  });

  describe('corrections', () => {
    const asked = (reviewedAt: string) => ({ decision: 'correction_requested' as const, reason: 'Illisible.', reviewedAt });
    const dossier = (pieces: { id: string; label: string; review: ReturnType<typeof asked> | null }[], number = 'DEMO-00001') => ({
      dossier: number,
      campaign: { id: 'c', title: 't', organiser: 'o', closesAt: closesAt.toISOString(), timeZone: 'Europe/Paris' },
      pieces: pieces.map((p) => ({ ...p, help: '', required: true, lateAllowed: false, multiple: false, accepts: [], maxBytes: 1, documents: [] })),
    });

    it('reminds once of the pieces to correct, naming them, even on a closed dossier', () => {
      const d = dossier([
        { id: 'identite', label: "Pièce d'identité", review: asked('2027-05-02T08:00:00Z') },
        { id: 'diplome', label: 'Copie du diplôme', review: null },
      ]);
      reminders.plan({ closesAt, timeZone: 'Europe/Paris', closed: true, serverOffsetMs: 0 });
      reminders.corrections(d);
      reminders.corrections(d);
      expect(shown).toEqual([
        {
          id: 'correction',
          title: 'Une pièce est à corriger',
          body: "Le centre de gestion vous demande de corriger cette pièce : Pièce d'identité. Ouvrez l'assistant pour lire le motif et envoyer un nouveau document.",
          closesAt: closesAt.toISOString(),
        },
      ]);
    });

    it('reminds again of a piece asked again, and of another candidate on the same computer', () => {
      reminders.corrections(dossier([{ id: 'identite', label: "Pièce d'identité", review: asked('2027-05-02T08:00:00Z') }]));
      reminders.corrections(
        dossier([
          { id: 'identite', label: "Pièce d'identité", review: asked('2027-05-09T08:00:00Z') },
          { id: 'diplome', label: 'Copie du diplôme', review: asked('2027-05-09T08:00:00Z') },
        ]),
      );
      expect(shown.map((r) => r.title)).toEqual(['Une pièce est à corriger', '2 pièces sont à corriger']);
      reminders.corrections(dossier([{ id: 'identite', label: "Pièce d'identité", review: asked('2027-05-02T08:00:00Z') }], 'DEMO-00002'));
      expect(shown).toHaveLength(3);
    });

    it('says nothing when no correction waits', () => {
      reminders.corrections(dossier([{ id: 'identite', label: "Pièce d'identité", review: null }]));
      expect(shown).toEqual([]);
    });
  });
});
