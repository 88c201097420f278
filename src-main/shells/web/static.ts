import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { BASE_HEADERS } from './http-util';
import type { Admission } from './session';

/**
 * The same policy as the meta tag in src-renderer/index.html, plus frame-ancestors, which only
 * works as a header.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The renderer bundle's file types; the Electron shell's app:// handler serves the same files. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const PAGE_HEADERS = {
  ...BASE_HEADERS,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Tells the renderer it was served by the web shell (so it talks HTTP to it). Not a secret: the
 * page authenticates with its HttpOnly session cookie, so no script can read what grants access.
 */
export const WEB_SHELL_MARK = '<meta name="firmdrop-shell" content="web" />';

export function markWebShell(html: string): string {
  return html.includes('</head>')
    ? html.replace('</head>', `    ${WEB_SHELL_MARK}\n  </head>`)
    : WEB_SHELL_MARK + html;
}

/** Maps a URL path inside rendererDir, or null when it would leave it. */
export function safeStaticPath(rendererDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split(/[\\/]/).includes('..')) return null;
  const root = resolve(rendererDir);
  const full = resolve(join(root, decoded));
  return full === root || full.startsWith(root + sep) ? full : null;
}

function sendPlain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

export interface StaticOptions {
  rendererDir: string;
  /** Whether the page may be served (the token in its URL, or a live session), and the cookie to set. */
  admit: (req: IncomingMessage, url: URL) => Admission;
}

export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: StaticOptions,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendPlain(res, 405, 'Method not allowed.');
    return;
  }
  const pathname = url.pathname === '/' ? '/index.html' : url.pathname;
  const full = safeStaticPath(opts.rendererDir, pathname);
  if (!full) {
    sendPlain(res, 403, 'That path is outside Firmdrop.');
    return;
  }
  if (pathname === '/index.html') {
    // The page opens a session, so only someone who holds the token (or a session) may load it.
    const admission = opts.admit(req, url);
    if (!admission.ok) {
      sendPlain(res, admission.status, admission.message);
      return;
    }
    const source = await readFile(full, 'utf8').catch(() => null);
    if (source === null) {
      sendPlain(res, 404, 'The renderer is not built yet: run "npm run build", then reload.');
      return;
    }
    const html = markWebShell(source);
    res.writeHead(200, {
      ...PAGE_HEADERS,
      'Content-Type': CONTENT_TYPES['.html'],
      ...(admission.setCookie ? { 'Set-Cookie': admission.setCookie } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : html);
    return;
  }
  const file = await existingFileInside(opts.rendererDir, full);
  if (!file) {
    sendPlain(res, 404, 'Not found.');
    return;
  }
  res.writeHead(200, {
    ...PAGE_HEADERS,
    'Content-Type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': file.size,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** A regular file whose real path (after symlinks) is still inside rendererDir. */
async function existingFileInside(
  rendererDir: string,
  full: string,
): Promise<{ path: string; size: number } | null> {
  try {
    const [root, real] = await Promise.all([realpath(rendererDir), realpath(full)]);
    if (!real.startsWith(root + sep)) return null;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : null;
  } catch {
    return null;
  }
}
