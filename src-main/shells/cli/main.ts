import { isFirmdropError } from '../../core/errors';
import { splitCommand } from './args';
import { commands } from './commands';
import { commandHelp } from './help';
import { errorMessage, flushOutput, printError, printLine } from './output';
import { StoppedBySignal } from './signals';
import { CliUsageError, HelpRequested, printUsage } from './usage';
import { setCliV8Flags } from './v8-flags';
import { VERSION } from './version';

async function main(argv: string[]): Promise<number> {
  const { name, args } = splitCommand(argv);
  // Before the command's code runs: undici compiles its parser on the first connection.
  setCliV8Flags(name ?? 'help');
  if (name === undefined && (args.includes('--version') || args.includes('-V'))) {
    printLine(VERSION);
    return 0;
  }
  if (name === 'help' && args[0] !== undefined && !args[0].startsWith('-')) {
    return printHelp(args[0]);
  }
  if (name === undefined || name === 'help') {
    const asked = name === 'help' || args.includes('--help') || args.includes('-h');
    printUsage(asked ? process.stdout : process.stderr);
    return asked ? 0 : 2;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    printError(`unknown command "${name}". Run "firmdrop help" for the list.`);
    return 2;
  }
  try {
    return await command(args);
  } catch (err) {
    return failed(name, err);
  }
}

/** `firmdrop help images`, `firmdrop images show --help`: that command's own help. */
function printHelp(name: string): number {
  const text = commandHelp(name);
  if (text === null) {
    printError(`unknown command "${name}". Run "firmdrop help" for the list.`);
    return 2;
  }
  process.stdout.write(text);
  return 0;
}

function failed(name: string, err: unknown): number {
  if (err instanceof HelpRequested) return printHelp(name);
  if (err instanceof CliUsageError) {
    // "firmdrop upload: …": a usage error names the command whose synopsis it quotes.
    process.stderr.write(`firmdrop ${name}: ${err.message}\n`);
    return 2;
  }
  const stopped = stoppedBy(err);
  if (stopped) return stopped.exitCode;
  printError(errorMessage(err));
  if (!isFirmdropError(err) && err instanceof Error && process.env.FIRMDROP_DEBUG) {
    process.stderr.write(`${err.stack ?? ''}\n`);
  }
  return 1;
}

/** A wait cut short by SIGINT/SIGTERM arrives as an AbortError whose cause is the signal. */
function stoppedBy(err: unknown): StoppedBySignal | null {
  if (err instanceof StoppedBySignal) return err;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause instanceof StoppedBySignal ? cause : null;
}

// `firmdrop uploads | head -1`: a reader that went away is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

// Exit explicitly once the command is done and output is flushed, rather than when the event loop
// runs dry: a keychain call that timed out is still pending in the keychain helper (which exiting
// kills, see secrets/keytar-process.ts), and so would keep the loop alive until it returns.
main(process.argv.slice(2))
  .catch((err: unknown) => {
    printError(errorMessage(err));
    return 1;
  })
  .then(async (code) => {
    await flushOutput();
    process.exit(code);
  });
