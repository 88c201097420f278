import { extname } from 'node:path';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, CONTENT_TYPES, safeStaticPath } from '../web/static';

/**
 * The renderer is served from app://firmdrop/ instead of file://. A file:// page gets no response
 * headers (so its CSP could only be the meta tag, which cannot say frame-ancestors) and is allowed
 * to read other file:// URLs; app:// is a secure origin of its own, answered by this handler with
 * the same Content-Security-Policy header the web shell sends, and only with files of the bundle.
 */
export const APP_SCHEME = 'app';
const APP_HOST = 'firmdrop';
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`;

const HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Must run before the app is ready (Electron's rule). standard: a real origin, so relative URLs
 * and 'self' work; secure: a secure context, like https; corsEnabled and supportFetchAPI: Vite's
 * `<script type="module" crossorigin>` and module preloads are fetched in CORS mode, which
 * Chromium refuses for a scheme not registered for it. Nothing but our own page ever loads, so
 * no other origin is there to read these files.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

export interface RendererFiles {
  /** out/renderer: the built bundle (inside app.asar when packaged). */
  rendererDir: string;
  readFile(path: string): Promise<Uint8Array>;
}

/** Answers one app:// request: a file of the bundle, with the CSP header, or a plain refusal. */
export async function serveAppRequest(
  request: Pick<Request, 'url' | 'method'>,
  files: RendererFiles,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(405, 'Method not allowed.');
  }
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return plain(404, 'Not found.');
  const pathname = url.pathname === '/' ? '/index.html' : url.pathname;
  // The same guard as the web shell: no '..', no NUL, nothing outside the bundle.
  const path = safeStaticPath(files.rendererDir, pathname);
  if (!path) return plain(403, 'That path is outside Firmdrop.');
  let body: Uint8Array;
  try {
    body = await files.readFile(path);
  } catch {
    return plain(404, 'Not found.');
  }
  const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...HEADERS, 'Content-Type': type },
  });
}

/** Serves the bundle on app:// (after ready; the scheme was registered before). */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, files: RendererFiles): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, files));
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
