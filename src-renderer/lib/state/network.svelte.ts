import type { AccountView, HostOutage, NetworkState } from '../../../src-main/app/contract';
import { hostOf, outageLine } from '../network';
import { clock as appClock } from './clock.svelte';
import type { Clock } from './clock.svelte';

/**
 * Which API hosts do not answer, as the service last said. Offline is per host: uploads to an
 * account on a host that answers go on, so nothing here may speak of "offline" for the whole app.
 */
export class NetworkStatus {
  /** False when a host that an upload needs does not answer. */
  online = $state(true);
  outages = $state<HostOutage[]>([]);

  /** The banner's lines, with countdowns that follow the clock. */
  lines = $derived(this.outages.map((o) => outageLine(o, this.#clock.now)));
  #clock: Pick<Clock, 'now'>;

  constructor(clock: Pick<Clock, 'now'> = appClock) {
    this.#clock = clock;
  }

  set(state: NetworkState): void {
    this.online = state.online;
    this.outages = state.outages;
  }

  /** The outage of the account's host, if it has one. */
  outageOf(account: Pick<AccountView, 'baseUrl'> | undefined): HostOutage | undefined {
    const host = account ? hostOf(account.baseUrl) : null;
    return host === null ? undefined : this.outages.find((o) => o.host === host);
  }

  /** Whether some account is on a host that answers (so the banner can say those go on). */
  othersGoOn(accounts: ReadonlyArray<Pick<AccountView, 'baseUrl'>>): boolean {
    return accounts.some((a) => this.outageOf(a) === undefined);
  }
}

export const network = new NetworkStatus();
