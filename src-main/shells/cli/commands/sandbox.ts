import { parseArgs } from 'node:util';
import type { SandboxOptions } from '../../../../src-sandbox';
import { startSandbox } from '../../../../src-sandbox';
import { keyOption, keysFromEnv, keysFromFile } from '../sandbox-keys';
import { rateOption, rttOption, tlsVersionOption } from '../sandbox-link-args';
import { CliUsageError, HelpRequested } from '../usage';

const SYNOPSIS =
  'firmdrop sandbox [--port N] [--key KEY:TIER]... [--key-file PATH] [--data-dir DIR] [--tls [--tls-version 1.2|1.3]] [--rtt TIME] [--rate BYTES/S]';

/**
 * `firmdrop sandbox [--port N] [--key KEY:TIER]... [--key-file PATH] [--data-dir DIR] [--tls]
 * [--tls-version V] [--rtt TIME] [--rate BYTES/S]`, keys also from FIRMDROP_SANDBOX_KEYS (a file or
 * the environment keeps them out of `ps`). `--rtt`, `--rate` and `--tls-version` set the link
 * model (docs/benchmarks.md).
 * Stdout, for scripts: the base URL on the first line; with --tls the path of the certificate to
 * trust (PEM) on the second; then `api-key KEY tier=T account=ID` per account, then
 * `admin-token TOKEN`. Everything else goes to stderr. Runs until SIGINT/SIGTERM.
 */
export async function sandboxCommand(args: string[]): Promise<number> {
  const opts = parseSandboxArgs(args);
  const sandbox = await startSandbox(opts).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `port ${opts.port} on 127.0.0.1 is in use: pick another with --port, or --port 0 for any free one`,
        { cause: err },
      );
    }
    throw err;
  });
  const out = process.stdout;
  out.write(`${sandbox.url}\n`);
  if (sandbox.caCertPath !== null) out.write(`${sandbox.caCertPath}\n`);
  for (const a of sandbox.accounts) out.write(`api-key ${a.key} tier=${a.tier} account=${a.id}\n`);
  out.write(`admin-token ${sandbox.adminToken}\n`);
  if (opts.dataDir === undefined) {
    process.stderr.write(
      `firmdrop sandbox: data is kept in the temporary directory ${sandbox.dataDir} and removed on exit; pass --data-dir DIR to keep it.\n`,
    );
  }
  if (sandbox.caCertPath !== null) {
    process.stderr.write(
      `firmdrop sandbox: HTTPS with a fresh self-signed certificate; trust it with "firmdrop … --ca ${sandbox.caCertPath}" or NODE_EXTRA_CA_CERTS.\n`,
    );
  }
  process.stderr.write(
    'firmdrop sandbox: listening on 127.0.0.1; stop with Ctrl+C (SIGINT) or SIGTERM.\n',
  );
  const signal = await nextSignal();
  process.stderr.write(`firmdrop sandbox: ${signal} received, closing.\n`);
  await sandbox.close();
  return 0;
}

export function parseSandboxArgs(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): SandboxOptions {
  let values: {
    port?: string;
    key?: string[];
    'key-file'?: string;
    'data-dir'?: string;
    tls?: boolean;
    'tls-version'?: string;
    rtt?: string;
    rate?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        key: { type: 'string', multiple: true },
        'key-file': { type: 'string' },
        'data-dir': { type: 'string' },
        tls: { type: 'boolean' },
        'tls-version': { type: 'string' },
        rtt: { type: 'string' },
        rate: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliUsageError(
      `${err instanceof Error ? err.message : String(err)}. Usage: ${SYNOPSIS}`,
    );
  }
  if (values.help === true) throw new HelpRequested();
  const opts: SandboxOptions = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new CliUsageError(
        `--port must be a port number from 0 to 65535 (0 picks a free one), got "${values.port}"`,
      );
    }
    opts.port = port;
  }
  // Every source counts; the same key twice is refused when the sandbox starts.
  const accounts = [
    ...(values.key ?? []).map(keyOption),
    ...(values['key-file'] === undefined ? [] : keysFromFile(values['key-file'])),
    ...keysFromEnv(env),
  ];
  if (accounts.length > 0) opts.accounts = accounts;
  if (values['data-dir'] !== undefined) opts.dataDir = values['data-dir'];
  if (values.tls) opts.tls = true;
  if (values['tls-version'] !== undefined) {
    opts.tlsVersion = tlsVersionOption(values['tls-version'], values.tls === true);
  }
  if (values.rtt !== undefined) opts.latencyMs = rttOption(values.rtt);
  if (values.rate !== undefined) opts.bandwidthBytesPerSec = rateOption(values.rate);
  return opts;
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
