import { DmNetworkError, type DmRequestInfo, type SentState } from './errors';
import { sanitizeCause } from './redact';

/** Errors raised before a single request byte can have reached the service. */
const BEFORE_SEND: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_PRX_TLS: 'secure connection to the proxy failed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
};

const DURING_EXCHANGE: Record<string, string> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'request body length changed while sending',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'answer cut short',
  HPE_INVALID_CONSTANT: 'malformed HTTP answer',
};

function codeOf(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  // Happy-eyeballs connection attempts fail with an AggregateError of per-address errors.
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0) return codeOf(errors[0]);
  return '';
}

/** How much of a streamed request body had been read out when the request failed. */
export interface BodyProgress {
  consumed: number;
  total: number;
}

export interface FailureContext {
  req: DmRequestInfo;
  operation: string;
  /** Set when our own signal fired: the caller cancelled, or the deadline passed. */
  abortedBy: 'cancelled' | 'timeout' | null;
  timeoutMs: number;
  /** The deadline fired because an upload's body stopped moving (not for want of an answer). */
  stalled?: boolean;
  body: BodyProgress | null;
  secrets: readonly string[];
  /** True when the request went through a proxy (so "check the proxy" is the likelier fix). */
  viaProxy: boolean;
  /** False when the request was cancelled before it was handed to the transport. */
  dispatched: boolean;
}

function sentState(code: string, body: BodyProgress | null, dispatched = true): SentState {
  if (!dispatched) return 'none';
  if (BEFORE_SEND[code] !== undefined) return 'none';
  // A tunnel the proxy refused never reached the service.
  if (code === 'UND_ERR_ABORTED') return 'none';
  if (body !== null && body.total > 0) {
    if (body.consumed === 0) return 'none';
    if (body.consumed < body.total) return 'partial';
  }
  return 'unknown';
}

/** Turns whatever the transport threw into a DmNetworkError that names the host and the fix. */
export function transportError(err: unknown, f: FailureContext): DmNetworkError {
  const { host } = f.req;
  const cause = sanitizeCause(err, f.secrets);
  const code = codeOf(err);
  const check = f.viaProxy
    ? 'Check the network and the proxy settings.'
    : 'Check the network or proxy.';
  if (f.abortedBy === 'cancelled') {
    return new DmNetworkError('cancelled', `Cancelled while trying to ${f.operation} on ${host}.`, {
      ...f.req,
      sent: sentState('', f.body, f.dispatched),
      cause,
      reason: 'cancelled',
    });
  }
  const timedOut =
    f.abortedBy === 'timeout' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT';
  if (timedOut) {
    const seconds = Math.round(f.timeoutMs / 100) / 10;
    const what = f.stalled
      ? `stopped taking the upload's data for ${seconds} s`
      : `did not answer within ${seconds} s`;
    return new DmNetworkError(
      'timeout',
      `${host} ${what} while trying to ${f.operation}. ${check}`,
      {
        ...f.req,
        sent: sentState(code, f.body),
        cause,
        reason: what,
      },
    );
  }
  const proxyRefused = code === 'UND_ERR_ABORTED' ? 'the proxy refused the connection' : undefined;
  const reason = BEFORE_SEND[code] ?? DURING_EXCHANGE[code] ?? proxyRefused ?? 'network failure';
  const tls = reason.startsWith('TLS');
  const tlsHint = tls
    ? ' If the certificate comes from a CA of your own (a TLS-inspecting proxy, a test server), trust that CA: Settings → Network → Trusted CA certificate in the app, --ca FILE in the firmdrop command, or NODE_EXTRA_CA_CERTS.'
    : '';
  const fact = `Could not reach ${host} to ${f.operation} (${reason}). ${check}`;
  return new DmNetworkError('network', `${fact}${tlsHint}`, {
    ...f.req,
    sent: sentState(code, f.body),
    cause,
    reason: `${reason}.${tlsHint}`,
    // The command line's own words: its flag and Node's variable, not the app's settings.
    cli: tls
      ? `${fact} If the certificate comes from a CA of your own (a TLS-inspecting proxy, a test server), trust that CA with --ca FILE or NODE_EXTRA_CA_CERTS.`
      : undefined,
  });
}
