/**
 * How to name the computer's time zone to a French candidate, beside the deadline in Paris
 * time: the overseas departments and territories by their place ("Chez vous, en Martinique"),
 * other zones by the readable name Intl gives ("heure de l'Est nord-américain"), and otherwise
 * no name at all ("À l'heure de votre ordinateur"): an IANA identifier such as
 * "America/Martinique" means nothing to most people. The one place where this wording lives.
 */

/** The place, with its preposition, of the zones of French overseas departments and territories. */
const OVERSEAS_PLACES: Record<string, string> = {
  'America/Martinique': 'en Martinique',
  'America/Guadeloupe': 'en Guadeloupe',
  'America/St_Barthelemy': 'à Saint-Barthélemy',
  'America/Marigot': 'à Saint-Martin',
  'America/Cayenne': 'en Guyane',
  'America/Miquelon': 'à Saint-Pierre-et-Miquelon',
  'Indian/Reunion': 'à La Réunion',
  'Indian/Mayotte': 'à Mayotte',
  'Indian/Kerguelen': 'dans les Terres australes et antarctiques françaises',
  'Pacific/Noumea': 'en Nouvelle-Calédonie',
  'Pacific/Tahiti': 'en Polynésie française',
  'Pacific/Marquesas': 'aux Marquises (Polynésie française)',
  'Pacific/Gambier': 'aux Gambier (Polynésie française)',
  'Pacific/Wallis': 'à Wallis-et-Futuna',
};

/** The French place of an overseas zone ("en Martinique"), or null. */
export function overseasPlace(timeZone: string): string | null {
  return Object.prototype.hasOwnProperty.call(OVERSEAS_PLACES, timeZone) ? OVERSEAS_PLACES[timeZone]! : null;
}

/**
 * The zone's name as Intl says it in French ("heure de l'Est nord-américain"), when it reads
 * as words: names made of offsets ("UTC+03:00") or of a bare country code are left out.
 */
export function readableZoneName(timeZone: string, at: Date = new Date()): string | null {
  try {
    const name = new Intl.DateTimeFormat('fr-FR', { timeZone, timeZoneName: 'longGeneric' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value;
    return name && /^heure [^:\d+]+$/.test(name) ? name.replace(/’/g, "'") : null;
  } catch {
    return null;
  }
}

/**
 * The start of the sentence giving the deadline in the computer's own time:
 * "Chez vous, en Martinique", "À l'heure de votre ordinateur (heure du Japon)", or
 * "À l'heure de votre ordinateur".
 */
export function localTimeLead(timeZone: string, at: Date = new Date()): string {
  const place = overseasPlace(timeZone);
  if (place) return `Chez vous, ${place}`;
  const name = readableZoneName(timeZone, at);
  return name ? `À l'heure de votre ordinateur (${name})` : "À l'heure de votre ordinateur";
}

/**
 * The name of the campaign's own time, said after a deadline or a closing time: "heure de
 * Paris" for the usual case, the place for a centre overseas ("heure locale à La Réunion"),
 * Intl's readable name otherwise. Screens never write "heure de Paris" themselves.
 */
export function campaignTimeName(timeZone: string, at: Date = new Date()): string {
  if (timeZone === 'Europe/Paris') return 'heure de Paris';
  const place = overseasPlace(timeZone);
  if (place) return `heure locale ${place}`;
  return readableZoneName(timeZone, at) ?? 'heure du centre de gestion';
}
