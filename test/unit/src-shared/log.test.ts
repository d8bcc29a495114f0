import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors';
import { createLogBook, errorFields, MASKED, parseLogLines, RECENT_KEPT, redactEntry, REMOVED } from '../../../src-shared/log';

const at = new Date('2026-12-06T21:00:00.000Z');

describe('log redaction', () => {
  it('keeps the event, its level, its time and code-like fields', () => {
    expect(redactEntry('warn', 'receipt.pdf_not_kept', { code: 'network_unavailable', attempts: 3, retried: true }, at)).toEqual({
      at: '2026-12-06T21:00:00.000Z',
      level: 'warn',
      event: 'receipt.pdf_not_kept',
      code: 'network_unavailable',
      attempts: 3,
      retried: true,
    });
  });

  it.each([
    'password',
    'token',
    'deviceToken',
    'filename',
    'fileName',
    'name',
    'firstName',
    'lastName',
    'dossier',
    'content',
    'bytes',
    'path',
    'workspaceDir',
    'email',
    'message',
    'stack',
    'apiUrl',
  ])('removes a field named %s whatever its value', (key) => {
    const entry = redactEntry('error', 'x.y', { [key]: 'abc' }, at);
    expect(entry[key]).toBe(REMOVED);
  });

  it.each([
    ['a session token', 'q3N9xZk2LmP0vR7tY1sW'],
    ['a hex digest', 'a3f1c9e07b5d2468a3f1c9e07b5d2468'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig'],
    ['a dossier number', '2027-00042'],
    ['a person', 'Léa Martin'],
    ['a file name', 'carte identité.jpg '],
    ['a path', '/home/lea/Documents/diplome.pdf'],
    ['an e-mail address', 'lea@example.fr'],
    ['a sentence', "Le fichier n'a pas pu être lu"],
  ])('masks %s given under an innocent name', (_what, value) => {
    expect(redactEntry('warn', 'x', { detail: value }, at).detail).toBe(MASKED);
  });

  it('masks objects and arrays, and refuses an event name that is not a code', () => {
    const entry = redactEntry('warn', 'Fichier de Léa', { detail: { password: 'x' } as never, list: ['a'] as never }, at);
    expect(entry).toEqual({ at: at.toISOString(), level: 'warn', event: 'invalid_event', detail: MASKED, list: MASKED });
  });

  it('cannot be made to overwrite the time, level or event', () => {
    expect(redactEntry('info', 'a', { at: 'x', level: 'error', event: 'b' }, at)).toEqual({ at: at.toISOString(), level: 'info', event: 'a' });
  });

  it('says of an error only its code and class, never its message', () => {
    expect(errorFields(new AppError('file_corrupt', 'diplome-lea.pdf est abîmé'))).toEqual({ code: 'file_corrupt' });
    const system = Object.assign(new Error("ENOENT: no such file, open '/home/lea/x.pdf'"), { code: 'ENOENT' });
    expect(errorFields(system)).toEqual({ code: 'ENOENT', errorName: 'Error' });
    expect(errorFields(new TypeError('secret'))).toEqual({ code: 'internal_error', errorName: 'TypeError' });
    expect(errorFields('a string')).toEqual({ code: 'internal_error' });
  });
});

describe('log book', () => {
  it('writes one redacted JSON object per line and keeps the last warnings and errors', () => {
    const lines: string[] = [];
    const log = createLogBook({ write: (line) => lines.push(line), now: () => at });
    log.info('app.started', { version: '0.1.0' });
    log.warn('session.logout_failed', { code: 'network_unavailable', token: 'abcdef123456' });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { at: at.toISOString(), level: 'info', event: 'app.started', version: '0.1.0' },
      { at: at.toISOString(), level: 'warn', event: 'session.logout_failed', code: 'network_unavailable', token: REMOVED },
    ]);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(log.recent().map((e) => e.event)).toEqual(['session.logout_failed']);
  });

  it(`keeps only the last ${RECENT_KEPT} warnings and errors`, () => {
    const log = createLogBook();
    for (let i = 0; i < RECENT_KEPT + 5; i++) log.error('x', { attempt: i });
    const recent = log.recent();
    expect(recent).toHaveLength(RECENT_KEPT);
    expect(recent[0]!.attempt).toBe(5);
  });

  it('reads lines back, skipping a cut line, and redacts them again', () => {
    const text = [
      JSON.stringify({ at: at.toISOString(), level: 'error', event: 'a', password: 'hunter2' }),
      '{"at":"2026-12-06T21:00:00.000Z","lev',
      JSON.stringify({ at: 'not a date', level: 'error', event: 'b' }),
    ].join('\n');
    expect(parseLogLines(text)).toEqual([{ at: at.toISOString(), level: 'error', event: 'a', password: REMOVED }]);
  });
});
