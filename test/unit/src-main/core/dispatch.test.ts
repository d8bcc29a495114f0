import { describe, expect, it } from 'vitest';
import type { AssistantImpl } from '../../../../src-shared/assistant-api';
import { AppError, ERRORS } from '../../../../src-shared/errors';
import { createDispatch } from '../../../../src-main/core/dispatch';

function implWith(partial: Partial<AssistantImpl>): AssistantImpl {
  return new Proxy(partial as AssistantImpl, {
    get: (target, key) => (target as Record<string | symbol, unknown>)[key] ?? (async () => 'unexpected call'),
  });
}

describe('dispatch', () => {
  it('calls the method with its checked input and wraps the value', async () => {
    const dispatch = createDispatch(implWith({ login: async ({ dossier }) => ({ dossier }) as never }));
    expect(await dispatch('login', { dossier: 'D1', password: 'x' })).toEqual({ ok: true, value: { dossier: 'D1' } });
  });

  it.each([
    ['an unknown method', 'formatDisk', {}],
    ['a method of Object.prototype', 'toString', {}],
    ['a missing field', 'login', { dossier: 'D1' }],
    ['a wrong type', 'login', { dossier: 3, password: 'x' }],
    ['bytes as a string', 'prepareDocument', { pieceId: 'cv', files: [{ name: 'a.pdf', bytes: 'AAAA' }] }],
    ['no input at all', 'login', undefined],
  ])('answers validation_failed for %s, without calling anything', async (_name, method, input) => {
    let called = false;
    const dispatch = createDispatch(implWith({ login: async () => ((called = true), null as never) }));
    const result = await dispatch(method, input);
    expect(result).toEqual({ ok: false, error: { code: 'validation_failed', message: ERRORS.validation_failed.message } });
    expect(called).toBe(false);
  });

  it('keeps the code and French message of an AppError', async () => {
    const dispatch = createDispatch(implWith({ getDossier: async () => { throw new AppError('deadline_passed'); } }));
    expect(await dispatch('getDossier', {})).toEqual({
      ok: false,
      error: { code: 'deadline_passed', message: ERRORS.deadline_passed.message },
    });
  });

  it('hides the text of unexpected errors and reports them', async () => {
    const seen: unknown[] = [];
    const dispatch = createDispatch(
      implWith({ getDossier: async () => { throw new Error('secret path /home/x'); } }),
      (_m, e) => seen.push(e),
    );
    const result = await dispatch('getDossier', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal_error', message: ERRORS.internal_error.message } });
    expect(seen).toHaveLength(1);
  });
});
