import { FirmdropError } from '../../../src-main/core/errors';

/** The FirmdropError `fn` throws (sync or async); fails the test on anything else. */
export async function caught(fn: () => unknown): Promise<FirmdropError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof FirmdropError) return err;
    throw new Error(`expected a FirmdropError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a FirmdropError, but nothing was thrown');
}
