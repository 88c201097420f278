import type * as v from 'valibot';
import type { HttpMethod } from './errors';
import type { DmRequest, Transport } from './http';
import { withRetry, type RetryEvent, type RetryPolicy } from './retry';
import { parseResponse } from './schemas';

/** Options every endpoint function accepts. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface CallerOptions {
  policy: RetryPolicy;
  onRetry?: (event: RetryEvent) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** What endpoint modules use: send a request (retrying where that is safe) and check the answer. */
export interface Caller {
  readonly host: string;
  json<S extends v.GenericSchema<unknown, unknown>>(
    req: DmRequest,
    schema: S,
  ): Promise<v.InferOutput<S>>;
  empty(req: DmRequest): Promise<void>;
}

// RFC 9110 idempotent methods; POST (create, append chunk) is never repeated by the client.
const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);

export function createCaller(transport: Transport, opts: CallerOptions): Caller {
  const send = (req: DmRequest) =>
    IDEMPOTENT.has(req.method)
      ? withRetry(() => transport.send(req), {
          method: req.method,
          signal: req.signal,
          policy: opts.policy,
          sleep: opts.sleep,
          random: opts.random,
          onRetry: opts.onRetry,
        })
      : transport.send(req);

  return {
    host: transport.host,
    async json(req, schema) {
      const res = await send(req);
      return parseResponse(schema, res.data, `${req.method} ${req.path}`, transport.host);
    },
    async empty(req) {
      await send(req);
    },
  };
}
