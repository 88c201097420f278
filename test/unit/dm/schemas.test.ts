import { describe, expect, it } from 'vitest';
import {
  AccountInfoSchema,
  FirmwareImagePageSchema,
  FirmwareImageSchema,
  parseResponse,
  UploadChunkPageSchema,
  UploadChunkSchema,
  UploadJobSchema,
} from '../../../src-main/dm/schemas';
import { caught } from './catch';

const HOST = 'api.example.test';

const image = {
  id: '01658f9a587800000000000100100024',
  name: 'fw-1.2.3',
  description: 'release',
  datafile: 'https://cdn.example.test/01658f9a',
  datafile_checksum: 'a'.repeat(64),
  datafile_size: 27,
  created_at: '2018-08-31T10:49:41.751725Z',
  updated_at: '2018-08-31T10:49:41.755303Z',
  etag: '2018-08-31T10:49:41.751725Z',
  object: 'firmware-image',
};

// The seed document's own examples (its "completed:" typo aside).
const seedJob = {
  completed: false,
  created_at: '2018-08-31T10:49:41.736515Z',
  description: '<description>',
  etag: '2018-08-31T10:49:41.736515Z',
  firmware_image_id: '',
  id: '01658f9a586800000000000100100023',
  name: '<name>',
  object: 'upload-job',
  status: 'not_started',
  updated_at: '2018-08-31T10:49:41.736515Z',
};

describe('FirmwareImage', () => {
  it('accepts the spec shape and ignores unknown fields', () => {
    const out = parseResponse(
      FirmwareImageSchema,
      { ...image, future_field: { x: 1 } },
      'GET /x',
      HOST,
    );
    expect(out).toMatchObject({ id: image.id, datafile_size: 27, datafile_encryption: null });
    expect(out).not.toHaveProperty('future_field');
  });

  it('tolerates a null or missing size and description, and a numeric string size', () => {
    const { description: _d, datafile_size: _s, ...bare } = image;
    expect(parseResponse(FirmwareImageSchema, bare, 'GET /x', HOST)).toMatchObject({
      description: '',
      datafile_size: null,
    });
    expect(
      parseResponse(FirmwareImageSchema, { ...image, datafile_size: '1048576' }, 'GET /x', HOST)
        .datafile_size,
    ).toBe(1048576);
  });

  it.each([
    ['datafile_checksum', { datafile_checksum: undefined }],
    ['datafile', { datafile: 42 }],
    ['id', { id: '' }],
    ['datafile_size', { datafile_size: 1.5 }],
  ])('rejects a bad %s with bad-response naming the endpoint and field', async (field, patch) => {
    const err = await caught(() =>
      parseResponse(
        FirmwareImageSchema,
        { ...image, ...patch },
        'GET /v3/firmware-images/x/',
        HOST,
      ),
    );
    expect(err.code).toBe('bad-response');
    expect(err.message).toContain('GET /v3/firmware-images/x/');
    expect(err.message).toContain(`"${field}"`);
    expect(err.message).toContain(HOST);
  });

  it('rejects an image whose id is not an id (it would go into a URL later)', async () => {
    const err = await caught(() =>
      parseResponse(FirmwareImageSchema, { ...image, id: '..' }, 'GET /x', HOST),
    );
    expect(err.code).toBe('bad-response');
    expect(err.message).toContain('field "id": not a usable id');
  });

  it('names the item inside a page', async () => {
    const err = await caught(() =>
      parseResponse(
        FirmwareImagePageSchema,
        { data: [image, { ...image, name: null }], has_more: false },
        'GET /v3/firmware-images/',
        HOST,
      ),
    );
    expect(err.message).toContain('"data.1.name"');
  });
});

