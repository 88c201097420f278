import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Server as TlsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { ApiError } from './api-error';
import { BodyAborted } from './body';
import type { Ctx, Reply, SandboxState } from './context';
import { checkHost } from './host-check';
import { errorReply, sendReply } from './http-util';
import { newId } from './ids';
import { isChunkPost, route } from './routes';

/**
 * What an opt-in layer (the admin API and fault injection, ./control.ts) adds to the service.
 * Without one the server is the service alone: every path it does not know, /__sandbox/ among
 * them, is a 404.
 */
export interface ServerLayer {
  /** Answers the requests the layer owns (null: cut the connection); undefined passes them on. */
  intercept(ctx: Ctx): Promise<Reply | null> | undefined;
  /** Serves one API request around the service's own handler, and answers it. */
  around(ctx: Ctx, res: ServerResponse, service: () => Promise<Reply | null>): Promise<void>;
}

export type AnyServer = Server | TlsServer;

/** The HTTP(S) server: host check → (layer's own paths) → link model → (layer) → route → answer. */
export function createSandboxServer(
  state: SandboxState,
  layer: ServerLayer | null,
  inFlight: Set<Promise<void>>,
  tls: SecureContextOptions | null,
): AnyServer {
  const listener: RequestListener = (req, res) => {
    const p = handle(state, layer, req, res).catch((err: unknown) => {
      process.stderr.write(
        `firmdrop sandbox: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      res.destroy();
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const server = tls === null ? createServer(listener) : createTlsServer(tls, listener);
  // A TLS connection is counted once its real handshake is done: the model's round trips are
  // charged from there (the loopback handshake itself takes a millisecond or two).
  server.on(tls === null ? 'connection' : 'secureConnection', (socket: Socket) =>
    state.link.connected(socket),
  );
  // Throttled uploads of 100 MiB may legitimately take longer than Node's 5-minute default.
  server.requestTimeout = 0;
  return server;
}

async function handle(
  state: SandboxState,
  layer: ServerLayer | null,
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
    rawPath: url.pathname,
    query: url.searchParams,
    params: [],
    requestId: newId(),
    throttle: state.link.throttleFor(req.socket),
  };
  const wrongHost = checkHost(req);
  if (wrongHost) {
    // Before anything else (admin calls, faults, stats): such a request is not for us at all.
    sendReply(res, errorReply(wrongHost, ctx.requestId), ctx.requestId, null);
    return;
  }
  const owned = layer?.intercept(ctx);
  if (owned) {
    const reply = await owned;
    if (reply) sendReply(res, reply, ctx.requestId, null);
    else res.destroy();
    return;
  }
  state.stats.requests++;
  state.arrivals.requests.add(1);
  if (isChunkPost(method, ctx.path)) state.stats.chunkPosts++;
  const logged = state.log.arrive(method, url.pathname, url.searchParams);
  try {
    await state.link.beforeRequest(req.socket);
    const service = () => runHandler(ctx, (c) => route(c)(c));
    if (layer) {
      await layer.around(ctx, res, service);
      return;
    }
    const reply = await service();
    if (reply === null)
      res.destroy(); // the client went away mid-body: there is no one to answer
    else sendReply(res, reply, ctx.requestId, state.stats);
  } finally {
    state.log.answer(logged);
  }
}

/** Runs a handler, turning its refusals into the service's error answers. */
export async function runHandler(
  ctx: Ctx,
  handler: (ctx: Ctx) => Promise<Reply>,
): Promise<Reply | null> {
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
