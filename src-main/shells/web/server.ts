import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { checkHostAndOrigin, checkToken } from './guard';
import type { Verdict } from './guard';
import { sendError } from './http-util';
import { handleInvoke } from './invoke';
import type { InvokeOptions } from './invoke';
import type { EventHub } from './sse';
import { handleStage } from './staging';
import type { StagingOptions } from './staging';
import { serveStatic } from './static';

export interface RouterOptions {
  token: string;
  rendererDir: string;
  staging: Required<StagingOptions>;
  invoke: InvokeOptions;
  events: EventHub;
  /** The port actually bound; known only after listen, hence a getter. */
  port: () => number;
}

function refuse(res: ServerResponse, verdict: Exclude<Verdict, { ok: true }>): void {
  sendError(
    res,
    verdict.status,
    verdict.status === 401 ? 'unauthorized' : 'forbidden',
    verdict.message,
  );
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  opts: RouterOptions,
): Promise<void> {
  const place = checkHostAndOrigin(req, opts.port());
  if (!place.ok) {
    refuse(res, place);
    return;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!url.pathname.startsWith('/api/')) {
    await serveStatic(req, res, url, {
      rendererDir: opts.rendererDir,
      token: opts.token,
      hasValidToken: (r, u) => checkToken(r, u, opts.token, { allowQuery: true }).ok,
    });
    return;
  }
  const isEvents = url.pathname === '/api/events';
  const key = checkToken(req, url, opts.token, { allowQuery: isEvents });
  if (!key.ok) {
    refuse(res, key);
    return;
  }
  if (isEvents && req.method === 'GET') {
    opts.events.handle(req, res);
  } else if (url.pathname.startsWith('/api/invoke/')) {
    const name = safeDecode(url.pathname.slice('/api/invoke/'.length));
    await handleInvoke(req, res, name, opts.invoke);
  } else if (url.pathname === '/api/stage' && (req.method === 'PUT' || req.method === 'POST')) {
    await handleStage(req, res, url, opts.staging);
  } else {
    sendError(res, 404, 'not-found', `There is no ${req.method} ${url.pathname.slice(0, 80)}.`);
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function createShellServer(opts: RouterOptions): Server {
  const server = createServer((req, res) => {
    route(req, res, opts).catch((err: unknown) => {
      opts.invoke.log('web shell: request failed', err);
      if (!res.headersSent)
        sendError(res, 500, 'internal', 'Firmdrop could not answer that request.');
      else res.destroy();
    });
  });
  // Staging a large file over loopback may outlast Node's default 5-minute request timeout.
  server.requestTimeout = 0;
  return server;
}
