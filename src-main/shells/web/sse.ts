import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVENTS } from '../../app/contract';
import type { EventName, FirmdropEvents } from '../../app/contract';
import { BASE_HEADERS } from './http-util';

type Listener<E extends EventName> = (payload: FirmdropEvents[E]) => void;

/**
 * Where the shell hears the service's events: either `on` returns an unsubscribe function, or the
 * object is EventEmitter-like and has `off`/`removeListener`.
 */
export interface EventSourceLike {
  on<E extends EventName>(name: E, listener: Listener<E>): unknown;
  off?<E extends EventName>(name: E, listener: Listener<E>): unknown;
  removeListener?<E extends EventName>(name: E, listener: Listener<E>): unknown;
}

function subscribe<E extends EventName>(
  source: EventSourceLike,
  name: E,
  listener: Listener<E>,
): () => void {
  const handle = source.on(name, listener);
  if (typeof handle === 'function') return handle as () => void;
  return () => {
    if (source.off) source.off(name, listener);
    else source.removeListener?.(name, listener);
  };
}

const HEARTBEAT_MS = 15_000;

export interface EventHub {
  /** GET /api/events: one Server-Sent Events stream carrying every FirmdropEvents event. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  closeAll(): void;
}

export function createEventHub(source: EventSourceLike): EventHub {
  const open = new Set<ServerResponse>();

  function handle(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
    });
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    // retry: how soon EventSource reconnects after the shell restarts or the link blips.
    res.write('retry: 2000\n: connected\n\n');
    const unsubscribers = EVENTS.map((name) =>
      subscribe(source, name, (payload: unknown) => {
        res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    open.add(res);
    res.on('close', () => {
      clearInterval(heartbeat);
      for (const off of unsubscribers) off();
      open.delete(res);
    });
  }

  return {
    handle,
    closeAll() {
      for (const res of open) res.end();
    },
  };
}
