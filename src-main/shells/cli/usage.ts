import { SUMMARY } from './help';

/** A mistake in how the command was called: exit code 2 and a one-line hint. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** `--help` given to a command: print that command's help and exit 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}

/** `firmdrop help`: the summary of every command. */
export function printUsage(out: NodeJS.WritableStream): void {
  out.write(SUMMARY);
}
