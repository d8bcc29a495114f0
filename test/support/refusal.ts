import { expect } from 'vitest';
import { AppError } from '../../src-shared/errors';

/** The AppError `work` is refused with; the test fails if it succeeds or fails otherwise. */
export async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}
