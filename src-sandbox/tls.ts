import { join } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import { writeFileAtomic } from './atomic-file';
import type { TlsVersion } from './link-model';

/** The sandbox's certificate, kept beside its data so clients can be told to trust it. */
export const CERT_FILE = 'sandbox-ca.pem';

export interface SandboxCertificate {
  /** PEM of the self-signed certificate: what a client adds as a trusted CA. */
  certPem: string;
  certPath: string;
  /** Stays in memory: a fresh certificate at every start, so no key is left on disk. */
  keyPem: string;
}

/**
 * A fresh self-signed certificate for 127.0.0.1 and localhost. It is its own CA (basic
 * constraints cA), so a client can trust exactly it with `--ca` or NODE_EXTRA_CA_CERTS; EC P-256
 * keeps both its making and every handshake cheap.
 */
export async function makeCertificate(dataDir: string): Promise<SandboxCertificate> {
  // Loaded only here: it takes ~0.1 s, which every other firmdrop command would pay at start.
  const { generate } = await import('selfsigned');
  const notBeforeDate = new Date(Date.now() - 60_000); // a slightly slow client clock still accepts it
  const pems = await generate([{ name: 'commonName', value: 'Firmdrop sandbox' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const certPath = join(dataDir, CERT_FILE);
  await writeFileAtomic(certPath, pems.cert, 0o644);
  return { certPem: pems.cert, certPath, keyPem: pems.private };
}

/** The server's TLS settings: pinned to one version when the link model names one. */
export function secureContextOptions(
  cert: SandboxCertificate,
  version: TlsVersion | null,
): SecureContextOptions {
  const pinned =
    version === null ? {} : { minVersion: tlsName(version), maxVersion: tlsName(version) };
  return { key: cert.keyPem, cert: cert.certPem, ...pinned };
}

const tlsName = (v: TlsVersion): 'TLSv1.2' | 'TLSv1.3' => (v === '1.3' ? 'TLSv1.3' : 'TLSv1.2');
