import { describe, expect, it } from 'vitest';
import { isLoopbackHost, matchesNoProxy, resolveProxy } from '../../../src-main/dm/proxy';

const US = new URL('https://api.us-east-1.mbedcloud.com');
const LOCAL = new URL('https://127.0.0.1:8443');

describe('resolveProxy', () => {
  it('uses HTTPS_PROXY for https targets, lower case first, HTTP_PROXY as fallback', () => {
    expect(resolveProxy(US, undefined, { HTTPS_PROXY: 'http://upper:1' })).toEqual({
      url: 'http://upper:1',
      source: 'env',
    });
    expect(
      resolveProxy(US, undefined, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })
        ?.url,
    ).toBe('http://lower:1');
    expect(resolveProxy(US, undefined, { HTTP_PROXY: 'http://plain:1' })?.url).toBe(
      'http://plain:1',
    );
    expect(
      resolveProxy(new URL('http://example.test'), undefined, { HTTPS_PROXY: 'http://s:1' }),
    ).toBeNull();
  });

  it('never for an http:// target: the key would cross the proxy in clear text', () => {
    for (const target of ['http://127.0.0.1:8443', 'http://localhost:1', 'http://example.test']) {
      expect(resolveProxy(new URL(target), 'http://mine:3128', {})).toBeNull();
      expect(
        resolveProxy(new URL(target), undefined, {
          HTTP_PROXY: 'http://env:1',
          HTTPS_PROXY: 'http://env:1',
        }),
      ).toBeNull();
    }
  });

  it('an explicit proxy wins over the environment and applies to loopback too', () => {
    expect(resolveProxy(US, 'http://mine:3128', { HTTPS_PROXY: 'http://env:1' })).toEqual({
      url: 'http://mine:3128',
      source: 'explicit',
    });
    expect(resolveProxy(LOCAL, 'http://mine:3128', {})?.source).toBe('explicit');
  });

  it('null means no proxy whatever the environment says', () => {
    expect(resolveProxy(US, null, { HTTPS_PROXY: 'http://env:1' })).toBeNull();
  });

  it('never sends loopback targets to an environment proxy', () => {
    for (const target of [
      'http://127.0.0.1:1',
      'http://localhost:1',
      'http://[::1]:1',
      'http://127.9.9.9',
    ]) {
      expect(resolveProxy(new URL(target), undefined, { HTTP_PROXY: 'http://env:1' })).toBeNull();
    }
  });

  it('honours NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://env:1', NO_PROXY: 'intranet, .mbedcloud.com' };
    expect(resolveProxy(US, undefined, env)).toBeNull();
    expect(resolveProxy(new URL('https://example.test'), undefined, env)?.url).toBe('http://env:1');
  });
});

describe('matchesNoProxy', () => {
  it.each([
    ['*', 'https://a.b', true],
    ['mbedcloud.com', 'https://api.us-east-1.mbedcloud.com', true],
    ['.mbedcloud.com', 'https://api.us-east-1.mbedcloud.com', true],
    ['*.mbedcloud.com', 'https://api.us-east-1.mbedcloud.com', true],
    ['cloud.com', 'https://api.mbedcloud.com', false],
    ['api.mbedcloud.com:443', 'https://api.mbedcloud.com', true],
    ['api.mbedcloud.com:8443', 'https://api.mbedcloud.com', false],
    ['10.1.2.3', 'http://10.1.2.3:80', true],
    ['[fd00::1]:443', 'https://[fd00::1]', true],
    ['', 'https://a.b', false],
  ])('%s vs %s → %s', (list, target, expected) => {
    expect(matchesNoProxy(new URL(target), list)).toBe(expected);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['app.localhost', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['10.0.0.1', false],
    ['localhost.example.com', false],
  ])('%s → %s', (host, expected) => expect(isLoopbackHost(host)).toBe(expected));
});
