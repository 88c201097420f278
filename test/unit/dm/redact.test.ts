import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  redactHeaders,
  redactUrlCredentials,
  sanitizeCause,
  scrubSecrets,
} from '../../../src-main/dm/redact';

const KEY = 'ak_1MDE2MTk1NzFmNmU4MDI0MmFjMTIwMDA2MDAwMDAwMDA01619571f7020242ac12000600000000';

describe('redactHeaders', () => {
  it('hides secret-bearing headers whatever their case and keeps the rest', () => {
    const out = redactHeaders({
      Authorization: `Bearer ${KEY}`,
      'proxy-authorization': 'Basic dXNlcjpwYXNz',
      Cookie: 'a=b',
      'X-Api-Key': KEY,
      'content-type': 'application/json',
      'content-length': 12,
      'x-absent': undefined,
    });
    expect(out).toEqual({
      Authorization: REDACTED,
      'proxy-authorization': REDACTED,
      Cookie: REDACTED,
      'X-Api-Key': REDACTED,
      'content-type': 'application/json',
      'content-length': 12,
      'x-absent': undefined,
    });
  });

  it('does not modify its input', () => {
    const input = { authorization: `Bearer ${KEY}` };
    redactHeaders(input);
    expect(input.authorization).toContain(KEY);
  });
});

describe('scrubSecrets', () => {
  it('removes every occurrence of the key', () => {
    expect(scrubSecrets(`bad key ${KEY} (Bearer ${KEY})`, [KEY])).toBe(
      `bad key ${REDACTED} (Bearer ${REDACTED})`,
    );
  });

  it('ignores secrets too short to be keys rather than blanking ordinary text', () => {
    expect(scrubSecrets('a b c', ['a'])).toBe('a b c');
  });
});

describe('redactUrlCredentials', () => {
  it('drops user and password from a proxy URL', () => {
    expect(redactUrlCredentials('http://user:s3cret@proxy.corp:3128/')).toBe(
      'http://proxy.corp:3128/',
    );
    expect(redactUrlCredentials('not a url')).toBe('[unparseable URL]');
  });
});

describe('sanitizeCause', () => {
  it('keeps name, code and message of the chain, scrubbed, and nothing else', () => {
    const inner = Object.assign(new Error(`socket said ${KEY}`), {
      code: 'ECONNRESET',
      request: { headers: { authorization: `Bearer ${KEY}` } },
    });
    const outer = Object.assign(new Error('fetch failed', { cause: inner }), { name: 'TypeError' });
    const clean = sanitizeCause(outer, [KEY]);
    const dump = inspect(clean, { depth: 10, showHidden: true }) + JSON.stringify(clean);
    expect(dump).not.toContain(KEY);
    expect(clean.name).toBe('TypeError');
    expect((clean.cause as Error & { code?: string }).code).toBe('ECONNRESET');
    expect((clean.cause as Error).message).toBe(`socket said ${REDACTED}`);
    expect(clean.cause).not.toHaveProperty('request');
  });

  it('copes with non-Error throwables', () => {
    expect(sanitizeCause(`raw ${KEY}`, [KEY]).message).toBe(`raw ${REDACTED}`);
  });
});
