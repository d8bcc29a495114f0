/**
 * Deadlines: "au plus tard le 27 avril avant minuit, heure métropolitaine". A `closesOn` date
 * closes at midnight at the END of that day in the campaign's time zone; a `closesAt` instant
 * closes exactly then. Closing is possible strictly before the instant.
 */
import { DateTime } from 'luxon';
import { AppError } from './errors';

export function deadlineOf(spec: { closesOn?: string; closesAt?: string; timeZone: string }): Date {
  if (!DateTime.local().setZone(spec.timeZone).isValid)
    throw new AppError('validation_failed', `Fuseau horaire inconnu : « ${spec.timeZone} ».`);
  if (spec.closesOn !== undefined) {
    const day = DateTime.fromISO(spec.closesOn, { zone: spec.timeZone });
    if (!day.isValid) throw new AppError('validation_failed', `Date « ${spec.closesOn} » invalide.`);
    return day.plus({ days: 1 }).startOf('day').toJSDate();
  }
  if (spec.closesAt !== undefined) {
    // An instant must say which one: a bare local time is ambiguous across time zones.
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(spec.closesAt))
      throw new AppError('validation_failed', '« closesAt » doit indiquer un fuseau (Z ou +01:00).');
    const at = DateTime.fromISO(spec.closesAt, { setZone: true });
    if (!at.isValid) throw new AppError('validation_failed', `Instant « ${spec.closesAt} » invalide.`);
    return at.toJSDate();
  }
  throw new AppError('validation_failed', 'Aucune date limite indiquée.');
}

/**
 * THE answer to "is it still open?", wherever it is asked (both server storages inside their
 * transactions, the upload route, the reminders): open strictly before the instant.
 */
export function isBeforeDeadline(now: Date, closesAt: Date): boolean {
  return now.getTime() < closesAt.getTime();
}

/** "lundi 27 avril 2027 à 23 h 59" style wording of the last minute, in a zone. */
export function formatDeadline(closesAt: Date, timeZone: string): string {
  const lastMinute = DateTime.fromJSDate(new Date(closesAt.getTime() - 60_000), { zone: timeZone });
  return lastMinute.setLocale('fr').toFormat("cccc d LLLL yyyy 'à' HH 'h' mm");
}

/** "JJ/MM/AAAA HH:MM:SS" in a zone (the campaign's, on what the candidate reads). */
export function formatTimestamp(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat('dd/LL/yyyy HH:mm:ss');
}

/** "JJ/MM/AAAA HH:MM:SS" in Europe/Paris, as the closures CSV wants. */
export function formatParisTimestamp(instant: Date): string {
  return formatTimestamp(instant, 'Europe/Paris');
}
