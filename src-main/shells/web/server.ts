import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { checkHostAndOrigin } from './guard';
import type { Verdict } from './guard';
import { sendError } from './http-util';
import { handleInvoke } from './invoke';
import type { InvokeOptions } from './invoke';
import type { Sessions } from './session';
import type { EventHub } from './sse';
import type { StageHandler } from './staging';
import { serveStatic } from './static';

export interface RouterOptions {
  sessions: Sessions;
  rendererDir: string;
  stage: StageHandler;
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
      admit: (r, u) => opts.sessions.admit(r, u, opts.port()),
    });
    return;
  }
  // Never the query: a token there would end up in logs and history. The page uses its cookie.
  const access = opts.sessions.authorize(req, opts.port());
  if (!access.ok) {
    refuse(res, access);
    return;
  }
  if (url.pathname === '/api/events' && req.method === 'GET') {
    // A stream outlives its session's idle limit only until its next heartbeat.
    const { session } = access;
    opts.events.handle(req, res, session ? () => opts.sessions.alive(session) : () => true);
  } else if (url.pathname.startsWith('/api/invoke/')) {
    const name = safeDecode(url.pathname.slice('/api/invoke/'.length));
    await handleInvoke(req, res, name, opts.invoke);
  } else if (url.pathname === '/api/stage' && (req.method === 'PUT' || req.method === 'POST')) {
    await opts.stage(req, res, url);
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
