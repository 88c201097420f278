import { afterAll, describe, expect, it } from 'vitest';
import {
  api,
  createJob,
  http,
  md5b64,
  multipartBody,
  postChunk,
  type HttpResult,
} from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { loadResponseSchemas } from './openapi-schemas';

/**
 * Every kind of answer the sandbox gives, success and error, on every operation of the published
 * excerpt (test/fixtures/update-service.openapi.yaml), validated against the excerpt's schemas
 * with ajv. Where the seed (the service's own guide) and the excerpt disagree, the seed wins; the
 * points are listed here with why. A status the excerpt does not list must be listed too, and a
 * listed status the excerpt documents but the sandbox never gives must say why.
 */

// ── Where the seed wins over the excerpt ─────────────────────────────────────────────────────
const schemas = loadResponseSchemas((defs) => {
  // 1. Pages: the excerpt types `after` as a string; the seed's list answers show `"after": None`
  //    (JSON null) on a first page. The sandbox echoes the request's `after`, null when none.
  for (const page of ['FirmwareImagePage', 'UploadJobPage', 'UploadChunkInfoPage']) {
    const props = defs[page]!.properties as Record<string, { type: unknown }>;
    props.after!.type = ['string', 'null'];
  }
  // 2. UploadJob: the excerpt names the flag `complete`; every seed example says `completed`.
  //    The sandbox sends both, so a client written against either reads it; both are booleans.
  const job = defs.UploadJob!.properties as Record<string, unknown>;
  job.completed = { type: 'boolean' };
  //    The seed names the job's states: not_started, in_progress, completed.
  job.status = { type: 'string', enum: ['not_started', 'in_progress', 'completed'] };
  // 3. UploadChunkInfo: the seed's `hash` is "the hexadecimal form of the Content-MD5".
  const chunk = defs.UploadChunkInfo!.properties as Record<string, unknown>;
  chunk.hash = { type: 'string', pattern: '^[0-9a-f]{32}$' };
});

type Op = `${'GET' | 'POST' | 'PUT' | 'DELETE'} /v3/${string}`;
const ME: Op = 'GET /v3/accounts/me';
const LIST_IMAGES: Op = 'GET /v3/firmware-images/';
const CREATE_IMAGE: Op = 'POST /v3/firmware-images/';
const GET_IMAGE: Op = 'GET /v3/firmware-images/{image_id}/';
const DELETE_IMAGE: Op = 'DELETE /v3/firmware-images/{image_id}/';
const LIST_JOBS: Op = 'GET /v3/firmware-images/upload-jobs';
const CREATE_JOB: Op = 'POST /v3/firmware-images/upload-jobs';
const GET_JOB: Op = 'GET /v3/firmware-images/upload-jobs/{upload_job_id}';
const UPDATE_JOB: Op = 'PUT /v3/firmware-images/upload-jobs/{upload_job_id}';
const DELETE_JOB: Op = 'DELETE /v3/firmware-images/upload-jobs/{upload_job_id}';
const LIST_CHUNKS: Op = 'GET /v3/firmware-images/upload-jobs/{upload_job_id}/chunks';
const POST_CHUNK: Op = 'POST /v3/firmware-images/upload-jobs/{upload_job_id}/chunks';
const GET_CHUNK: Op = 'GET /v3/firmware-images/upload-jobs/{upload_job_id}/chunks/{chunk_id}';

/** Statuses the sandbox gives that the excerpt does not list for the operation, and why. */
const UNDOCUMENTED: Partial<Record<Op, Record<number, string>>> = {
  [CREATE_IMAGE]: {
    409: 'a taken name: the seed says an image or a job holds a name; refused on either create path',
  },
  [CREATE_JOB]: {
    403: 'a full account (seed: free 10, commercial 1,000 images) is refused at once, not only at completion',
  },
  [UPDATE_JOB]: { 409: 'renaming a job to a name an image or another job holds (seed: 409 rule)' },
  [POST_CHUNK]: {
    403: 'completing a job when the account already holds as many images as its tier allows',
    411: 'no Content-Length (chunked encoding): the seed requires Content-Length on every chunk',
    413: 'a request over 100 MiB (seed: "each request is less than or equal to 100 MiB")',
  },
};

/** Statuses the excerpt lists that the sandbox never gives, and why. */
const NEVER_GIVEN: Partial<Record<Op, Record<number, string>>> = {
  [LIST_IMAGES]: { 404: 'an account always has an image list, possibly empty' },
  [GET_IMAGE]: { 400: 'any path segment is a well-formed id; an unknown one is a 404' },
  [DELETE_IMAGE]: { 400: 'any path segment is a well-formed id; an unknown one is a 404' },
  [DELETE_JOB]: { 400: 'any path segment is a well-formed id; deleting takes no input' },
};

