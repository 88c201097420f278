import { controlLayer, newControl } from './control';
import { openSandbox } from './open';
import type { Sandbox, SandboxOptions } from './types';

export type {
  FaultKind,
  FaultMatcher,
  FaultSpec,
  Sandbox,
  ArrivalCount,
  SandboxAccountSpec,
  SandboxFaults,
  SandboxOptions,
  SandboxService,
  SandboxRequestRecord,
  SandboxStats,
  ServiceOptions,
  LinkStats,
  TlsVersion,
} from './types';
export {
  handshakeRoundTrips,
  requestLowerBoundMs,
  windowCapBytes,
  INITIAL_WINDOW_BYTES,
} from './link-model';

/**
 * Starts a local copy of the Device Management firmware-image API on 127.0.0.1 with its control
 * layer opted in: the admin endpoints under /__sandbox/ (./admin.ts), fault injection and the
 * link model (round trip, handshakes, slow start, rate; ./link-shaper.ts). For tests, benchmarks and `firmdrop sandbox`; the desktop app embeds
 * the service alone (./service.ts). See README ("The sandbox").
 */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const control = newControl({
    latencyMs: opts.latencyMs ?? 0,
    bandwidth: opts.bandwidthBytesPerSec ?? null,
  });
  const { service, state } = await openSandbox(opts, ({ state, closing }) => ({
    layer: controlLayer(control, state, closing),
    link: () => ({ rttMs: control.faults.latencyMs, rateBytesPerSec: control.faults.bandwidth }),
    faultsFired: control.faults.fired,
  }));
  return {
    ...service,
    adminToken: control.adminToken,
    faults: control.faults,
    when: (count, atLeast) => state.arrivals[count].whenAt(atLeast),
    requests: () => state.log.list(),
    clearRequests: () => state.log.clear(),
  };
}
