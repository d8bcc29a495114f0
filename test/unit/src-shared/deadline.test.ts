import { describe, expect, it } from 'vitest';
import { deadlineOf, formatDeadline, formatParisTimestamp, isBeforeDeadline } from '../../../src-shared/deadline';
import { AppError } from '../../../src-shared/errors';

describe('deadline', () => {
  it('closes a winter date at midnight Paris time (UTC+1)', () => {
    expect(deadlineOf({ closesOn: '2027-01-15', timeZone: 'Europe/Paris' }).toISOString()).toBe('2027-01-15T23:00:00.000Z');
  });

  it('closes a summer date at midnight Paris time (UTC+2)', () => {
    expect(deadlineOf({ closesOn: '2027-04-27', timeZone: 'Europe/Paris' }).toISOString()).toBe('2027-04-27T22:00:00.000Z');
  });

  it('handles the day the clocks go forward', () => {
    // 28 March 2027: 02:00 becomes 03:00; the day still ends at midnight local (22:00 UTC).
    expect(deadlineOf({ closesOn: '2027-03-28', timeZone: 'Europe/Paris' }).toISOString()).toBe('2027-03-28T22:00:00.000Z');
  });

  it('honours another zone, for overseas campaigns', () => {
    expect(deadlineOf({ closesOn: '2027-04-27', timeZone: 'America/Cayenne' }).toISOString()).toBe('2027-04-28T03:00:00.000Z');
  });

  it('takes an exact instant with its offset', () => {
    expect(deadlineOf({ closesAt: '2027-04-27T12:00:00+02:00', timeZone: 'Europe/Paris' }).toISOString()).toBe(
      '2027-04-27T10:00:00.000Z',
    );
  });

  it.each([
    [{ closesAt: '2027-04-27T12:00:00', timeZone: 'Europe/Paris' }],
    [{ closesOn: '2027-02-30', timeZone: 'Europe/Paris' }],
    [{ closesOn: '2027-04-27', timeZone: 'Mars/Olympus' }],
    [{ timeZone: 'Europe/Paris' }],
  ])('refuses %j with validation_failed', (spec) => {
    expect(() => deadlineOf(spec)).toThrow(AppError);
    try {
      deadlineOf(spec);
    } catch (error) {
      expect((error as AppError).code).toBe('validation_failed');
    }
  });

  it('is open strictly before the instant', () => {
    const closesAt = new Date('2027-04-27T22:00:00.000Z');
    expect(isBeforeDeadline(new Date(closesAt.getTime() - 1), closesAt)).toBe(true);
    expect(isBeforeDeadline(closesAt, closesAt)).toBe(false);
  });

  it('words the deadline and timestamps in French, Paris time', () => {
    expect(formatDeadline(new Date('2027-04-27T22:00:00.000Z'), 'Europe/Paris')).toBe('mardi 27 avril 2027 à 23 h 59');
    expect(formatParisTimestamp(new Date('2027-01-15T22:59:58.000Z'))).toBe('15/01/2027 23:59:58');
  });
});