const seen = new Map<Op, Set<number>>();

function opParts(op: Op): { method: string; path: string } {
  const [method, path] = op.split(' ') as [string, string];
  return { method, path };
}

/** Validates one answer against the excerpt and records that the operation gave its status. */
function conforms(op: Op, res: HttpResult, expected: number): void {
  expect(res.status, `${op}: ${res.body.toString().slice(0, 300)}`).toBe(expected);
  const { method, path } = opParts(op);
  const documented = schemas.statuses(method, path).includes(String(res.status));
  if (!documented) {
    expect(
      UNDOCUMENTED[op]?.[res.status],
      `${op} → ${res.status} is neither documented nor listed`,
    ).toBeTypeOf('string');
  }
  seen.set(op, (seen.get(op) ?? new Set()).add(res.status));
  if (res.status === 204) {
    expect(res.body.length).toBe(0);
    return;
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  // The excerpt gives the firmware-image operations' errors no schema; the service has one error
  // model (ErrorResponse, as the upload-job operations document), so they are held to it too.
  const validate =
    schemas.validator(method, path, res.status) ??
    (res.status >= 400 ? schemas.definition('ErrorResponse') : null);
  expect(validate, `${op} → ${res.status} has no schema to check`).not.toBeNull();
  const ok = validate!(res.json);
  expect(validate!.errors ?? [], `${op} → ${res.status}: ${JSON.stringify(res.json)}`).toEqual([]);
  expect(ok).toBe(true);
  if (res.status >= 400) expect(res.json).toMatchObject({ code: res.status, object: 'error' });
}

const PAID = 'ak_openapi_paid';
const FREE = 'ak_openapi_free';
const sandbox = useSandbox({
  accounts: [
    { key: PAID, tier: '1' },
    { key: FREE, tier: '0' },
  ],
});
const url = () => sandbox().url;

function postImage(key: string | null, input: Parameters<typeof multipartBody>[0]) {
  const { body, contentType } = multipartBody(input);
  return http(`${url()}/v3/firmware-images/`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body,
  });
}

/** Sends only headers declaring `length` bytes: the answer must come before any body. */
function declareOnly(path: string, headers: Record<string, string>, length: number) {
  return http(`${url()}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PAID}`, 'content-length': length, ...headers },
    write: (req) => req.flushHeaders(),
  });
}

