import type { Account } from '../store';
import type { HostOutage as EngineOutage } from '../upload/host-watch';
import type { HostOutage, NetworkState } from './contract';

/**
 * The engine's outages in the contract's words: hosts by name, with the accounts that live on
 * them, so the banner can say "api.eu-west-1.mbedcloud.com (EU production) does not answer".
 */
export function networkState(outages: EngineOutage[], accounts: Account[]): NetworkState {
  const list: HostOutage[] = outages.map((o) => ({
    host: o.host,
    accounts: accounts.filter((a) => hostOf(a.baseUrl) === o.host).map((a) => a.name),
    reason: o.reason,
    nextTryAt: o.nextTryAt === null ? null : new Date(o.nextTryAt).toISOString(),
    uploads: o.uploadIds.length,
  }));
  return { online: list.length === 0, outages: list };
}

function hostOf(baseUrl: string): string | null {
  try {
    return new URL(baseUrl).host;
  } catch {
    return null;
  }
}
