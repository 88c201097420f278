import { isFirmdropError, messageFor } from '../../core/errors';

/** Machine-readable output: one JSON document on stdout (arrays for lists, for `jq`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Errors and notes for people: stderr, prefixed so they stand out in script logs. */
export function printError(message: string): void {
  process.stderr.write(`firmdrop: ${message}\n`);
}

/**
 * A list cut short by --limit while more exist: said on stderr, for people reading a table
 * (with --json, stdout stays the bare array scripts already parse).
 */
export function printMoreNote(o: { json: boolean }, shown: number, noun: string, more: string) {
  if (o.json) return;
  // "upload jobs" → "the newest upload job" for one.
  const what = shown === 1 ? noun.replace(/s$/u, '') : `${shown} ${noun}`;
  printError(`showing the newest ${what}; more exist: ${more}.`);
}

/** What to type to see more than `shown` rows: a limit five times larger, within `max`. */
export function raiseLimit(shown: number, max: number, allWithout: boolean): string {
  const next = `use --limit ${Math.min(max, Math.max(100, shown * 5))}`;
  return allWithout ? `${next}, or leave --limit out for all` : next;
}

/**
 * A FirmdropError's own message in the command line's words (it says what to do: a flag or a
 * command, not a button); anything else as plainly as it comes. Causes are never appended: a
 * message that needs its cause's reason words it in (see DmNetworkError.reason).
 */
export function errorMessage(err: unknown): string {
  if (isFirmdropError(err)) return messageFor(err, 'cli');
  return err instanceof Error ? err.message : String(err);
}

/** `'fw (2)'` for a shell: single quotes, with any single quote inside spelled `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface Column {
  header: string;
  /** Cells longer than this end in "…". */
  max?: number;
  align?: 'left' | 'right';
}

/** A plain-text table: a header row, then one line per row, columns two spaces apart. */
export function formatTable(columns: Column[], rows: string[][]): string {
  const cells = rows.map((row) => columns.map((c, i) => clip(row[i] ?? '', c.max)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, i) => {
        const w = widths[i] ?? 0;
        return columns[i]?.align === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

export function clip(text: string, max: number | undefined): string {
  const oneLine = text.replace(/\s+/g, ' ');
  if (max === undefined || oneLine.length <= max) return oneLine;
  return `${oneLine.slice(0, Math.max(0, max - 1))}…`;
}

/** "2026-11-28 14:03" in local time: what a person reading a table wants. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The service's ISO timestamps shown like local ones; unparseable text is shown as is. */
export function formatIsoTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatTime(ms);
}

/** Key: value lines for one object ("show" commands), keys aligned. */
export function formatFields(fields: Array<[string, string]>): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${v}`).join('\n');
}

/** Waits until stdout and stderr have handed everything to the OS, so exit loses nothing. */
export async function flushOutput(): Promise<void> {
  await Promise.all(
    [process.stdout, process.stderr].map(
      (s) =>
        new Promise<void>((done) => {
          s.write('', () => done());
        }),
    ),
  );
}
