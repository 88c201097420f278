import type { FirmdropError } from '../core/errors';
import { HostWatch, type HostOutage } from './host-watch';
import type { Clock, UploadService } from './ports';

export interface WaitingRoomEvents {
  /** The upload's host answered: it goes back into the queue. */
  back(uploadId: string): void;
  /** The upload waited as long as it was allowed to. */
  gaveUp(uploadId: string, lastError: FirmdropError): void;
  /** The set of hosts that do not answer, or what waits for them, changed. */
  changed(outages: HostOutage[]): void;
}

/**
 * Where uploads wait, without a queue slot, for a host that does not answer: one HostWatch per
 * host, made when the first upload for it arrives and dropped when the last one leaves.
 */
export class WaitingRoom {
  private readonly watches = new Map<string, HostWatch>();

  constructor(
    private readonly clock: Clock,
    private readonly on: WaitingRoomEvents,
  ) {}

  /** `service` asks the host (any of its accounts will do: an answer is an answer). */
  park(uploadId: string, service: UploadService, error: FirmdropError, giveUpAt: number | null) {
    let watch = this.watches.get(service.host);
    if (!watch) {
      watch = new HostWatch(
        service.host,
        error,
        async (signal) => void (await service.getMyAccount({ signal })),
        this.clock,
        {
          back: (ids) => ids.forEach((id) => this.on.back(id)),
          gaveUp: (ids, last) => ids.forEach((id) => this.on.gaveUp(id, last)),
          changed: () => this.changed(),
        },
      );
      this.watches.set(service.host, watch);
    }
    watch.add({ uploadId, giveUpAt }, error);
  }

  /** The user paused, cancelled or said "try now". */
  leave(uploadId: string): void {
    for (const watch of this.watches.values()) watch.remove(uploadId);
  }

  /** The watch the upload waits in, or null. */
  watchOf(uploadId: string): HostWatch | null {
    for (const watch of this.watches.values()) if (watch.has(uploadId)) return watch;
    return null;
  }

  outages(): HostOutage[] {
    return [...this.watches.values()].filter((w) => w.size > 0).map((w) => w.outage());
  }

  /** Stops every watch; returns the uploads that were waiting, for the caller to settle. */
  async close(): Promise<string[]> {
    const ids = (await Promise.all([...this.watches.values()].map((w) => w.close()))).flat();
    this.watches.clear();
    return ids;
  }

  private changed(): void {
    for (const [host, watch] of this.watches) if (watch.size === 0) this.watches.delete(host);
    this.on.changed(this.outages());
  }
}
