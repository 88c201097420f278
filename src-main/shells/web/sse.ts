import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVENTS } from '../../app/contract';
import type { EventFeed } from '../../app/event-hub';
import { DisposableStore, toDisposable } from '../../core/event';
import { BASE_HEADERS } from './http-util';

const HEARTBEAT_MS = 15_000;

export interface EventHub {
  /**
   * GET /api/events: one Server-Sent Events stream carrying every FirmdropEvents event, ended at
   * a heartbeat once `stillAllowed` says no (its session expired).
   */
  handle(req: IncomingMessage, res: ServerResponse, stillAllowed?: () => boolean): void;
  closeAll(): void;
}

export function createEventHub(source: EventFeed, opts: { heartbeatMs?: number } = {}): EventHub {
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
  const open = new Set<ServerResponse>();

  function handle(
    req: IncomingMessage,
    res: ServerResponse,
    stillAllowed: () => boolean = () => true,
  ): void {
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
    });
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    // retry: how soon EventSource reconnects after the shell restarts or the link blips.
    res.write('retry: 2000\n: connected\n\n');
    // Everything this connection holds, released together when the client goes away.
    const connection = new DisposableStore();
    for (const name of EVENTS) {
      connection.add(
        source.on(name, (payload: unknown) => {
          res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
        }),
      );
    }
    const heartbeat = setInterval(() => {
      if (stillAllowed()) res.write(': ping\n\n');
      else res.end(); // EventSource reconnects, and is then told to open the page again
    }, heartbeatMs);
    connection.add(toDisposable(() => clearInterval(heartbeat)));
    open.add(res);
    connection.add(toDisposable(() => open.delete(res)));
    res.on('close', () => connection.dispose());
  }

  return {
    handle,
    closeAll() {
      for (const res of open) res.end();
    },
  };
}
