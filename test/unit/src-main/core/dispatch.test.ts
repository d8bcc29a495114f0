import { describe, expect, it } from 'vitest';
import type { AssistantImpl } from '../../../../src-shared/assistant-api';
import { AppError } from '../../../../src-shared/errors';
import { createDispatch } from '../../../../src-main/core/dispatch';

function implWith(partial: Partial<AssistantImpl>): AssistantImpl {
  return new Proxy(partial as AssistantImpl, {
    get: (target, key) => (target as Record<string | symbol, unknown>)[key] ?? (async () => 'unexpected call'),
  });
}

// The French sentences are written out in full, not read from src-shared/errors.ts: a wrong
// entry there must fail here.
const VALIDATION_FAILED = 'La demande est incomplète ou mal formée. Réessayez ; si le problème continue, contactez le centre de gestion.';
const DEADLINE_PASSED = 'La date limite est dépassée : le dossier ne peut plus être modifié ni clôturé.';
const INTERNAL_ERROR = "Une erreur inattendue s'est produite. Réessayez dans un instant ; rien de ce qui a été enregistré n'est perdu.";

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
    expect(result).toEqual({ ok: false, error: { code: 'validation_failed', message: VALIDATION_FAILED } });
    expect(called).toBe(false);
  });

  it('keeps the code and French message of an AppError', async () => {
    const dispatch = createDispatch(implWith({ getDossier: async () => { throw new AppError('deadline_passed'); } }));
    expect(await dispatch('getDossier', {})).toEqual({
      ok: false,
      error: { code: 'deadline_passed', message: DEADLINE_PASSED },
    });
  });

  it('hides the text of unexpected errors and reports them', async () => {
    const seen: unknown[] = [];
    const dispatch = createDispatch(
      implWith({ getDossier: async () => { throw new Error('secret path /home/x'); } }),
      (_m, e) => seen.push(e),
    );
    const result = await dispatch('getDossier', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal_error', message: INTERNAL_ERROR } });
    expect(seen).toHaveLength(1);
  });
});
