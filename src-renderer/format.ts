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

/** "le lundi 27 avril 2027 avant minuit": the last day, as the centre writes it. */
export function formatDeadlineDay(closesAt: string, timeZone: string): string {
  const lastMoment = new Date(new Date(closesAt).getTime() - 1);
  const day = new Intl.DateTimeFormat('fr-FR', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(lastMoment);
  const end = new Intl.DateTimeFormat('fr-FR', { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    new Date(closesAt),
  );
  return end === '00:00' ? `le ${day} avant minuit` : `le ${day} avant ${end.replace(':', ' h ')}`;
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
