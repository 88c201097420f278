import { describe, expect, it } from 'vitest';
import { DmNetworkError } from '../../../src-main/dm/errors';
import { transportError, type FailureContext } from '../../../src-main/dm/network-errors';

const base: FailureContext = {
  req: {
    method: 'POST',
    path: '/v3/firmware-images/upload-jobs/j1/chunks',
    host: 'api.eu-west-1.mbedcloud.com',
  },
  operation: 'upload a chunk',
  abortedBy: null,
  timeoutMs: 30_000,
  body: { consumed: 6_000_000, total: 6_000_000 },
  secrets: ['ak_secretsecretsecret'],
  viaProxy: false,
  dispatched: true,
};

const sysErr = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });

describe('transportError', () => {
  it.each([
    ['ECONNREFUSED', 'network', 'none', 'connection refused'],
    ['ENOTFOUND', 'network', 'none', 'host name not found'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout', 'none', 'did not answer'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'network', 'none', 'CA certificate'],
    ['ECONNRESET', 'network', 'unknown', 'connection reset'],
    ['UND_ERR_SOCKET', 'network', 'unknown', 'closed unexpectedly'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout', 'unknown', 'did not answer within 30 s'],
  ])('%s → %s, sent %s', (code, errCode, sent, words) => {
    const err = transportError(sysErr(code), base);
    expect(err).toBeInstanceOf(DmNetworkError);
    expect(err.code).toBe(errCode);
    expect(err.sent).toBe(sent);
    expect(err.message).toContain(words);
    expect(err.message).toContain('api.eu-west-1.mbedcloud.com');
    expect(err.method).toBe('POST');
  });

  it('words the CA advice per interface, and gives the reason alone', () => {
    const tls = transportError(sysErr('SELF_SIGNED_CERT_IN_CHAIN'), base);
    expect(tls.message).toMatch(
      /trust that CA: Settings → Network → Trusted CA certificate in the app, --ca FILE in the firmdrop command, or NODE_EXTRA_CA_CERTS\.$/,
    );
    expect(tls.cliMessage).toMatch(
      /\(TLS certificate not trusted\)\. Check the network or proxy\. If the certificate comes from a CA of your own \(a TLS-inspecting proxy, a test server\), trust that CA with --ca FILE or NODE_EXTRA_CA_CERTS\.$/,
    );
    expect(transportError(sysErr('ECONNREFUSED'), base)).toMatchObject({
      reason: 'connection refused.',
      cliMessage: undefined,
    });
  });

  it('says "check the network or proxy"', () => {
    expect(transportError(sysErr('ECONNRESET'), base).message).toContain(
      'Check the network or proxy.',
    );
    expect(transportError(sysErr('ECONNRESET'), { ...base, viaProxy: true }).message).toContain(
      'proxy settings',
    );
  });

  it('a reset while the body was still being read out is partial; before any byte, none', () => {
    expect(
      transportError(sysErr('ECONNRESET'), { ...base, body: { consumed: 100, total: 6_000_000 } })
        .sent,
    ).toBe('partial');
    expect(
      transportError(sysErr('ECONNRESET'), { ...base, body: { consumed: 0, total: 6_000_000 } })
        .sent,
    ).toBe('none');
  });

  it('a request without a body that failed mid-exchange is unknown', () => {
    expect(transportError(sysErr('ECONNRESET'), { ...base, body: null }).sent).toBe('unknown');
  });

  it('an AggregateError from happy eyeballs takes its first code', () => {
    const agg = new AggregateError([sysErr('ECONNREFUSED'), sysErr('ECONNREFUSED')], 'all failed');
    expect(transportError(agg, base).sent).toBe('none');
  });

  it('a proxy that refuses the tunnel never reached the service', () => {
    const err = Object.assign(new Error('Proxy response (403) !== 200 when HTTP Tunneling'), {
      code: 'UND_ERR_ABORTED',
    });
    const out = transportError(err, { ...base, viaProxy: true });
    expect(out.sent).toBe('none');
    expect(out.message).toContain('the proxy refused');
  });

  it('our own deadline is a timeout, the caller’s signal a cancel', () => {
    const reason = new DOMException('x', 'TimeoutError');
    expect(
      transportError(reason, { ...base, abortedBy: 'timeout', timeoutMs: 2500 }).message,
    ).toContain('within 2.5 s');
    const cancelled = transportError(new Error('aborted'), { ...base, abortedBy: 'cancelled' });
    expect(cancelled.code).toBe('cancelled');
    expect(cancelled.sent).toBe('unknown');
    expect(
      transportError(new Error('aborted'), { ...base, abortedBy: 'cancelled', dispatched: false })
        .sent,
    ).toBe('none');
  });

  it('keeps a scrubbed, plain cause', () => {
    const err = transportError(new Error('boom ak_secretsecretsecret'), base);
    expect((err.cause as Error).message).toBe('boom [redacted]');
  });
});
