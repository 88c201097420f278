import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { admin } from './admin';
import { ApiError } from './api-error';
import { BodyAborted, readBody } from './body';
import type { Ctx, Reply, SandboxState } from './context';
import { lagJob, type FaultPlan } from './faults';
import { checkHost } from './host-check';
import { errorReply, sendReply } from './http-util';
import { newId } from './ids';
import { isChunkPost, route } from './routes';
import { pause } from './throttle';

/**
 * The HTTP server. Each request goes: latency → faults → route → (delay) → answer. A `status`
 * fault answers in place of the service after discarding the body; `reset` cuts the connection
 * after some body bytes without processing anything; `append-then-drop` processes the request
 * fully and then closes the connection instead of answering; `job-lag` answers a read of a
 * completed job as if the service had not finished settling it.
 */
export function createSandboxServer(
  state: SandboxState,
  closing: AbortSignal,
  inFlight: Set<Promise<void>>,
): Server {
  const server = createServer((req, res) => {
    const p = handle(state, closing, req, res).catch((err: unknown) => {
      process.stderr.write(
        `firmdrop sandbox: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      res.destroy();
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  });
  // Throttled uploads of 100 MiB may legitimately take longer than Node's 5-minute default.
  server.requestTimeout = 0;
  return server;
}

async function handle(
  state: SandboxState,
  closing: AbortSignal,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const ctx: Ctx = {
    state,
    req,
    method,
    path: url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname,
    query: url.searchParams,
    params: [],
    requestId: newId(),
  };
  const wrongHost = checkHost(req);
  if (wrongHost) {
    // Before anything else (admin calls, faults, stats): such a request is not for us at all.
    sendReply(res, errorReply(wrongHost, ctx.requestId), ctx.requestId, null);
    return;
  }
  if (ctx.path === '/__sandbox' || ctx.path.startsWith('/__sandbox/')) {
    const reply = await run(ctx, admin);
    if (reply) sendReply(res, reply, ctx.requestId, null);
    else res.destroy();
    return;
  }
  state.stats.requests++;
  if (isChunkPost(method, ctx.path)) state.stats.chunkPosts++;
  const logged = state.log.arrive(method, url.pathname, url.searchParams);
  try {
    await answerApi(state, closing, ctx, url.pathname, res);
  } finally {
    state.log.answer(logged);
  }
}

async function answerApi(
  state: SandboxState,
  closing: AbortSignal,
  ctx: Ctx,
  pathname: string,
  res: ServerResponse,
): Promise<void> {
  const { method, req } = ctx;
  await pause(state.faults.latencyMs, closing);
  const plan = state.faults.take(method, pathname);
  const action = plan.action;
  if (action?.kind === 'reset') {
    await resetAfter(ctx, action.afterBytes);
    return;
  }
  let reply =
    action?.kind === 'status'
      ? await injectedStatus(ctx, action)
      : await run(ctx, (c) => route(c)(c));
  if (action?.kind === 'job-lag' && reply !== null && 'json' in reply && reply.status === 200) {
    reply = { ...reply, json: lagJob(reply.json, action.lag) };
  }
  if (reply === null) {
    res.destroy(); // the client went away mid-body: there is no one to answer
    return;
  }
  await pause(plan.delayMs, closing);
  if (action?.kind === 'append-then-drop') {
    req.socket.destroy();
    return;
  }
  sendReply(res, reply, ctx.requestId, state.stats);
}

async function run(ctx: Ctx, handler: (ctx: Ctx) => Promise<Reply>): Promise<Reply | null> {
  try {
    return await handler(ctx);
  } catch (err) {
    if (err instanceof BodyAborted) return null;
    if (err instanceof ApiError) return errorReply(err, ctx.requestId);
    process.stderr.write(
      `firmdrop sandbox: ${ctx.method} ${ctx.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return errorReply(
      new ApiError(500, 'The sandbox failed unexpectedly; see its standard error.'),
      ctx.requestId,
    );
  }
}

type StatusFault = Extract<NonNullable<FaultPlan['action']>, { kind: 'status' }>;

async function injectedStatus(ctx: Ctx, fault: StatusFault): Promise<Reply | null> {
  try {
    await readBody(ctx.req, { throttle: ctx.state.bucket }, () => undefined); // discarded
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
      { throttle: ctx.state.bucket, onProgress: (n) => n >= afterBytes && reset() },
      () => undefined,
    ).catch(() => undefined);
  }
  reset();
}
