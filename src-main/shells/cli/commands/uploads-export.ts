import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FirmdropError } from '../../../core/errors';
import type { UploadState } from '../../../app/command-line';
import type { CliContext } from '../context';
import { printError } from '../output';
import { CliUsageError } from '../usage';

export type ExportFormat = 'csv' | 'json';

/** `--export csv|json`, checked; undefined when absent. */
export function exportFormat(text: string | undefined): ExportFormat | undefined {
  if (text === undefined) return undefined;
  const f = text.trim().toLowerCase();
  if (f === 'csv' || f === 'json') return f;
  throw new CliUsageError(`--export takes csv or json, got "${text}"`);
}

/**
 * `firmdrop uploads --export csv|json [--output FILE]`: the history as the app's Export writes it
 * (the same builder, so the CSV's formula guard and columns are the app's), on stdout or in FILE.
 */
export async function exportUploads(
  ctx: CliContext,
  o: {
    format: ExportFormat;
    accountId: string | undefined;
    states: UploadState[] | undefined;
    output: string | undefined;
    quiet: boolean;
  },
): Promise<number> {
  const file = ctx.app.exportHistory({
    format: o.format,
    ...(o.accountId ? { accountId: o.accountId } : {}),
    ...(o.states ? { states: o.states } : {}),
  });
  if (o.output === undefined) {
    process.stdout.write(file.content);
    return 0;
  }
  const path = resolve(o.output);
  try {
    await writeFile(path, file.content);
  } catch (err) {
    throw new FirmdropError(
      'storage',
      `Could not write the export to ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Check that its folder exists and is writable.`,
      { cause: err },
    );
  }
  if (!o.quiet) printError(`wrote ${file.rows} upload(s) to ${path}`);
  return 0;
}
