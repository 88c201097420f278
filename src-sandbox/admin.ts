import { timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error';
import { readSmallBody } from './body';
import type { Ctx, Reply } from './context';
import type { Control } from './control';
import { json } from './context';
import { checkFault, type Faults } from './faults';
import type { TlsVersion } from './link-model';

/**
 * The control surface under /__sandbox/, for tests and benchmarks in other processes. Every
 * call needs `X-Sandbox-Admin: <admin token>`, so other local programs cannot script faults.
 *   GET    /__sandbox/state     settings, pending faults, stats, accounts
 *   GET    /__sandbox/requests  the request log (see request-log.ts), oldest first
 *   POST   /__sandbox/faults    a FaultSpec (path as a regex source) or an array of them → 201
 *   DELETE /__sandbox/faults    clear faults, restore the start-up latency and bandwidth → 204
 *   PUT    /__sandbox/settings  the link model: {latencyMs?: RTT in ms, bandwidthBytesPerSec?:
 *                                rate | null, tlsVersion?: "1.2" | "1.3" | null} → 200 state
 * The link model's handshake and slow start follow from the RTT (see link-shaper.ts).
 */
export async function admin(ctx: Ctx, control: Control): Promise<Reply> {
  checkToken(ctx, control.adminToken);
  const { faults } = control;
  const endpoint = `${ctx.method} ${ctx.path}`;
  switch (endpoint) {
    case 'GET /__sandbox/state':
      return json(200, adminState(ctx, faults));
    case 'GET /__sandbox/requests':
      return json(200, { requests: ctx.state.log.list() });
    case 'POST /__sandbox/faults': {
      const body = await readJson(ctx);
      const specs = (Array.isArray(body) ? body : [body]).map((f) =>
        badRequestOnThrow(() => checkFault(f)),
      );
      for (const spec of specs) faults.inject(spec);
      return json(201, { pending: faults.pending() });
    }
    case 'DELETE /__sandbox/faults':
      faults.clear();
      return { status: 204 };
    case 'PUT /__sandbox/settings': {
      const body = (await readJson(ctx)) as {
        latencyMs?: unknown;
        bandwidthBytesPerSec?: unknown;
        tlsVersion?: unknown;
      };
      badRequestOnThrow(() => {
        if (body.tlsVersion !== undefined) {
          ctx.state.setTlsVersion(body.tlsVersion as TlsVersion | null);
        }
        if (body.latencyMs !== undefined) faults.setLatency(body.latencyMs as number);
        if (body.bandwidthBytesPerSec !== undefined) {
          faults.setBandwidth(body.bandwidthBytesPerSec as number | null);
        }
      });
      return json(200, adminState(ctx, faults));
    }
    default:
      throw new ApiError(404, `There is no sandbox admin endpoint "${endpoint}".`);
  }
}

function adminState(ctx: Ctx, faults: Faults) {
  const { stats, accounts, url } = ctx.state;
  return {
    url,
    latencyMs: faults.latencyMs,
    bandwidthBytesPerSec: faults.bandwidth,
    tlsVersion: ctx.state.tlsVersion,
    pendingFaults: faults.pending(),
    stats,
    accounts: accounts.map(({ key, tier, id, name }) => ({ key, tier, id, name })),
  };
}

function checkToken(ctx: Ctx, adminToken: string): void {
  const given = ctx.req.headers['x-sandbox-admin'];
  if (typeof given !== 'string' || given === '') {
    throw new ApiError(
      401,
      'Sandbox admin calls need the "X-Sandbox-Admin: <admin token>" header.',
    );
  }
  const a = Buffer.from(given);
  const b = Buffer.from(adminToken);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiError(403, 'The sandbox admin token is wrong: use the one the sandbox printed.');
  }
}

async function readJson(ctx: Ctx): Promise<unknown> {
  const raw = (await readSmallBody(ctx.req, ctx.throttle)).toString('utf8');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ApiError(400, 'The admin request body must be JSON.');
  }
}

function badRequestOnThrow<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new ApiError(400, err instanceof Error ? err.message : String(err));
  }
}
