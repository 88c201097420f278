import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src-main/core/errors';
import { DmApiError, type DmRequestInfo } from '../../../src-main/dm/errors';
import { apiErrorFromResponse } from '../../../src-main/dm/status-errors';

const EU: DmRequestInfo = {
  method: 'POST',
  path: '/v3/firmware-images/upload-jobs',
  host: 'api.eu-west-1.mbedcloud.com',
};
const KEY = 'ak_secretsecretsecretsecret';

function map(status: number, body: unknown = {}, retryAfter?: string, req = EU) {
  return apiErrorFromResponse(
    status,
    body,
    retryAfter,
    req,
    { operation: 'create the upload job', name: 'fw-7', resource: 'Upload job 42' },
    [KEY],
  );
}

describe('status → error code', () => {
  it.each<[number, ErrorCode]>([
    [400, 'invalid-input'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [405, 'invalid-input'],
    [409, 'name-taken'],
    [413, 'too-large'],
    [429, 'rate-limited'],
    [500, 'server-error'],
    [502, 'server-error'],
    [503, 'server-error'],
    [504, 'server-error'],
    [302, 'bad-response'],
  ])('%d → %s', (status, code) => {
    const err = map(status);
    expect(err).toBeInstanceOf(DmApiError);
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.method).toBe('POST');
    expect(err.path).toBe('/v3/firmware-images/upload-jobs');
  });
});

describe('technician-readable messages', () => {
  it('401 names the host and its region', () => {
    expect(map(401).message).toBe(
      "The API key was refused by api.eu-west-1.mbedcloud.com. Check the key, and that the account's region is EU (api.eu-west-1.mbedcloud.com) (a key only works in its own region).",
    );
    const us = map(401, {}, undefined, { ...EU, host: 'api.us-east-1.mbedcloud.com' });
    expect(us.message).toContain('region is US (api.us-east-1.mbedcloud.com)');
    const custom = map(401, {}, undefined, { ...EU, host: '127.0.0.1:8443' });
    expect(custom.message).toContain('refused by 127.0.0.1:8443');
  });

  it('403 about the image limit is quota-full with the tiers spelled out', () => {
    const err = map(403, {
      code: 403,
      message: 'Firmware image limit reached',
      type: 'forbidden',
      object: 'error',
      request_id: 'r1',
    });
    expect(err.code).toBe('quota-full');
    expect(err.message).toBe(
      "The account's firmware image quota is full (10 on a free account, 1,000 commercial): delete images or upgrade.",
    );
  });

  it('403 otherwise is forbidden and quotes the service', () => {
    const err = map(403, { message: 'Policy denies access', type: 'access_denied' });
    expect(err.code).toBe('forbidden');
    expect(err.message).toContain('Policy denies access');
    expect(err.message).toContain('create the upload job');
  });

  it('409 names the taken name', () => {
    expect(map(409).message).toBe(
      'An image or upload job named "fw-7" already exists in this account. Choose another name.',
    );
  });

  it('404 names the resource', () => {
    expect(map(404).message).toContain(
      'Upload job 42 was not found on api.eu-west-1.mbedcloud.com',
    );
  });

  it('400 lists the refused fields and keeps them structured', () => {
    const err = map(400, {
      code: 400,
      object: 'error',
      type: 'validation_error',
      message: 'Validation error',
      request_id: '0161991d63150242ac12000600000000',
      fields: [{ name: 'name', message: 'Ensure this field has no more than 128 characters.' }],
    });
    expect(err.fields).toEqual([
      { name: 'name', message: 'Ensure this field has no more than 128 characters.' },
    ]);
    expect(err.type).toBe('validation_error');
    expect(err.requestId).toBe('0161991d63150242ac12000600000000');
    expect(err.serverMessage).toBe('Validation error');
    expect(err.message).toContain('name: Ensure this field has no more than 128 characters.');
  });

  it('429 carries Retry-After in seconds and says when it will retry', () => {
    const err = map(429, {}, '7');
    expect(err.retryAfterSeconds).toBe(7);
    expect(err.message).toContain('will retry after 7 s');
    const dated = map(429, {}, new Date(Date.now() + 30_000).toUTCString());
    expect(dated.retryAfterSeconds).toBeGreaterThanOrEqual(28);
    expect(dated.retryAfterSeconds).toBeLessThanOrEqual(31);
    expect(map(429).retryAfterSeconds).toBeUndefined();
  });

  it('5xx says it is a service problem', () => {
    expect(map(503).message).toContain('(HTTP 503): a service-side problem');
  });

  it('tolerates non-JSON and junk error bodies', () => {
    expect(map(502, undefined).serverMessage).toBe('');
    expect(map(400, { fields: 'nope', message: 7 }).fields).toEqual([]);
  });

  it('scrubs the key if the service echoes it', () => {
    const err = map(401, {
      message: `key ${KEY} unknown`,
      fields: [{ name: 'Authorization', message: `Bearer ${KEY}` }],
    });
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(KEY);
  });
});
