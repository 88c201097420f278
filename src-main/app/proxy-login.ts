import type { ProxyCredentials } from './contract';

/**
 * A proxy URL's `user:password@` part, found textually so the rest of the URL stays exactly as
 * the user typed it (URL.toString would add a trailing slash). Like the WHATWG parser, the last
 * `@` before the path ends the user info.
 */
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray % is part of the password, not an escape
  }
}

/** The URL without its user name and password, and those (decoded), if it had any. */
export function splitProxyLogin(url: string): { url: string; login: ProxyCredentials | null } {
  const m = USER_INFO.exec(url);
  if (!m) return { url, login: null };
  const info = m[2] ?? '';
  const colon = info.indexOf(':');
  const username = decode(colon < 0 ? info : info.slice(0, colon));
  const password = colon < 0 ? '' : decode(info.slice(colon + 1));
  return {
    url: url.replace(USER_INFO, '$1'),
    login: username !== '' || password !== '' ? { username, password } : null,
  };
}

/** The URL the HTTP client needs: the proxy with its user name and password put back. */
export function joinProxyLogin(url: string, login: ProxyCredentials | null): string {
  const scheme = SCHEME.exec(url)?.[0];
  if (!login || !scheme) return url;
  const password = login.password === '' ? '' : `:${encodeURIComponent(login.password)}`;
  return `${scheme}${encodeURIComponent(login.username)}${password}@${url.slice(scheme.length)}`;
}

/** The proxy's host name, to tell whether a new URL still names the same proxy. */
export function proxyHost(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}
