import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error';

const LOCAL_NAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost']);

/**
 * The sandbox answers only requests addressed to this computer, as the web shell does
 * (shells/web/guard.ts, 403): a web page can make a browser send requests to 127.0.0.1, and after
 * a DNS rebinding its own name is what arrives in the Host header. The port is not compared: the
 * name alone tells a rebinding apart, and relays on other local ports (the benchmarks' network
 * namespace forwarders) pass requests on with their own port in it.
 */
export function checkHost(req: IncomingMessage): ApiError | null {
  const host = req.headers.host?.toLowerCase() ?? '';
  const name = /^([^:[\]]+)(?::\d{1,5})?$/.exec(host)?.[1];
  if (name !== undefined && LOCAL_NAMES.has(name)) return null;
  return new ApiError(
    403,
    'This sandbox answers only to 127.0.0.1 and localhost: address it as http://127.0.0.1:PORT.',
    { closeConnection: true },
  );
}
