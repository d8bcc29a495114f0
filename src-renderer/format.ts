import { campaignTimeName } from '../src-shared/local-time';

/** Dates as a French candidate reads them, in a given time zone. */
export function formatInstant(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('fr-FR', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/**
 * "le lundi 27 avril 2027 avant minuit": the last day, as the centre writes it; elsewhere than
 * at midnight, "avant 19 h" or "avant 3 h 30".
 */
export function formatDeadlineDay(closesAt: string, timeZone: string): string {
  const lastMoment = new Date(new Date(closesAt).getTime() - 1);
  const day = new Intl.DateTimeFormat('fr-FR', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(lastMoment);
  const parts = new Intl.DateTimeFormat('fr-FR', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(
    new Date(closesAt),
  );
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  if (hour === 0 && minute === '00') return `le ${day} avant minuit`;
  return `le ${day} avant ${hour} h${minute === '00' ? '' : ` ${minute}`}`;
}

export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'La date limite est dépassée.';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} jour${days > 1 ? 's' : ''}`);
  if (days > 0 || hours > 0) parts.push(`${hours} heure${hours > 1 ? 's' : ''}`);
  parts.push(`${mins} minute${mins > 1 ? 's' : ''}`);
  return `Il reste ${parts.join(', ')}.`;
}

/**
 * When a kept copy was read, as a person says it: "aujourd'hui à 14 h 32", "hier à 18 h 05",
 * "le lundi 23 novembre à 9 h 10" (with the year when it is not this year's).
 */
export function formatCopyMoment(readAt: string, now: Date, timeZone: string): string {
  const at = new Date(readAt);
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const time = new Intl.DateTimeFormat('fr-FR', { timeZone, hour: 'numeric', minute: '2-digit' })
    .format(at)
    .replace(':', ' h ');
  if (day(at) === day(now)) return `aujourd'hui à ${time}`;
  if (day(at) === day(new Date(now.getTime() - 24 * 3600_000))) return `hier à ${time}`;
  const sameYear = day(at).slice(0, 4) === day(now).slice(0, 4);
  const date = new Intl.DateTimeFormat('fr-FR', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(at);
  return `le ${date} à ${time}`;
}

/**
 * When the kept copy was read, in the campaign's time like every other instant the candidate
 * reads (the closure, the deadline), naming that time only where this computer's clock would
 * read it otherwise: "aujourd'hui à 14 h 32" in Paris or Brussels, "aujourd'hui à 14 h 32
 * (heure de Paris)" in Martinique.
 */
export function formatCopyMomentInCampaignTime(readAt: string, now: Date, campaignZone: string, hereZone: string): string {
  const moment = formatCopyMoment(readAt, now, campaignZone);
  return formatCopyMoment(readAt, now, hereZone) === moment ? moment : `${moment} (${campaignTimeName(campaignZone, new Date(readAt))})`;
}

/** "7 décembre 2026 à 14:32": when a document was recorded, in the campaign's time. */
export function formatRecordedAt(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso));
}
