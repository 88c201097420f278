import { readFileSync } from 'node:fs';
import { FirmdropError } from '../core/errors';

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Reads an extra CA certificate (PEM) that connections to the service should trust, e.g. a
 * TLS-inspecting corporate proxy's or a test server's. `where` names the setting in the words of
 * the interface that gave the path ("--ca" in the CLI, "Trusted CA certificate" in Settings).
 * Only certificates are kept: a private key that happens to sit in the same file stays out of
 * memory and of every message.
 */
export function readTrustedCa(path: string, where: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new FirmdropError(
      'file-unreadable',
      `${where}: the CA certificate file ${path} could not be read (${code}). Give the path of a PEM file (-----BEGIN CERTIFICATE-----).`,
      { cause: err },
    );
  }
  const certs = text.match(new RegExp(CERTIFICATE.source, 'g'));
  if (certs === null) {
    throw new FirmdropError(
      'invalid-input',
      `${where}: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----). Export the CA certificate as PEM (Base-64) and give that file.`,
    );
  }
  return `${certs.join('\n')}\n`;
}
