import { commands } from './commands';
import { CliUsageError, printUsage } from './usage';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printUsage(process.stdout);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(
      `firmdrop: unknown command "${name}". Run "firmdrop help" for the list.\n`,
    );
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    if (err instanceof CliUsageError) {
      process.stderr.write(`firmdrop ${name}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`firmdrop ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`firmdrop: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
