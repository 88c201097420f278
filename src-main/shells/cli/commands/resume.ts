import { isEnvAccountId, type Account, type Upload } from '../../../app/command-line';
import { FirmdropError } from '../../../core/errors';
import { limitRateOption, parseCommand, stringOption } from '../args';
import { openContext, type CliContext } from '../context';
import { findUpload } from '../find-upload';
import { printError, printJson, shellQuote } from '../output';
import { runEngine } from '../run-engine';
import { createRunView } from '../run-view';
import { watchStopSignals } from '../signals';
import { printReports, reportUpload, succeeded, type UploadReport } from '../upload-report';
import { idArgument } from '../id-argument';
import { CliUsageError } from '../usage';

const SYNOPSIS = 'firmdrop resume [UPLOAD_ID] [--account NAME] [--name N] [--limit-rate RATE]';

/**
 * `firmdrop resume`: what a killed, stopped or failed run left in the journal is taken up again;
 * the engine asks the server what it holds first, so nothing is appended twice.
 */
export async function resumeCommand(args: string[]): Promise<number> {
  const { global, values, positionals } = parseCommand(
    args,
    { account: { type: 'string' }, name: { type: 'string' }, 'limit-rate': { type: 'string' } },
    SYNOPSIS,
  );
  if (positionals.length > 1) {
    throw new CliUsageError(`resume takes at most one upload id. Usage: ${SYNOPSIS}`);
  }
  const rename = stringOption(values, 'name');
  const given = positionals[0];
  const wanted =
    given === undefined ? undefined : idArgument(given, 'UPLOAD_ID', '"firmdrop uploads"');
  if (rename !== undefined && wanted === undefined) {
    throw new CliUsageError('--name renames one failed upload: give its UPLOAD_ID too.');
  }
  const stop = watchStopSignals();
  const limitRate = limitRateOption(stringOption(values, 'limit-rate'));
  const ctx = openContext(global, process.env, limitRate !== undefined ? { limitRate } : {});
  try {
    const { uploads } = ctx.app;
    const accountName = stringOption(values, 'account');
    // --account, or the environment's key, limits resume to that account's uploads.
    const scope =
      accountName !== undefined || ctx.env !== null ? await ctx.selectAccount(accountName) : null;
    const rows =
      wanted === undefined ? pick(ctx, scope, global.quiet) : [named(ctx, wanted, rename)];
    const todo = rows.filter((u) => u.state !== 'done');
    if (todo.length === 0) {
      const already = rows.map((u) =>
        reportUpload(uploads.view(u.id), ctx.accountName(u.accountId)),
      );
      if (global.json) printJson(already);
      else if (already.length === 0 && !global.quiet) printError('nothing to resume.');
      else printReports(already, hint, global.json);
      return 0;
    }
    const ids = todo.map((u) => u.id);
    const problems = await runEngine(
      ctx,
      ids,
      async () => {
        // Its process is gone (or it never started): taken, then resumed from what the server holds.
        for (const u of todo) await uploads.takeUp(u.id, rename);
      },
      createRunView(global),
      stop,
    );
    const reports = ids.map((id) => {
      const view = uploads.view(id);
      return reportUpload(view, ctx.accountName(view.accountId), problems.get(id));
    });
    if (global.json) printJson(reports);
    printReports(reports, hint, global.json);
    const halted = stop.received();
    if (halted) return halted.exitCode;
    return reports.every(succeeded) ? 0 : 1;
  } finally {
    stop.dispose();
    await ctx.close();
  }
}

function named(ctx: CliContext, id: string, rename: string | undefined): Upload {
  const u = findUpload(ctx.app, id);
  ctx.app.uploads.assertNotWorkedElsewhere(u.id);
  if (u.state === 'cancelled') {
    throw new FirmdropError(
      'invalid-state',
      `Upload ${u.id} ("${u.name}") was cancelled; upload the file again with "firmdrop upload".`,
    );
  }
  if (rename !== undefined && u.state !== 'failed') {
    throw new CliUsageError(
      `--name renames a failed upload; upload ${u.id} is ${u.state}. Resume it without --name.`,
    );
  }
  return u;
}

/**
 * Every unfinished upload no live process works on, of one account when one is chosen (--account
 * or the environment). Uploads another live process owns (the app, another firmdrop run) are left
 * to it, and the user is told which.
 */
function pick(ctx: CliContext, account: Account | null, quiet: boolean): Upload[] {
  const { uploads } = ctx.app;
  const scoped = uploads
    .listUnfinished()
    .filter((u) => account === null || u.accountId === account.id);
  const owned = scoped.filter((u) => uploads.workedElsewhere(u.id) !== null);
  if (!quiet) {
    for (const u of owned) {
      const holder = uploads.workedElsewhere(u.id);
      if (holder) printError(`leaving ${u.id} ("${u.name}") alone: ${holder} is working on it.`);
    }
  }
  const all = scoped.filter((u) => !owned.includes(u));
  if (account !== null) return all;
  // Uploads whose key this run does not have are left alone, with a word on how to go on.
  const accounts = new Map(ctx.app.accounts.list().map((a) => [a.id, a]));
  const fromEnv = all.filter((u) => isEnvAccountId(u.accountId));
  const fromApp = all.filter((u) => accounts.get(u.accountId)?.isSandbox === true);
  if (!quiet && fromEnv.length > 0) {
    printError(
      `skipping ${fromEnv.length} upload(s) made with FIRMDROP_API_KEY: set FIRMDROP_API_URL and FIRMDROP_API_KEY as they were to resume them.`,
    );
  }
  if (!quiet && fromApp.length > 0) {
    printError(
      `skipping ${fromApp.length} upload(s) to the desktop app's built-in sandbox: resume them in the app.`,
    );
  }
  return all.filter((u) => !fromEnv.includes(u) && !fromApp.includes(u));
}

function hint(r: UploadReport, free: string): string {
  return `to upload it as ${shellQuote(free)}, run: firmdrop resume ${r.upload_id ?? ''} --name ${shellQuote(free)}`;
}
