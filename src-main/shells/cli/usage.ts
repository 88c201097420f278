/** A mistake in how the command was called: exit code 2 and a one-line hint. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export function printUsage(out: NodeJS.WritableStream): void {
  out.write(`firmdrop — resumable, verified firmware uploads to Izuma Device Management

Usage: firmdrop <command> [options]

Commands:
  sandbox [--port N] [--key KEY:TIER]... [--data-dir DIR]
                      run the local Device Management sandbox on 127.0.0.1 (TIER: 0 free,
                      1 commercial, 2 partner); prints its URL, API keys and admin token
  help                this text
`);
}
