import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { FirmdropError } from '../core/errors';
import { resolveProxy, type ProxyChoice, type ProxyEnv } from './proxy';
import { redactUrlCredentials } from './redact';

export interface DispatcherOptions {
  target: URL;
  connections: number;
  timeoutMs: number;
  proxyUrl?: string | null;
  env: ProxyEnv;
  extraCaPem?: string;
}

/**
 * The CA list, when the account adds its own CA (e.g. a TLS-inspecting corporate proxy). Passing
 * `ca` replaces Node's default store, so the bundled roots and NODE_EXTRA_CA_CERTS (which Node
 * would otherwise have added by itself) are included explicitly.
 */
export function caList(extraCaPem: string | undefined, env: ProxyEnv): string[] | undefined {
  if (extraCaPem === undefined || extraCaPem.trim() === '') return undefined;
  const list = [...rootCertificates];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      list.push(readFileSync(extraFile, 'utf8'));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; do the same by ignoring it.
    }
  }
  list.push(extraCaPem);
  return list;
}

function checkProxyUrl(choice: ProxyChoice): void {
  let url: URL;
  try {
    url = new URL(choice.url);
  } catch {
    throw new FirmdropError(
      'invalid-input',
      `The proxy URL "${redactUrlCredentials(choice.url)}" (from ${choice.source === 'env' ? 'HTTPS_PROXY/HTTP_PROXY' : 'the account settings'}) is not a valid URL. Use http://host:port.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FirmdropError(
      'invalid-input',
      `The proxy URL must start with http:// or https://, not ${url.protocol}//.`,
    );
  }
}

/** One keep-alive dispatcher per client: a plain Agent, or a ProxyAgent when a proxy applies. */
export function createDispatcher(opts: DispatcherOptions): {
  dispatcher: Dispatcher;
  proxy: ProxyChoice | null;
} {
  const ca = caList(opts.extraCaPem, opts.env);
  const tls = ca ? { ca } : undefined;
  const common = {
    connections: opts.connections,
    keepAliveTimeout: 10_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connect: { ...tls, timeout: opts.timeoutMs },
  };
  const proxy = resolveProxy(opts.target, opts.proxyUrl, opts.env);
  if (proxy === null) return { dispatcher: new Agent(common), proxy };
  checkProxyUrl(proxy);
  const dispatcher = new ProxyAgent({
    ...common,
    uri: proxy.url,
    requestTls: tls,
    proxyTls: tls,
  });
  return { dispatcher, proxy };
}
