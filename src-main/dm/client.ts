import { FirmdropError } from '../core/errors';
import { accountApi, type AccountApi } from './account';
import { createCaller } from './call';
import { chunksApi, type ChunksApi } from './chunks';
import { createTransport, type DmLogger } from './http';
import { imagesApi, type ImagesApi } from './images';
import { uploadJobsApi, type UploadJobsApi } from './jobs';
import { paginate } from './paginate';
import type { ProxyChoice, ProxyEnv } from './proxy';
import { DEFAULT_RETRY_POLICY, type RetryEvent, type RetryPolicy } from './retry';

export interface DmClientOptions {
  /** e.g. https://api.eu-west-1.mbedcloud.com, or the local sandbox's URL. */
  baseUrl: string;
  apiKey: string;
  /** Per-request deadline, also the headers/body idle timeouts. Default 30 s. */
  timeoutMs?: number;
  /**
   * Keep-alive connections to the host. Default 16: the engine runs up to 16 small files at once
   * (upload/slots.ts), each on its own connection; a job's chunks go one at a time anyway.
   */
  connections?: number;
  /**
   * Explicit proxy (wins over HTTPS_PROXY/HTTP_PROXY, applies to loopback too); null = none.
   * Only https:// base URLs use a proxy: an http:// one always goes direct (see proxy.ts).
   */
  proxyUrl?: string | null;
  /** Extra trusted CA certificate(s), PEM, e.g. for a TLS-inspecting corporate proxy. */
  extraCaPem?: string;
  userAgent?: string;
  logger?: DmLogger;
  /** Retry of idempotent requests (GET, PUT, DELETE); POSTs are never retried by the client. */
  retry?: Partial<RetryPolicy>;
  onRetry?: (event: RetryEvent) => void;
  /** Uploads get timeoutMs + length / this rate as their deadline. Default 16 KiB/s. */
  minUploadBytesPerSecond?: number;
  /**
   * Leave each GET's answer for the next client of this process that sends the same request
   * with the same key (dm/early-answers.ts): look-ups sent ahead of the step that needs them.
   */
  shareGets?: boolean;
  /** Where proxy variables are read from. Default process.env. */
  env?: ProxyEnv;
  /** For tests: the sleep between retries and the jitter source. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface DmClient extends AccountApi, ImagesApi, UploadJobsApi, ChunksApi {
  /** The API host, as shown in messages ("api.eu-west-1.mbedcloud.com"). */
  readonly host: string;
  /** The proxy in use, if any (its URL may hold credentials: do not show it unredacted). */
  readonly proxy: ProxyChoice | null;
  paginate: typeof paginate;
  /**
   * Opens `count` connections to the host now, so requests about to go out together find their
   * TCP and TLS handshakes done (no-op through a proxy). Unused ones close after a few seconds.
   */
  warmUp(count: number): void;
  /**
   * The link's round trip as the recent requests without a body to this host, by any client of
   * this process, measured it (the shortest of the last few, handshakes taken out), in ms; null
   * before the first answer. See dm/round-trips.ts.
   */
  roundTripMs(): number | null;
  /**
   * Releases its keep-alive connections: closed (in-flight requests fail) unless another client
   * of this process shares them (see dm/dispatcher.ts).
   */
  close(): Promise<void>;
}

export function createDmClient(options: DmClientOptions): DmClient {
  const key = options.apiKey.trim();
  if (key === '' || /[\r\n\0]/.test(key)) {
    // Never echo the key: it is the one thing this message must not contain.
    throw new FirmdropError(
      'invalid-input',
      'The API key is empty or contains line breaks. Paste the key again.',
    );
  }
  const transport = createTransport({
    baseUrl: options.baseUrl,
    apiKey: key,
    timeoutMs: options.timeoutMs ?? 30_000,
    connections: options.connections ?? 16,
    minUploadBytesPerSecond: options.minUploadBytesPerSecond ?? 16 * 1024,
    proxyUrl: options.proxyUrl,
    env: options.env ?? process.env,
    extraCaPem: options.extraCaPem,
    userAgent: options.userAgent ?? `Firmdrop (Node.js ${process.versions.node})`,
    logger: options.logger,
    shareGets: options.shareGets,
  });
  const call = createCaller(transport, {
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    onRetry: options.onRetry,
    sleep: options.sleep,
    random: options.random,
  });
  return {
    host: transport.host,
    proxy: transport.proxy,
    ...accountApi(call),
    ...imagesApi(call),
    ...uploadJobsApi(call),
    ...chunksApi(call),
    paginate,
    warmUp: (count) => transport.warmUp(count),
    roundTripMs: () => transport.roundTripMs(),
    close: () => transport.close(),
  };
}
