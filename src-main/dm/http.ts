import { request } from 'undici';
import { FirmdropError } from '../core/errors';
import { meteredStream, type OutgoingBody, type ProgressFn } from './body';
import { startDeadline } from './deadline';
import { shareDispatcher } from './dispatcher';
import { readAnswer } from './answer';
import { earlyKey, offerEarly, takeEarly } from './early-answers';
import { parseBaseUrl } from '../core/base-url';
import { DmApiError, type DmRequestInfo, type HttpMethod } from './errors';
import { transportError, type BodyProgress } from './network-errors';
import type { ProxyChoice, ProxyEnv } from './proxy';
import type { OperationContext } from './status-errors';

export interface DmLogger {
  debug(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  connections: number;
  /** An upload's deadline is timeoutMs + length / this rate (a stall ends it sooner). */
  minUploadBytesPerSecond: number;
  proxyUrl?: string | null;
  env: ProxyEnv;
  extraCaPem?: string;
  userAgent: string;
  logger?: DmLogger;
  /** Leave each GET's answer for the next client of this process that asks the same (see early-answers.ts). */
  shareGets?: boolean;
}

export interface DmRequest {
  method: HttpMethod;
  /** Path under the base URL, e.g. "/v3/firmware-images/". */
  path: string;
  query?: URLSearchParams;
  json?: unknown;
  body?: OutgoingBody;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  ctx: OperationContext;
}

export interface DmResponse {
  status: number;
  /** Parsed JSON body; undefined for an empty body. */
  data: unknown;
}

export interface Transport {
  readonly host: string;
  readonly proxy: ProxyChoice | null;
  send(req: DmRequest): Promise<DmResponse>;
  /** Opens `count` connections ahead of the requests about to follow (see dm/warm-sockets.ts). */
  warmUp(count: number): void;
  /** The link's round trip seen by recent requests to the host (any client), in ms; null before any. */
  roundTripMs(): number | null;
  close(): Promise<void>;
}

export function createTransport(opts: TransportOptions): Transport {
  const base = parseBaseUrl(opts.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const host = base.host;
  const secrets = [opts.apiKey];
  // Shared with every client of the host: a round trip measured by the CLI's one-question
  // client (accounts/me, the early look-ups) sizes the uploads' first chunk too.
  const shared = shareDispatcher({ ...opts, target: base });
  const { dispatcher, proxy, release, warmUp, trips } = shared;
  // The round trips a new connection's handshake takes before its first request: TCP, and TLS 1.3.
  const handshakeTrips = base.protocol === 'https:' ? 2 : 1;
  const log = opts.logger;
  if (proxy === null && base.protocol === 'http:' && opts.proxyUrl) {
    log?.warn(
      `The proxy setting is not used for ${host}: plain http:// goes direct, so the API key never crosses a proxy in clear text.`,
    );
  }

  async function send(req: DmRequest): Promise<DmResponse> {
    const url = new URL(prefix + req.path, base);
    if (req.query) url.search = req.query.toString();
    if (req.method !== 'GET' || req.body || req.json !== undefined) return sendNow(req, url);
    const key = earlyKey(opts.apiKey, url.href);
    if (opts.shareGets) {
      const answer = sendNow(req, url);
      offerEarly(key, answer);
      return answer;
    }
    const ahead = req.signal?.aborted ? null : takeEarly<DmResponse>(key);
    if (ahead) {
      try {
        return await ahead;
      } catch {
        // Asked again below, with this caller's signal and retries.
      }
    }
    return sendNow(req, url);
  }

  async function sendNow(req: DmRequest, url: URL): Promise<DmResponse> {
    const info: DmRequestInfo = { method: req.method, path: prefix + req.path, host };
    const length = req.body?.length ?? 0;
    const timeoutMs = req.body
      ? opts.timeoutMs + Math.ceil((length / opts.minUploadBytesPerSecond) * 1000)
      : opts.timeoutMs;
    const headers: Record<string, string> = {
      authorization: `Bearer ${opts.apiKey}`,
      accept: 'application/json',
      'user-agent': opts.userAgent,
      ...req.headers,
    };
    let body: string | ReturnType<typeof meteredStream>['stream'] | undefined;
    let progress: BodyProgress | null = null;
    const deadline = startDeadline(req.signal, timeoutMs);
    // An upload whose body stops being read out for timeoutMs is stalled: the service stopped
    // reading, or the link died without a reset (its overall deadline can be long for big chunks).
    // Armed at the first bytes, so time spent queued for a free connection is not a stall.
    let stall: NodeJS.Timeout | undefined;
    let stalled = false;
    const onStall = (): void => {
      stalled = true;
      deadline.expire(`Upload stalled for ${opts.timeoutMs} ms`);
    };
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    } else if (req.body && req.body.length > 0) {
      const total = req.body.length;
      const metered = meteredStream(req.body, (sent, all) => {
        if (sent >= total) clearTimeout(stall);
        else if (stall) stall.refresh();
        else stall = setTimeout(onStall, opts.timeoutMs);
        req.onProgress?.(sent, all);
      });
      body = metered.stream;
      progress = metered.progress;
      headers['content-length'] = String(total);
    }
    // A zero-length POST goes out with "content-length: 0" written by undici itself.

    const started = Date.now();
    const opened = shared.connects();
    const answered = (): void => {
      if (req.body) return;
      trips.answered(Date.now() - started, shared.connects() > opened ? handshakeTrips : 0);
    };
    let dispatched = false;
    try {
      if (deadline.signal.aborted) throw deadline.signal.reason;
      dispatched = true;
      const res = await request(url, {
        dispatcher,
        method: req.method,
        headers,
        body,
        signal: deadline.signal,
        // Once an upload's bytes are handed to the kernel they may still take a while to drain on
        // a slow link before the service can answer; our own deadline bounds that wait instead.
        headersTimeout: req.body ? timeoutMs : opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
      });
      const data = await readAnswer(res, info, req.ctx, secrets);
      const durationMs = Date.now() - started;
      answered();
      log?.debug(`${req.method} ${info.path} ${res.statusCode} ${durationMs} ms`, {
        method: req.method,
        path: info.path,
        status: res.statusCode,
        durationMs,
      });
      return { status: res.statusCode, data };
    } catch (err) {
      if (err instanceof DmApiError) {
        // An answer all the same (a 404, a 409): it measured the round trip too.
        answered();
        const level = err.status >= 500 || err.status === 429 ? 'warn' : 'debug';
        log?.[level](`${req.method} ${info.path} ${err.status} ${Date.now() - started} ms`, {
          method: req.method,
          path: info.path,
          status: err.status,
          durationMs: Date.now() - started,
        });
      }
      // Ours already (HTTP status, bad response, a file that changed while it was read).
      if (err instanceof FirmdropError) throw err;
      const failure = transportError(err, {
        req: info,
        operation: req.ctx.operation,
        abortedBy: deadline.abortedBy,
        timeoutMs: stalled ? opts.timeoutMs : timeoutMs,
        stalled,
        body: progress,
        secrets,
        viaProxy: proxy !== null,
        dispatched,
      });
      const durationMs = Date.now() - started;
      log?.warn(`${req.method} ${info.path} failed: ${failure.code} after ${durationMs} ms`, {
        method: req.method,
        path: info.path,
        code: failure.code,
        sent: failure.sent,
        durationMs,
      });
      throw failure;
    } finally {
      clearTimeout(stall);
      deadline.dispose();
      // undici hands the socket back to its pool a turn after the body ends: a request sent at
      // once (the next step of a run) would find it busy and open a new connection, paying the
      // TCP and TLS handshakes and slow start again. One turn lets it reuse the warm one.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  return {
    host,
    proxy,
    send,
    warmUp,
    roundTripMs: () => trips.estimate(),
    close: release,
  };
}
