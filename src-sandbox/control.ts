import { admin } from './admin';
import { ApiError } from './api-error';
import { readBody } from './body';
import type { Ctx, Reply, SandboxState } from './context';
import { Faults, lagJob, type FaultPlan } from './faults';
import { errorReply, sendReply } from './http-util';
import { newSecret } from './ids';
import { runHandler, type ServerLayer } from './server';
import { pause } from './throttle';

/** The control layer's own state: what the admin API changes. */
export interface Control {
  faults: Faults;
  adminToken: string;
}

/**
 * The opt-in layer for tests, benchmarks and `firmdrop sandbox`: the admin API under
 * /__sandbox/ and, around every API request, faults → service → (delay) → answer (the link
 * model's round trip is charged before, by the server, from the rate and RTT this layer sets).
 * A `status` fault answers in place of the service after discarding the body; `reset` cuts the
 * connection after some body bytes without processing anything; `append-then-drop` processes
 * the request fully and then closes the connection instead of answering; `job-lag` answers a read
 * of a completed job as if the service had not finished settling it.
 */
export function controlLayer(
  control: Control,
  state: SandboxState,
  closing: AbortSignal,
): ServerLayer {
  const { faults } = control;
  return {
    intercept(ctx) {
      if (ctx.path !== '/__sandbox' && !ctx.path.startsWith('/__sandbox/')) return undefined;
      return runHandler(ctx, (c) => admin(c, control));
    },
    async around(ctx, res, service) {
      const plan = faults.take(ctx.method, ctx.rawPath);
      const action = plan.action;
      if (action?.kind === 'reset') {
        await resetAfter(ctx, action.afterBytes);
        return;
      }
      let reply = action?.kind === 'status' ? await injectedStatus(ctx, action) : await service();
      if (action?.kind === 'job-lag' && reply !== null && 'json' in reply && reply.status === 200) {
        reply = { ...reply, json: lagJob(reply.json, action.lag) };
      }
      if (reply === null) {
        res.destroy(); // the client went away mid-body: there is no one to answer
        return;
      }
      await pause(plan.delayMs, closing);
      if (action?.kind === 'append-then-drop') {
        ctx.req.socket.destroy();
        return;
      }
      sendReply(res, reply, ctx.requestId, state.stats);
    },
  };
}

export function newControl(baseline: { latencyMs: number; bandwidth: number | null }): Control {
  return { faults: new Faults(baseline), adminToken: newSecret() };
}

type StatusFault = Extract<NonNullable<FaultPlan['action']>, { kind: 'status' }>;

async function injectedStatus(ctx: Ctx, fault: StatusFault): Promise<Reply | null> {
  try {
    await readBody(ctx.req, { throttle: ctx.throttle }, () => undefined); // discarded
  } catch {
    return null;
  }
  const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
  const err = new ApiError(
    fault.status,
    `Injected by the sandbox: the service answered ${fault.status}.`,
    {
      headers: retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
    },
  );
  return errorReply(err, ctx.requestId);
}

/** Reads (and discards) up to `afterBytes` of the body, then resets the connection (TCP RST). */
async function resetAfter(ctx: Ctx, afterBytes: number): Promise<void> {
  const socket = ctx.req.socket;
  const reset = (): void => {
    if (!socket.destroyed) socket.resetAndDestroy();
  };
  if (afterBytes > 0) {
    await readBody(
      ctx.req,
      { throttle: ctx.throttle, onProgress: (n) => n >= afterBytes && reset() },
      () => undefined,
    ).catch(() => undefined);
  }
  reset();
}
