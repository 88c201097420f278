import { FirmdropError } from '../../core/errors';
import { networkProbeDelayMs } from '../../core/next-step';
import { isNetworkError, type Account } from '../../app/command-line';
import type { CliContext } from './context';
import { printError } from './output';
import type { StopWatch } from './signals';

/**
 * The account to upload to. With FIRMDROP_API_KEY the account is asked of the service, so with
 * --wait an unreachable service is waited for here too (saying why and when it tries next);
 * without --wait it fails at once, as a script expects.
 */
export async function selectAccountWaiting(
  ctx: CliContext,
  name: string | undefined,
  o: { waitMs: number | null | undefined; stop: StopWatch; quiet: boolean },
): Promise<Account> {
  const started = Date.now();
  for (let tries = 0; ; tries++) {
    try {
      return await ctx.selectAccount(name);
    } catch (err) {
      if (o.waitMs === undefined || !isNetworkError(err) || err.code === 'cancelled') throw err;
      const delay = networkProbeDelayMs(tries);
      if (o.waitMs !== null && Date.now() + delay - started > o.waitMs) {
        // Said like the engine says it for an upload, so the bound is not mistaken for a fast failure.
        throw new FirmdropError(
          err.code,
          `${err.message} Gave up after waiting ${Math.round(o.waitMs / 1000)} s for the network; run the command again when it is back.`,
          { cause: err },
        );
      }
      if (!o.quiet) {
        printError(
          `waiting for the network: ${err.message} (next try in ${Math.ceil(delay / 1000)} s)`,
        );
      }
      await sleep(delay, o.stop.signal);
    }
  }
}

/** Waits `ms`, or rejects at once when the user stops the command. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
