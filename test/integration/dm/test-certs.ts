import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  /** The private CA, to pass as extraCaPem. */
  caPem: string;
  key: string;
  cert: string;
}

/**
 * A private CA and a server certificate for 127.0.0.1, localhost and `dnsNames`, made with the
 * system's openssl in a temporary folder that is removed again.
 */
export function makeCerts(dnsNames: string[] = []): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'firmdrop-tls-'));
  const file = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    ssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=Firmdrop Test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    ssl('req', ...ec, '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1');
    const names = ['IP:127.0.0.1', 'DNS:localhost', ...dnsNames.map((n) => `DNS:${n}`)];
    writeFileSync(file('ext'), `subjectAltName=${names.join(',')}\n`);
    ssl(
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'srv.pem',
      '-days',
      '2',
      '-extfile',
      'ext',
    );
    return {
      caPem: readFileSync(file('ca.pem'), 'utf8'),
      key: readFileSync(file('srv.key'), 'utf8'),
      cert: readFileSync(file('srv.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
