import { FirmdropError } from '../../../src-main/core/errors';

/** Runs fn and returns the FirmdropError it throws; fails the test if it returns or throws anything else. */
export function catchFirmdropError(fn: () => unknown): FirmdropError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FirmdropError) return err;
    throw new Error(`expected a FirmdropError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a FirmdropError, but nothing was thrown');
}