describe('UploadJob completion flags', () => {
  it.each([
    [
      'seed: completed=false, status not_started',
      { completed: false, status: 'not_started' },
      false,
      'not_started',
    ],
    [
      'seed: completed=true, status completed',
      { completed: true, status: 'completed' },
      true,
      'completed',
    ],
    ['spec: complete=true, no status', { complete: true, status: undefined }, true, 'completed'],
    [
      'spec: complete=false, status in_progress',
      { complete: false, status: 'in_progress' },
      false,
      'in_progress',
    ],
    ['status "complete" only', { status: 'complete' }, true, 'completed'],
    ['status "completed" only', { status: 'completed' }, true, 'completed'],
    ['complete=false, no status', { complete: false, status: undefined }, false, 'in_progress'],
  ])('%s', (_label, patch, completed, status) => {
    const { completed: _c, status: _s, ...base } = seedJob;
    const out = parseResponse(UploadJobSchema, { ...base, ...patch }, 'GET /j', HOST);
    expect(out.completed).toBe(completed);
    expect(out.status).toBe(status);
  });

  it('turns the empty firmware_image_id into null and keeps a real one', () => {
    expect(parseResponse(UploadJobSchema, seedJob, 'GET /j', HOST).firmware_image_id).toBeNull();
    const done = { ...seedJob, completed: true, status: 'completed', firmware_image_id: 'abc' };
    expect(parseResponse(UploadJobSchema, done, 'GET /j', HOST).firmware_image_id).toBe('abc');
  });

  it.each([
    ['id', '..'],
    ['id', 'a/b'],
    ['id', ''],
    ['firmware_image_id', '../../'],
  ])('rejects a job whose %s is %j: it would go into a URL later', async (field, value) => {
    const job = { ...seedJob, completed: true, status: 'completed', firmware_image_id: 'abc' };
    const err = await caught(() =>
      parseResponse(UploadJobSchema, { ...job, [field]: value }, 'GET /j', HOST),
    );
    expect(err.code).toBe('bad-response');
    expect(err.message).toContain(`"${field}"`);
  });

  it('rejects a job with neither status nor a completion flag', async () => {
    const { completed: _c, status: _s, ...bare } = seedJob;
    const err = await caught(() => parseResponse(UploadJobSchema, bare, 'GET /j', HOST));
    expect(err.code).toBe('bad-response');
    expect(err.message).toMatch(/status|complete/);
  });

  it('rejects a non-boolean flag', async () => {
    const err = await caught(() =>
      parseResponse(UploadJobSchema, { ...seedJob, completed: 'yes' }, 'GET /j', HOST),
    );
    expect(err.message).toContain('"completed"');
  });
});

describe('UploadChunk and pages', () => {
  const chunk = {
    created_at: '2018-08-31T10:49:41.742352Z',
    etag: '2018-08-31T10:49:41.742352Z',
    hash: 'e3237bc98b00f204e8800999ecff316e',
    id: 1,
    length: 14,
    updated_at: '2018-08-31T10:49:41.742352Z',
  };

  it('parses the seed chunk and defaults upload_job_id', () => {
    expect(parseResponse(UploadChunkSchema, chunk, 'POST /c', HOST)).toMatchObject({
      id: 1,
      length: 14,
      upload_job_id: null,
    });
  });

  it('parses the seed list page (after null, order ASC)', () => {
    const page = parseResponse(
      UploadChunkPageSchema,
      { after: null, data: [chunk], has_more: false, limit: 50, object: 'list', order: 'ASC' },
      'GET /c',
      HOST,
    );
    expect(page).toMatchObject({
      after: null,
      has_more: false,
      limit: 50,
      order: 'ASC',
      total_count: null,
    });
  });

  it.each([
    ['has_more missing', { data: [] }, 'has_more'],
    ['data not an array', { data: {}, has_more: false }, 'data'],
    ['order not ASC/DESC', { data: [], has_more: false, order: 'up' }, 'order'],
  ])('rejects a page with %s', async (_label, body, field) => {
    const err = await caught(() => parseResponse(UploadChunkPageSchema, body, 'GET /c', HOST));
    expect(err.message).toContain(`"${field}"`);
  });
});

describe('AccountInfo', () => {
  it('keeps tier and tolerates missing optional fields', () => {
    const out = parseResponse(
      AccountInfoSchema,
      { id: 'a'.repeat(32), tier: '1', status: 'ACTIVE', object: 'account', policies: [] },
      'GET /v3/accounts/me',
      HOST,
    );
    expect(out).toEqual({
      id: 'a'.repeat(32),
      tier: '1',
      status: 'ACTIVE',
      display_name: null,
      company: null,
      end_market: null,
    });
  });

  it('requires tier', async () => {
    const err = await caught(() =>
      parseResponse(AccountInfoSchema, { id: 'x', status: 'ACTIVE' }, 'GET /v3/accounts/me', HOST),
    );
    expect(err.message).toContain('"tier"');
  });
});
