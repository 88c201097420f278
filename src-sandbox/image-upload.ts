import type { FileHandle } from 'node:fs/promises';
import { open, rm } from 'node:fs/promises';
import type { FieldError } from './api-error';
import { ApiError, validationError } from './api-error';
import { MAX_REQUEST_BYTES, readBody, refuseDeclaredOversize } from './body';
import type { ApiCtx, Reply } from './context';
import { created } from './context';
import { writeAll } from './file-io';
import { commitImage, imageLocation, renderImage } from './images';
import type { PartHandler, PartHeaders } from './multipart';
import { MultipartError, MultipartParser, multipartBoundary } from './multipart';
import { checkNameFree, checkQuota, checkText, MAX_NAME } from './validate';

const MAX_TEXT_FIELD = 64 * 1024;

interface Received {
  fields: Map<string, string>;
  file: { filename: string; size: number } | null;
}

/**
 * POST /v3/firmware-images/: the one-request upload. The datafile streams to a temporary file;
 * the form is validated once the whole body is in, since fields may follow the file.
 */
export async function createImage(ctx: ApiCtx): Promise<Reply> {
  const { state, account } = ctx;
  refuseDeclaredOversize(ctx.req);
  const boundary = multipartBoundary(ctx.req.headers['content-type']);
  if (!boundary) {
    throw validationError([
      {
        name: 'datafile',
        message: 'send the image as multipart/form-data with a "datafile" file field',
      },
    ]);
  }
  checkQuota(state.store, account); // fail fast; checked again before the image is recorded
  const tmp = state.store.tmpPath();
  try {
    const got = await receiveForm(ctx, boundary, tmp);
    const form = checkForm(got);
    checkNameFree(state.store, account.id, form.name);
    checkQuota(state.store, account);
    const release = state.store.reserve(account.id, form.name);
    try {
      const image = await commitImage(state, account, { ...form, sourcePath: tmp }, release);
      return created(renderImage(image, state.url), imageLocation(state, image.id));
    } finally {
      release();
    }
  } finally {
    await rm(tmp, { force: true });
  }
}

async function receiveForm(ctx: ApiCtx, boundary: string, tmp: string): Promise<Received> {
  const got: Received = { fields: new Map(), file: null };
  let fh: FileHandle | null = null;
  const onPart = async (h: PartHeaders): Promise<PartHandler> => {
    if (h.name === 'datafile') {
      if (got.file) throw new MultipartError('the form has more than one "datafile"');
      const file = { filename: h.filename || 'datafile', size: 0 };
      got.file = file;
      const out = await open(tmp, 'w');
      fh = out;
      return {
        data: async (chunk) => {
          await writeAll(out, chunk, file.size);
          file.size += chunk.length;
        },
        end: () => undefined,
      };
    }
    const parts: Buffer[] = [];
    let size = 0;
    return {
      data: (chunk) => {
        size += chunk.length;
        if (size > MAX_TEXT_FIELD)
          throw new MultipartError(`the form field "${h.name}" is too long`);
        parts.push(chunk);
      },
      end: () => {
        got.fields.set(h.name, Buffer.concat(parts).toString('utf8'));
      },
    };
  };
  const parser = new MultipartParser(boundary, onPart);
  try {
    await readBody(ctx.req, { throttle: ctx.throttle, maxBytes: MAX_REQUEST_BYTES }, (c) =>
      parser.write(c),
    );
    await parser.end();
  } catch (err) {
    if (err instanceof MultipartError) {
      throw new ApiError(400, `The multipart body is malformed: ${err.message}.`);
    }
    throw err;
  } finally {
    await (fh as FileHandle | null)?.close();
  }
  return got;
}

function checkForm(got: Received) {
  const errors: FieldError[] = [];
  if (!got.file) errors.push({ name: 'datafile', message: 'is required' });
  else if (got.file.size === 0) errors.push({ name: 'datafile', message: 'is empty' });
  const name = checkText('name', got.fields.get('name'), errors);
  const description = checkText('description', got.fields.get('description'), errors) ?? '';
  const rawEncryption = (got.fields.get('datafile_encryption') ?? 'false').trim().toLowerCase();
  if (rawEncryption !== 'true' && rawEncryption !== 'false') {
    errors.push({ name: 'datafile_encryption', message: 'must be true or false' });
  }
  if (errors.length > 0 || !got.file) throw validationError(errors);
  const filename = got.file.filename;
  return {
    // Without a name the image is called after its file.
    name: name || [...filename].slice(0, MAX_NAME).join(''),
    description,
    encryption: rawEncryption === 'true',
    filename,
  };
}
