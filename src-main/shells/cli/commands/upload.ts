import { basename, resolve } from 'node:path';
import { isFirmdropError, type ErrorCode } from '../../../core/errors';
import type { Upload } from '../../../store';
import { prepareUpload } from '../../../upload/prepare-upload';
import {
  chunkSizeOption,
  limitRateOption,
  parseCommand,
  stringOption,
  takeWaitOption,
} from '../args';
import { openContext } from '../context';
import { printError, printJson, shellQuote } from '../output';
import { runEngine } from '../run-engine';
import { selectAccountWaiting } from '../wait-account';
import { createRunView } from '../run-view';
import { watchStopSignals } from '../signals';
import {
  printReports,
  reportNotStarted,
  reportRefused,
  reportUpload,
  succeeded,
  type UploadReport,
} from '../upload-report';
import { CliUsageError } from '../usage';

const SYNOPSIS =
  'firmdrop upload <file>... [--name N] [--description D] [--encrypt] [--chunk-size MiB] [--limit-rate RATE] [--account NAME] [--wait[=DURATION]]';

// Problems of one file: pre-flight goes on with the next file to report them all at once.
// Anything else (a refused key, a full account, no network) would only repeat for every file.
const PER_FILE: ReadonlySet<ErrorCode> = new Set([
  'file-missing',
  'file-unreadable',
  'file-empty',
  'invalid-input',
  'name-taken',
  'too-large',
]);

/**
 * `firmdrop upload`: pre-flight every file (nothing is journaled unless all pass), then upload all,
 * verified. Exit 0 only when every file is uploaded and verified.
 */
export async function uploadCommand(argv: string[]): Promise<number> {
  // --wait: an unreachable service is waited for (up to DURATION) instead of failing at once.
  const { args, waitMs } = takeWaitOption(argv);
  const waiting = waitMs !== undefined;
  const { global, values, positionals } = parseCommand(
    args,
    {
      name: { type: 'string' },
      description: { type: 'string' },
      encrypt: { type: 'boolean' },
      'chunk-size': { type: 'string' },
      'limit-rate': { type: 'string' },
      account: { type: 'string' },
    },
    SYNOPSIS,
  );
  if (positionals.length === 0)
    throw new CliUsageError(`name at least one file. Usage: ${SYNOPSIS}`);
  const name = stringOption(values, 'name');
  if (name !== undefined && positionals.length > 1) {
    throw new CliUsageError(
      '--name applies to one file; upload files with their own names one at a time.',
    );
  }
  const chunkSize = chunkSizeOption(stringOption(values, 'chunk-size'));
  const limitRate = limitRateOption(stringOption(values, 'limit-rate'));
  const stop = watchStopSignals();
  const ctx = openContext(global, process.env, {
    ...(waiting ? { offlineGiveUpMs: waitMs } : {}),
    ...(limitRate !== undefined ? { limitRate } : {}),
  });
  try {
    const account = await selectAccountWaiting(ctx, stringOption(values, 'account'), {
      waitMs,
      stop,
      quiet: global.quiet,
    });
    const rt = ctx.runtime;
    const dm = await rt.accounts.clientFor(account.id);
    const settings = rt.engineSettings();
    const rows: Upload[] = [];
    const reports: UploadReport[] = [];
    let refused = false;
    let fatal = false;
    for (const file of positionals) {
      const filePath = resolve(file);
      const shownName = name ?? basename(filePath);
      if (fatal) {
        reports.push(reportNotStarted(filePath, shownName, account.name));
        continue;
      }
      try {
        const row = await prepareUpload(
          { store: rt.store, dm, settings },
          {
            accountId: account.id,
            filePath,
            name,
            description: stringOption(values, 'description'),
            encrypt: values.encrypt === true,
            chunkSize,
            allowOffline: waiting,
          },
          stop.signal,
        );
        rows.push(row);
        reports.push(reportUpload(row, account.name));
      } catch (err) {
        if (stop.received()) break;
        refused = true;
        fatal = !(isFirmdropError(err) && PER_FILE.has(err.code));
        reports.push(reportRefused(filePath, shownName, account.name, err));
      }
    }
    for (const file of positionals.slice(reports.length)) {
      const filePath = resolve(file);
      reports.push(reportNotStarted(filePath, name ?? basename(filePath), account.name));
    }
    const stopped = stop.received();
    if (refused || stopped) {
      // All or nothing: what passed pre-flight is taken back out of the journal unsent.
      for (const row of rows) rt.store.uploads.deleteUpload(row.id);
      const final = reports.map((r) =>
        r.state === 'rejected' ? r : reportNotStarted(r.file, r.name, account.name),
      );
      if (global.json) printJson(final);
      if (stopped) {
        printError('stopped before any upload began; nothing was kept in the journal.');
        return stopped.exitCode;
      }
      const hint = renameHint(positionals.length);
      printReports(final, hint, global.json);
      const unsent = final.filter((r) => r.state === 'not-started').length;
      if (unsent > 0) {
        printError(
          `${unsent} other file${unsent === 1 ? ' was' : 's were'} not uploaded either: every file goes, or none. Fix the problem above and run the command again.`,
        );
      }
      return 1;
    }
    const ids = rows.map((r) => r.id);
    const problems = await runEngine(
      ctx,
      ids,
      () => ids.forEach((id) => rt.engine.enqueue(id)),
      createRunView(global),
      stop,
    );
    const done = ids.map((id) => {
      const row = rt.store.uploads.getUpload(id) as Upload;
      return reportUpload(row, account.name, problems.get(id));
    });
    if (global.json) printJson(done);
    printReports(done, renameHint(positionals.length), global.json);
    // Uploads another live process is sending are its own, not for "firmdrop resume".
    const earlier = rt.store.uploads
      .listUnfinished()
      .filter((u) => !ids.includes(u.id) && rt.engine.heldElsewhere(u.id) === null);
    if (earlier.length > 0 && !global.quiet) {
      printError(
        `${earlier.length} earlier upload${earlier.length === 1 ? ' is' : 's are'} unfinished in the journal; "firmdrop resume" finishes ${earlier.length === 1 ? 'it' : 'them'}.`,
      );
    }
    const halted = stop.received();
    if (halted) return halted.exitCode;
    return done.every(succeeded) ? 0 : 1;
  } finally {
    stop.dispose();
    await ctx.close();
  }
}

/** How to use a free name the service suggested, as a command the user can type. */
function renameHint(files: number) {
  return (r: UploadReport, free: string): string => {
    const name = shellQuote(free);
    if (r.upload_id && r.state === 'failed') {
      return `to upload it as ${name}, run: firmdrop resume ${r.upload_id} --name ${name}`;
    }
    return files === 1
      ? `to upload it under a free name, use --name ${name}`
      : `to upload it under a free name, upload ${shellQuote(r.file)} on its own with --name ${name}`;
  };
}
