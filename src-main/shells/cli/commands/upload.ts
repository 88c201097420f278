import { basename, resolve } from 'node:path';
import {
  chunkSizeOption,
  limitRateOption,
  parseCommand,
  stringOption,
  takeWaitOption,
} from '../args';
import { FirmdropError } from '../../../core/errors';
import { assertValidUploadRequest } from '../../../core/validation';
import type { TargetInput, TargetRefusal } from '../../../app/command-line';
import { openContext, type CliContext } from '../context';
import { printError, printJson, shellQuote } from '../output';
import { runEngine } from '../run-engine';
import { createRunView, type RunView } from '../run-view';
import { targetAccounts } from '../target-accounts';
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
  'firmdrop upload <file>... [--name N] [--description D] [--encrypt] [--chunk-size MiB] [--limit-rate RATE] [--account NAME[,NAME...] | --all-accounts] [--partial] [--wait[=DURATION]]';

/**
 * `firmdrop upload`: pre-flight every file for every account (nothing is journaled unless all
 * pass, or with --partial the refused targets are left out), then upload all, verified. Several
 * accounts make a fan-out: the file is read and hashed once, each account gets its own upload.
 * Exit 0 only when every file is uploaded and verified on every account.
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
      'all-accounts': { type: 'boolean' },
      partial: { type: 'boolean' },
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
  const partial = values.partial === true;
  const chunkSize = chunkSizeOption(stringOption(values, 'chunk-size'));
  const limitRate = limitRateOption(stringOption(values, 'limit-rate'));
  const stop = watchStopSignals();
  const ctx = openContext(global, process.env, {
    ...(waiting ? { offlineGiveUpMs: waitMs } : {}),
    ...(limitRate !== undefined ? { limitRate } : {}),
  });
  try {
    ctx.expectUploads(uploadNames(positionals, name));
    const accounts = await targetAccounts(ctx, {
      account: stringOption(values, 'account'),
      all: values['all-accounts'] === true,
      waitMs,
      stop,
      quiet: global.quiet,
    });
    const fanOut = accounts.length > 1;
    const { uploads } = ctx.app;
    // File by file, each to every account: the order of the JSON and of the lines.
    const inputs: TargetInput[] = positionals.flatMap((file) =>
      accounts.map((account) => ({
        accountId: account.id,
        filePath: resolve(file),
        fileName: basename(file),
        name,
        description: stringOption(values, 'description'),
        encrypt: values.encrypt === true,
        chunkSize,
        allowOffline: waiting,
      })),
    );
    const accountOf = (i: number) => ctx.accountName((inputs[i] as TargetInput).accountId);
    // One planning step (nothing written), then one transaction: a kill during pre-flight
    // leaves nothing in the journal for a later "resume" to send.
    const { planned, refused } = await uploads.planTargets(inputs, stop.signal);
    const stopped = stop.received();
    const rejected = refused.map((t) =>
      reportRefused(
        (inputs[t.index] as TargetInput).filePath,
        name ?? t.fileName,
        t.accountName,
        new FirmdropError(t.code, fanOut ? refusedBy(t) : (t.cliMessage ?? t.message), {
          suggestion: t.suggestion,
        }),
      ),
    );
    if (stopped || (refused.length > 0 && (!partial || planned.length === 0))) {
      const final = inputs.map((input, i) => {
        const r = rejected[refused.findIndex((t) => t.index === i)];
        const what = fanOut ? 'target' : 'file';
        return r ?? reportNotStarted(input.filePath, name ?? input.fileName, accountOf(i), what);
      });
      if (global.json) printJson(final);
      if (stopped) {
        printError('stopped before any upload began; nothing was kept in the journal.');
        return stopped.exitCode;
      }
      printReports(final, renameHint(positionals.length, fanOut), global.json);
      const unsent = final.filter((r) => r.state === 'not-started').length;
      if (unsent > 0) {
        const what = fanOut ? 'target' : 'file';
        printError(
          `${unsent} other ${what}${unsent === 1 ? ' was' : 's were'} not uploaded either: every ${what} goes, or none. Fix the problem above and run the command again${fanOut ? ', or add --partial to send to the others anyway' : ''}.`,
        );
      }
      return 1;
    }
    const rows = uploads.commit(planned.map((p) => p.row));
    const ids = rows.map((r) => r.id);
    const problems = await runEngine(
      ctx,
      ids,
      () => ids.forEach((id) => uploads.enqueue(id)),
      fanOut ? namedByAccount(createRunView(global), ctx) : createRunView(global),
      stop,
    );
    const sent = new Map(
      ids.map((id, k) => {
        const report = reportUpload(
          uploads.view(id),
          accountOf(planned[k]!.index),
          problems.get(id),
        );
        return [planned[k]!.index, report] as const;
      }),
    );
    // Every target in input order: the ones sent, and (with --partial) the refused ones.
    const done = inputs.flatMap((_, i) => {
      const r = sent.get(i) ?? rejected[refused.findIndex((t) => t.index === i)];
      return r ? [r] : [];
    });
    if (global.json) printJson(done);
    printReports(done, renameHint(positionals.length, fanOut), global.json, fanOut);
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

/** The names the files will be uploaded under, as the plan will name them (valid ones only). */
function uploadNames(files: readonly string[], name: string | undefined): string[] {
  return files.flatMap((file) => {
    try {
      return [assertValidUploadRequest({ fileName: basename(file), name }).name];
    } catch {
      return []; // the plan refuses it with its own message
    }
  });
}

/** "account "eu-prod" refused fw.bin: why" — a fan-out's refusal names its target first. */
function refusedBy(t: TargetRefusal): string {
  return `account "${t.accountName}" refused ${t.fileName}: ${t.cliMessage ?? t.message}`;
}

/** Progress lines of a fan-out name the account: "fw.bin → eu-prod: uploading chunk 2 of 4". */
function namedByAccount(view: RunView, ctx: CliContext): RunView {
  return {
    update: (v) => view.update({ ...v, name: `${v.name} → ${ctx.accountName(v.accountId)}` }),
    notice: (id, message) => view.notice(id, message),
    close: () => view.close(),
  };
}

/** How to use a free name the service suggested, as a command the user can type. */
function renameHint(files: number, fanOut: boolean) {
  return (r: UploadReport, free: string): string => {
    const name = shellQuote(free);
    if (r.upload_id && r.state === 'failed') {
      return `to upload it as ${name}, run: firmdrop resume ${r.upload_id} --name ${name}`;
    }
    if (fanOut) {
      return `to upload it under a free name, upload ${shellQuote(r.file)} to "${r.account}" with --name ${name}`;
    }
    return files === 1
      ? `to upload it under a free name, use --name ${name}`
      : `to upload it under a free name, upload ${shellQuote(r.file)} on its own with --name ${name}`;
  };
}
