import { describe, expect, it } from 'vitest';
import { campaignTimeName, localTimeLead, overseasPlace, readableZoneName } from '../../../src-shared/local-time';

const winter = new Date('2027-01-15T12:00:00Z');

describe('the computer\'s time zone, in words a candidate reads', () => {
  it('names the overseas departments and territories by their place, never by the IANA name', () => {
    expect(localTimeLead('America/Martinique', winter)).toBe('Chez vous, en Martinique');
    expect(localTimeLead('America/Guadeloupe', winter)).toBe('Chez vous, en Guadeloupe');
    expect(localTimeLead('America/Cayenne', winter)).toBe('Chez vous, en Guyane');
    expect(localTimeLead('Indian/Reunion', winter)).toBe('Chez vous, à La Réunion');
    expect(localTimeLead('Indian/Mayotte', winter)).toBe('Chez vous, à Mayotte');
    expect(localTimeLead('Pacific/Noumea', winter)).toBe('Chez vous, en Nouvelle-Calédonie');
    expect(localTimeLead('Pacific/Tahiti', winter)).toBe('Chez vous, en Polynésie française');
    expect(localTimeLead('America/Miquelon', winter)).toBe('Chez vous, à Saint-Pierre-et-Miquelon');
    expect(localTimeLead('Pacific/Wallis', winter)).toBe('Chez vous, à Wallis-et-Futuna');
  });

  it('knows only real zones, each with a different clock from Paris', () => {
    for (const zone of ['America/Martinique', 'Indian/Reunion', 'Pacific/Marquesas', 'America/St_Barthelemy', 'Indian/Kerguelen']) {
      expect(overseasPlace(zone)).not.toBeNull();
      const hour = (tz: string) => new Intl.DateTimeFormat('fr-FR', { timeZone: tz, hour: 'numeric', minute: 'numeric' }).format(winter);
      expect(hour(zone)).not.toBe(hour('Europe/Paris'));
    }
    expect(overseasPlace('Europe/Paris')).toBeNull();
    expect(overseasPlace('constructor')).toBeNull();
  });

  it('elsewhere, says "à l\'heure de votre ordinateur", with the zone\'s French name when it reads as words', () => {
    expect(localTimeLead('America/New_York', winter)).toMatch(/^À l'heure de votre ordinateur \(heure .*Est nord-américain\)$/);
    expect(readableZoneName('Asia/Tokyo', winter)).toMatch(/^heure .*Japon$/);
    // Offsets and codes are not names a person reads.
    expect(localTimeLead('Etc/GMT-3', winter)).toBe("À l'heure de votre ordinateur");
    expect(localTimeLead('UTC', winter)).toBe("À l'heure de votre ordinateur");
    expect(localTimeLead('Not/AZone', winter)).toBe("À l'heure de votre ordinateur");
  });
});

describe('the campaign\'s own time, named after a deadline', () => {
  it('is Paris time for the usual campaign, the place for a centre overseas, never an IANA name', () => {
    expect(campaignTimeName('Europe/Paris', winter)).toBe('heure de Paris');
    expect(campaignTimeName('Indian/Reunion', winter)).toBe('heure locale à La Réunion');
    expect(campaignTimeName('America/Martinique', winter)).toBe('heure locale en Martinique');
    expect(campaignTimeName('Etc/GMT+5', winter)).not.toMatch(/\//);
  });
});
