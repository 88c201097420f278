import { describe, expect, it } from 'vitest';
import { joinProxyLogin, proxyHost, splitProxyLogin } from '../../../src-main/app/proxy-login';

describe('proxy login in a URL', () => {
  it('splits user and password off, leaving the URL as typed', () => {
    expect(splitProxyLogin('http://tech:s3cret@proxy.corp:3128')).toEqual({
      url: 'http://proxy.corp:3128',
      login: { username: 'tech', password: 's3cret' },
    });
    expect(splitProxyLogin('http://proxy.corp:3128')).toEqual({
      url: 'http://proxy.corp:3128',
      login: null,
    });
    expect(splitProxyLogin('')).toEqual({ url: '', login: null });
  });

  it('decodes escapes, and takes the last @ as the end of the login like URL parsing does', () => {
    expect(splitProxyLogin('https://dom%5Cuser:p%40ss:w0rd@proxy:8080/')).toEqual({
      url: 'https://proxy:8080/',
      login: { username: 'dom\\user', password: 'p@ss:w0rd' },
    });
    expect(splitProxyLogin('http://u:p@ss@proxy:1').login).toEqual({
      username: 'u',
      password: 'p@ss',
    });
    expect(new URL('http://u:p@ss@proxy:1').hostname).toBe('proxy');
    expect(splitProxyLogin('http://u:100%@proxy:1').login?.password).toBe('100%');
  });

  it('puts a login back so that URL parsing reads the same user and password', () => {
    const login = { username: 'dom\\user', password: 'p@ss:w/0rd%' };
    const full = new URL(joinProxyLogin('http://proxy.corp:3128', login));
    expect(full.host).toBe('proxy.corp:3128');
    expect(decodeURIComponent(full.username)).toBe(login.username);
    expect(decodeURIComponent(full.password)).toBe(login.password);
    expect(splitProxyLogin(joinProxyLogin('http://proxy:1', login)).login).toEqual(login);
    expect(joinProxyLogin('http://proxy:1', null)).toBe('http://proxy:1');
  });

  it('names the host a login belongs to', () => {
    expect(proxyHost('http://Proxy.Corp:3128')).toBe('proxy.corp');
    expect(proxyHost('not a url')).toBeNull();
  });
});
