import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { BASE_HEADERS } from './http-util';

/**
 * The same policy as the meta tag in src-renderer/index.html, plus frame-ancestors, which only
 * works as a header.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CONTENT_TYPES: Record<string, string> = {
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

/** The page learns its token from a meta tag: no inline script, so the CSP stays strict. */
export function injectToken(html: string, token: string): string {
  const meta = `<meta name="firmdrop-token" content="${token}" />`;
  return html.includes('</head>') ? html.replace('</head>', `    ${meta}\n  </head>`) : meta + html;
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
  token: string;
  /** Whether the request carried a valid token; the page itself is only served to those that do. */
  hasValidToken: (req: IncomingMessage, url: URL) => boolean;
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
    // The page carries the token, so only someone who already holds it may load it.
    if (!opts.hasValidToken(req, url)) {
      sendPlain(res, 401, 'Open the address that "firmdrop web" printed: it carries the key.');
      return;
    }
    const source = await readFile(full, 'utf8').catch(() => null);
    if (source === null) {
      sendPlain(res, 404, 'The renderer is not built yet: run "npm run build", then reload.');
      return;
    }
    const html = injectToken(source, opts.token);
    res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': CONTENT_TYPES['.html'] });
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
