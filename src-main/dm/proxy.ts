/**
 * Which proxy, if any, a client uses for its base URL.
 *
 * - An http:// target never goes through a proxy, whatever the settings say: inside the proxy's
 *   tunnel plain HTTP is readable, and every request carries the API key in its Authorization
 *   header. (http:// is for the local sandbox, which is on this computer anyway.)
 * - An explicit per-account proxy URL wins over the environment, and applies to every https://
 *   target, loopback included (a deliberate setting: it also lets tests prove traffic goes through it).
 * - `null` means "no proxy, whatever the environment says".
 * - Otherwise HTTPS_PROXY, then HTTP_PROXY (lower-case first, as curl does), minus NO_PROXY
 *   matches; loopback targets are never sent to an env-derived proxy, since the local sandbox must
 *   keep working on machines with a corporate proxy configured.
 */
export interface ProxyChoice {
  url: string;
  source: 'explicit' | 'env';
}

export type ProxyEnv = Readonly<Record<string, string | undefined>>;

function envValue(env: ProxyEnv, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === '::ffff:127.0.0.1'
  );
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** NO_PROXY: comma/space separated; `*` = all; `.example.com` and `example.com` match subdomains. */
export function matchesNoProxy(target: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || defaultPort(target.protocol);
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!m) continue;
    const entryHost = (m[1] ?? '').replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    const entryPort = m[2];
    if (entryPort !== undefined && entryPort !== port) continue;
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

export function resolveProxy(
  target: URL,
  explicit: string | null | undefined,
  env: ProxyEnv,
): ProxyChoice | null {
  if (explicit === null) return null;
  if (target.protocol !== 'https:') return null;
  if (explicit !== undefined && explicit.trim() !== '') {
    return { url: explicit.trim(), source: 'explicit' };
  }
  if (isLoopbackHost(target.hostname)) return null;
  const fromEnv = envValue(env, 'https_proxy') ?? envValue(env, 'http_proxy');
  if (fromEnv === undefined) return null;
  if (matchesNoProxy(target, envValue(env, 'no_proxy'))) return null;
  return { url: fromEnv, source: 'env' };
}
