import { authenticate, getMyAccount } from './accounts';
import { ApiError } from './api-error';
import { getChunk, listChunks, postChunk } from './chunks';
import type { ApiCtx, Ctx, Reply } from './context';
import { download } from './downloads';
import { createImage } from './image-upload';
import { deleteImage, getImage, listImages } from './images';
import { createJob, deleteJob, getJob, listJobs, updateJob } from './jobs';

type Handler = (ctx: Ctx) => Promise<Reply>;

interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

const api =
  (handler: (ctx: ApiCtx) => Promise<Reply>): Handler =>
  (ctx) =>
    handler(authenticate(ctx));

const SEG = '([^/]+)';
const JOBS = '/v3/firmware-images/upload-jobs';

// Paths are matched without a trailing slash. Order matters: "upload-jobs" is not an image id.
const routes: Route[] = [
  { pattern: /^\/v3\/accounts\/me$/, methods: { GET: api(getMyAccount) } },
  { pattern: /^\/v3\/firmware-images$/, methods: { GET: api(listImages), POST: api(createImage) } },
  { pattern: new RegExp(`^${JOBS}$`), methods: { GET: api(listJobs), POST: api(createJob) } },
  {
    pattern: new RegExp(`^${JOBS}/${SEG}$`),
    methods: { GET: api(getJob), PUT: api(updateJob), DELETE: api(deleteJob) },
  },
  {
    pattern: new RegExp(`^${JOBS}/${SEG}/chunks$`),
    methods: { GET: api(listChunks), POST: api(postChunk) },
  },
  { pattern: new RegExp(`^${JOBS}/${SEG}/chunks/${SEG}$`), methods: { GET: api(getChunk) } },
  {
    pattern: new RegExp(`^/v3/firmware-images/${SEG}$`),
    methods: { GET: api(getImage), DELETE: api(deleteImage) },
  },
  { pattern: new RegExp(`^/downloads/${SEG}/${SEG}$`), methods: { GET: download, HEAD: download } },
];

/** Finds the handler for a request and fills `ctx.params`; 404 or 405 otherwise. */
export function route(ctx: Ctx): Handler {
  for (const r of routes) {
    const m = r.pattern.exec(ctx.path);
    if (!m) continue;
    const handler = r.methods[ctx.method];
    if (!handler) {
      throw new ApiError(405, `${ctx.method} is not supported on ${ctx.path}.`, {
        headers: { Allow: Object.keys(r.methods).join(', ') },
      });
    }
    try {
      ctx.params = m.slice(1).map((s) => decodeURIComponent(s));
    } catch {
      break; // a malformed %-escape names nothing
    }
    return handler;
  }
  throw new ApiError(404, `There is no resource at ${ctx.path}.`);
}

export function isChunkPost(method: string, path: string): boolean {
  return method === 'POST' && /^\/v3\/firmware-images\/upload-jobs\/[^/]+\/chunks$/.test(path);
}
