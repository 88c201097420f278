import { parseArgs } from 'node:util';
import type { SandboxAccountSpec, SandboxOptions } from '../../../sandbox';
import { startSandbox } from '../../../sandbox';
import { CliUsageError } from '../usage';

/**
 * `firmdrop sandbox [--port N] [--key KEY:TIER]... [--data-dir DIR]`
 * Stdout, for scripts: the base URL on the first line, then `api-key KEY tier=T account=ID` per
 * account, then `admin-token TOKEN`. Everything else goes to stderr. Runs until SIGINT/SIGTERM.
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
  for (const a of sandbox.accounts) out.write(`api-key ${a.key} tier=${a.tier} account=${a.id}\n`);
  out.write(`admin-token ${sandbox.adminToken}\n`);
  if (opts.dataDir === undefined) {
    process.stderr.write(
      `firmdrop sandbox: data is kept in the temporary directory ${sandbox.dataDir} and removed on exit; pass --data-dir DIR to keep it.\n`,
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

export function parseSandboxArgs(args: string[]): SandboxOptions {
  let values: { port?: string; key?: string[]; 'data-dir'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        key: { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliUsageError(
      `${err instanceof Error ? err.message : String(err)}. Usage: firmdrop sandbox [--port N] [--key KEY:TIER]... [--data-dir DIR]`,
    );
  }
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
  if (values.key) opts.accounts = values.key.map(parseKey);
  if (values['data-dir'] !== undefined) opts.dataDir = values['data-dir'];
  return opts;
}

function parseKey(spec: string): SandboxAccountSpec {
  const at = spec.lastIndexOf(':');
  const key = at > 0 ? spec.slice(0, at) : '';
  const tier = spec.slice(at + 1);
  if (!key || (tier !== '0' && tier !== '1' && tier !== '2')) {
    throw new CliUsageError(
      `--key takes KEY:TIER with TIER 0 (free), 1 (commercial) or 2 (partner), got "${spec}"`,
    );
  }
  return { key, tier };
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
