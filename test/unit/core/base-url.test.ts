import { describe, expect, it } from 'vitest';
import { resolveBaseUrl } from '../../../src-main/app/base-url';
import { parseBaseUrl } from '../../../src-main/core/base-url';
import { createDmClient } from '../../../src-main/dm/client';

describe('one base-URL rule for adding an account and for making a client', () => {
  it('takes https anywhere and plain http on this computer only', () => {
    expect(parseBaseUrl(' https://api.example.com/ ').host).toBe('api.example.com');
    for (const ok of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9']) {
      expect(parseBaseUrl(ok).protocol).toBe('http:');
    }
    expect(() => parseBaseUrl('http://api.example.com')).toThrow(/must start with https:\/\//);
    expect(() => parseBaseUrl('ftp://127.0.0.1')).toThrow(/must start with https:\/\//);
    expect(() => parseBaseUrl('https://u:p@api.example.com')).toThrow(/without user name/);
    expect(() => parseBaseUrl('https://api.example.com/?a=1')).toThrow(/query or fragment/);
    expect(() => parseBaseUrl('api.example.com')).toThrow(/is not a URL/);
  });

  it('the account form and the client refuse the same plain-http address', () => {
    const url = 'http://api.example.com';
    expect(() => resolveBaseUrl('custom', url)).toThrow(/must start with https:\/\//);
    expect(() => createDmClient({ baseUrl: url, apiKey: 'k', env: {} })).toThrow(
      /must start with https:\/\//,
    );
  });
});
