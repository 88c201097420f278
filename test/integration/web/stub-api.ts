import { CHANNELS } from '../../../src-main/app/contract';
import type { FirmdropApi } from '../../../src-main/app/contract';

/**
 * A transport test needs a service, not the real one: every channel answers "not stubbed" unless
 * the test gives it a body.
 */
export function stubApi(overrides: Partial<FirmdropApi>): FirmdropApi {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const channel of CHANNELS) {
    api[channel] = async () => ({
      ok: false,
      error: { code: 'internal', message: `${channel} is not stubbed` },
    });
  }
  Object.assign(api, overrides);
  return api as unknown as FirmdropApi;
}