describe('the sandbox answers as the published document says', () => {
  it(`${ME}: 200, 401, 403`, async () => {
    conforms(ME, await api(url(), PAID, 'GET', '/v3/accounts/me'), 200);
    conforms(ME, await api(url(), FREE, 'GET', '/v3/accounts/me'), 200);
    conforms(ME, await api(url(), null, 'GET', '/v3/accounts/me'), 401);
    conforms(ME, await api(url(), 'ak_wrong', 'GET', '/v3/accounts/me'), 401);
    // A request not addressed to this computer (DNS rebinding) is forbidden.
    const rebound = await http(`${url()}/v3/accounts/me`, {
      headers: { authorization: `Bearer ${PAID}`, host: 'attacker.example' },
    });
    conforms(ME, rebound, 403);
  });

  it(`${CREATE_IMAGE}, ${LIST_IMAGES}, ${GET_IMAGE}, ${DELETE_IMAGE}`, async () => {
    const data = Buffer.from('firmware image bytes');
    const made = await postImage(PAID, { data, name: 'doc-image', description: 'checked' });
    conforms(CREATE_IMAGE, made, 201);
    const encrypted = await postImage(PAID, { data, name: 'doc-enc', datafile_encryption: true });
    conforms(CREATE_IMAGE, encrypted, 201);
    conforms(CREATE_IMAGE, await postImage(PAID, { data, name: 'doc-image' }), 409);
    conforms(CREATE_IMAGE, await postImage(PAID, { data: Buffer.alloc(0), name: 'x' }), 400);
    conforms(CREATE_IMAGE, await postImage(null, { data, name: 'x' }), 401);
    const tooLarge = await declareOnly(
      '/v3/firmware-images/',
      { 'content-type': 'multipart/form-data; boundary=x' },
      101 * 1024 * 1024,
    );
    conforms(CREATE_IMAGE, tooLarge, 413);

    const list = await api(url(), PAID, 'GET', '/v3/firmware-images/?include=total_count&limit=2');
    conforms(LIST_IMAGES, list, 200);
    expect(list.json.data).toHaveLength(2);
    const after = list.json.data[0].id as string;
    conforms(
      LIST_IMAGES,
      await api(url(), PAID, 'GET', `/v3/firmware-images/?after=${after}&order=DESC`),
      200,
    );
    conforms(LIST_IMAGES, await api(url(), PAID, 'GET', '/v3/firmware-images/?limit=many'), 400);
    conforms(LIST_IMAGES, await api(url(), null, 'GET', '/v3/firmware-images/'), 401);

    const id = made.json.id as string;
    conforms(GET_IMAGE, await api(url(), PAID, 'GET', `/v3/firmware-images/${id}/`), 200);
    conforms(GET_IMAGE, await api(url(), FREE, 'GET', `/v3/firmware-images/${id}/`), 404);
    conforms(GET_IMAGE, await api(url(), null, 'GET', `/v3/firmware-images/${id}/`), 401);
    conforms(DELETE_IMAGE, await api(url(), null, 'DELETE', `/v3/firmware-images/${id}/`), 401);
    conforms(DELETE_IMAGE, await api(url(), PAID, 'DELETE', `/v3/firmware-images/${id}/`), 204);
    conforms(DELETE_IMAGE, await api(url(), PAID, 'DELETE', `/v3/firmware-images/${id}/`), 404);
  });

  it(`${CREATE_JOB}, ${LIST_JOBS}, ${GET_JOB}, ${UPDATE_JOB}, ${DELETE_JOB}`, async () => {
    const jobs = '/v3/firmware-images/upload-jobs';
    const made = await api(url(), PAID, 'POST', jobs, { name: 'doc-job', description: 'd' });
    conforms(CREATE_JOB, made, 201);
    conforms(CREATE_JOB, await api(url(), PAID, 'POST', jobs, {}), 201); // name defaults to ""
    conforms(CREATE_JOB, await api(url(), PAID, 'POST', jobs, { name: 'doc-job' }), 409);
    conforms(CREATE_JOB, await api(url(), PAID, 'POST', jobs, { name: 'n'.repeat(129) }), 400);
    conforms(CREATE_JOB, await api(url(), null, 'POST', jobs, { name: 'x' }), 401);

    conforms(LIST_JOBS, await api(url(), PAID, 'GET', `${jobs}?include=total_count`), 200);
    conforms(LIST_JOBS, await api(url(), PAID, 'GET', `${jobs}?order=sideways`), 400);
    conforms(LIST_JOBS, await api(url(), null, 'GET', jobs), 401);

    const one = `${jobs}/${made.json.id}`;
    conforms(GET_JOB, await api(url(), PAID, 'GET', one), 200);
    conforms(GET_JOB, await api(url(), FREE, 'GET', one), 404);
    conforms(GET_JOB, await api(url(), null, 'GET', one), 401);

    await createJob(url(), PAID, { name: 'doc-job-other' });
    conforms(UPDATE_JOB, await api(url(), PAID, 'PUT', one, { description: 'new' }), 200);
    conforms(UPDATE_JOB, await api(url(), PAID, 'PUT', one, { name: 'doc-job-other' }), 409);
    conforms(UPDATE_JOB, await api(url(), PAID, 'PUT', one, { description: 7 }), 400);
    conforms(UPDATE_JOB, await api(url(), FREE, 'PUT', one, { description: 'x' }), 404);
    conforms(UPDATE_JOB, await api(url(), null, 'PUT', one, { description: 'x' }), 401);

    conforms(DELETE_JOB, await api(url(), null, 'DELETE', one), 401);
    conforms(DELETE_JOB, await api(url(), PAID, 'DELETE', one), 204);
    conforms(DELETE_JOB, await api(url(), PAID, 'DELETE', one), 404);
  });

  it(`${POST_CHUNK}, ${LIST_CHUNKS}, ${GET_CHUNK}`, async () => {
    const job = await createJob(url(), PAID, { name: 'doc-chunks' });
    const chunks = `/v3/firmware-images/upload-jobs/${job.id}/chunks`;
    const data = Buffer.from('one chunk of data');
    conforms(POST_CHUNK, await postChunk(url(), PAID, job.id, data), 201);
    conforms(
      POST_CHUNK,
      await postChunk(url(), PAID, job.id, data, { md5: md5b64(Buffer.from('x')) }),
      400,
    );
    conforms(
      POST_CHUNK,
      await postChunk(url(), PAID, job.id, data, { contentType: 'text/plain' }),
      400,
    );
    const chunked = await http(`${url()}${chunks}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${PAID}`,
        'content-type': 'binary/octet-stream',
        'content-md5': md5b64(data),
        'transfer-encoding': 'chunked',
      },
      body: data,
    });
    conforms(POST_CHUNK, chunked, 411);
    const tooLarge = await declareOnly(
      chunks,
      { 'content-type': 'binary/octet-stream', 'content-md5': md5b64(data) },
      101 * 1024 * 1024,
    );
    conforms(POST_CHUNK, tooLarge, 413);
    conforms(POST_CHUNK, await postChunk(url(), FREE, job.id, data), 404);
    conforms(POST_CHUNK, await postChunk(url(), 'ak_wrong', job.id, data), 401);

    conforms(LIST_CHUNKS, await api(url(), PAID, 'GET', `${chunks}?include=total_count`), 200);
    conforms(LIST_CHUNKS, await api(url(), PAID, 'GET', `${chunks}?length__gte=lots`), 400);
    conforms(LIST_CHUNKS, await api(url(), FREE, 'GET', chunks), 404);
    conforms(LIST_CHUNKS, await api(url(), null, 'GET', chunks), 401);
    conforms(GET_CHUNK, await api(url(), PAID, 'GET', `${chunks}/1`), 200);
    conforms(GET_CHUNK, await api(url(), PAID, 'GET', `${chunks}/2`), 404);
    conforms(GET_CHUNK, await api(url(), null, 'GET', `${chunks}/1`), 401);

    // Completing: the zero-length chunk answers as any chunk, then the job is done.
    conforms(POST_CHUNK, await postChunk(url(), PAID, job.id, Buffer.alloc(0)), 201);
    conforms(POST_CHUNK, await postChunk(url(), PAID, job.id, data), 400); // already complete
    const done = await api(url(), PAID, 'GET', `/v3/firmware-images/upload-jobs/${job.id}`);
    conforms(GET_JOB, done, 200);
    expect(done.json).toMatchObject({ status: 'completed', completed: true, complete: true });
    conforms(LIST_CHUNKS, await api(url(), PAID, 'GET', chunks), 200);

    // Too-small chunks are refused only at completion (seed: S3's EntityTooSmall).
    const small = await createJob(url(), PAID, { name: 'doc-small' });
    await postChunk(url(), PAID, small.id, data);
    await postChunk(url(), PAID, small.id, data);
    conforms(POST_CHUNK, await postChunk(url(), PAID, small.id, Buffer.alloc(0)), 400);
    // A first chunk of zero length (nothing to complete) is a 400 too.
    const empty = await createJob(url(), PAID, { name: 'doc-empty' });
    conforms(POST_CHUNK, await postChunk(url(), PAID, empty.id, Buffer.alloc(0)), 400);
  });

  it('a full free account: 403 on creating an image or a job, and on completing one', async () => {
    const waiting = await createJob(url(), FREE, { name: 'doc-free-waiting' });
    await postChunk(url(), FREE, waiting.id, Buffer.from('data'));
    for (let i = 0; i < 10; i++) {
      const r = await postImage(FREE, { data: Buffer.from(`image ${i}`), name: `doc-free-${i}` });
      expect(r.status).toBe(201);
    }
    conforms(CREATE_IMAGE, await postImage(FREE, { data: Buffer.from('11'), name: 'x' }), 403);
    conforms(
      CREATE_JOB,
      await api(url(), FREE, 'POST', '/v3/firmware-images/upload-jobs', {}),
      403,
    );
    conforms(POST_CHUNK, await postChunk(url(), FREE, waiting.id, Buffer.alloc(0)), 403);
  });

  it('answers unknown paths (404) and methods (405), and injected faults, as ErrorResponse', async () => {
    const error = schemas.definition('ErrorResponse');
    const unknown = await api(url(), PAID, 'GET', '/v3/no-such-thing');
    const method = await api(url(), PAID, 'PATCH', '/v3/firmware-images/');
    sandbox().faults.inject({ kind: 'status', status: 503, path: '^/v3/accounts/me' });
    sandbox().faults.inject({ kind: 'status', status: 429, path: '^/v3/accounts/me' });
    const unavailable = await api(url(), PAID, 'GET', '/v3/accounts/me');
    const limited = await api(url(), PAID, 'GET', '/v3/accounts/me');
    for (const [res, status] of [
      [unknown, 404],
      [method, 405],
      [unavailable, 503],
      [limited, 429],
    ] as const) {
      expect(res.status).toBe(status);
      expect(error(res.json), JSON.stringify(error.errors)).toBe(true);
    }
    expect(method.headers.allow).toBe('GET, POST');
    expect(limited.headers['retry-after']).toBe('1');
  });

  afterAll(() => {
    // Coverage, checked once every answer above was recorded.
    const missing: string[] = [];
    for (const { method, path } of schemas.operations()) {
      const op = `${method} ${path}` as Op;
      for (const status of schemas.statuses(method, path)) {
        const given = seen.get(op)?.has(Number(status)) ?? false;
        const never = NEVER_GIVEN[op]?.[Number(status)] !== undefined;
        if (given === never) missing.push(`${op} → ${status} (${given ? 'given' : 'not given'})`);
      }
      for (const status of Object.keys(UNDOCUMENTED[op] ?? {})) {
        if (!seen.get(op)?.has(Number(status)))
          missing.push(`${op} → ${status} (listed, not given)`);
      }
    }
    expect(missing).toEqual([]);
  });
});
