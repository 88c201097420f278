import { basename, resolve } from 'node:path';
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
    const { uploads } = ctx.app;
    // One planning step (nothing written), then one transaction: a kill during pre-flight
    // leaves nothing in the journal for a later "resume" to send.
    const outcomes = await uploads.plan(
      positionals.map((file) => ({
        accountId: account.id,
        filePath: resolve(file),
        name,
        description: stringOption(values, 'description'),
        encrypt: values.encrypt === true,
        chunkSize,
        allowOffline: waiting,
      })),
      stop.signal,
    );
    const stopped = stop.received();
    const refused = outcomes.some((o) => 'refused' in o);
    if (refused || stopped) {
      const final = outcomes.map((o) => {
        const shownName = name ?? basename(o.file);
        return 'refused' in o
          ? reportRefused(o.file, shownName, account.name, o.refused)
          : reportNotStarted(o.file, shownName, account.name);
      });
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
    const rows = uploads.commit(outcomes.flatMap((o) => ('plan' in o ? [o.plan] : [])));
    const ids = rows.map((r) => r.id);
    const problems = await runEngine(
      ctx,
      ids,
      () => ids.forEach((id) => uploads.enqueue(id)),
      createRunView(global),
      stop,
    );
    const done = ids.map((id) => reportUpload(uploads.view(id), account.name, problems.get(id)));
    if (global.json) printJson(done);
    printReports(done, renameHint(positionals.length), global.json);
    // Uploads another live process is sending are its own, not for "firmdrop resume".
    const earlier = uploads
      .listUnfinished()
      .filter((u) => !ids.includes(u.id) && uploads.workedElsewhere(u.id) === null);
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
