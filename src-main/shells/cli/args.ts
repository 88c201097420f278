import { parseArgs } from 'node:util';
import { parseRate } from '../../core/bandwidth';
import { MAX_REQUEST, MIN_CHUNK, MiB } from '../../core/limits';
import { CliUsageError, HelpRequested } from './usage';

/** Options every command accepts, before or after its name. */
export interface GlobalOptions {
  json: boolean;
  quiet: boolean;
  dataDir: string | undefined;
  /** `--ca FILE`: extra CA certificates (PEM) to trust, in place of the app's setting. */
  caFile: string | undefined;
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'data-dir': { type: 'string' },
  ca: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

/** Global options that take a value: main() must keep the value with its option. */
export const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set(['--data-dir', '--ca']);

export interface Parsed {
  global: GlobalOptions;
  /** The command's own options (strings, booleans; `multiple` ones are arrays). */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses one command's arguments with the global options mixed in. Any mistake is a
 * CliUsageError naming the command's synopsis; `--help` anywhere asks for the usage text.
 */
export function parseCommand(
  args: string[],
  options: Record<string, OptionSpec>,
  synopsis: string,
): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new CliUsageError(
      `${err instanceof Error ? err.message : String(err)}. Usage: ${synopsis}`,
    );
  }
  const values = parsed.values as Parsed['values'];
  if (values.help === true) throw new HelpRequested();
  return {
    global: {
      json: values.json === true,
      quiet: values.quiet === true,
      dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
      caFile: typeof values.ca === 'string' ? values.ca : undefined,
    },
    values,
    positionals: parsed.positionals,
  };
}

export function stringOption(values: Parsed['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** `--chunk-size` in MiB: a whole number from 5 to 100 (the service's chunk rules), as bytes. */
export function chunkSizeOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  const min = MIN_CHUNK / MiB;
  const max = MAX_REQUEST / MiB;
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
    throw new CliUsageError(
      `--chunk-size is in MiB, a whole number from ${min} to ${max} (every chunk but the last must be at least 5 MiB; a request at most 100 MiB), got "${text}"`,
    );
  }
  return n * MiB;
}

/**
 * Below this the service's own pace rules would time a chunk out (the client allows 16 KiB/s);
 * 64K leaves room for them.
 */
const MIN_LIMIT_RATE = 64 * 1024;

/** `--limit-rate 10M`: bytes per second, units K, M, G 1024-based as with curl. */
export function limitRateOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const rate = parseRate(text);
  if (rate === null || rate < MIN_LIMIT_RATE) {
    throw new CliUsageError(
      `--limit-rate is bytes per second with an optional K, M or G (1024-based), at least 64K, e.g. --limit-rate 10M or --limit-rate 500K; got "${text}"`,
    );
  }
  return rate;
}

/** A positive whole number option such as `--limit`. */
export function countOption(
  name: string,
  text: string | undefined,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > max) {
    throw new CliUsageError(`--${name} must be a whole number from 1 to ${max}, got "${text}"`);
  }
  return n;
}

/** Exactly `count` positionals, or a usage error that says what is missing or extra. */
export function expectPositionals(
  positionals: string[],
  names: string[],
  synopsis: string,
): string[] {
  if (positionals.length < names.length) {
    throw new CliUsageError(`missing ${names[positionals.length]}. Usage: ${synopsis}`);
  }
  if (positionals.length > names.length) {
    throw new CliUsageError(
      `unexpected argument "${positionals[names.length]}". Usage: ${synopsis}`,
    );
  }
  return positionals;
}

/**
 * Splits `firmdrop [global options] <command> [args]`: global options written before the command
 * name are handed to the command with its own arguments.
 */
export function splitCommand(argv: string[]): { name: string | undefined; args: string[] } {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length && (argv[i] ?? '').startsWith('-')) {
    const token = argv[i] as string;
    lead.push(token);
    if (GLOBAL_VALUE_OPTIONS.has(token) && i + 1 < argv.length) {
      lead.push(argv[i + 1] as string);
      i += 1;
    }
    i += 1;
  }
  const name = argv[i];
  return { name, args: [...lead, ...argv.slice(i + 1)] };
}

/**
 * `--wait` or `--wait=DURATION` (parseArgs has no option with an optional value, so it is taken
 * out first): undefined when absent, null for "as long as it takes", else milliseconds.
 * DURATION is a whole number with s, m or h (seconds when bare): 90, 30s, 15m, 2h.
 */
export function takeWaitOption(args: string[]): {
  args: string[];
  waitMs: number | null | undefined;
} {
  let waitMs: number | null | undefined;
  const rest: string[] = [];
  for (const arg of args) {
    const m = /^--wait(?:=(.*))?$/u.exec(arg);
    if (!m) {
      rest.push(arg);
      continue;
    }
    waitMs = m[1] === undefined ? null : durationMs(m[1]);
  }
  return { args: rest, waitMs };
}

function durationMs(text: string): number {
  const m = /^(\d+)\s*(s|m|h)?$/u.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(n) || n < 1) {
    throw new CliUsageError(
      `--wait takes a duration such as 90, 30s, 15m or 2h (or none, to wait as long as it takes), got "${text}"`,
    );
  }
  const unit = m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000;
  return n * unit;
}
