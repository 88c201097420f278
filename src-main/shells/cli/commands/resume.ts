import { isEnvAccountId, type Account, type Upload } from '../../../app/command-line';
import { FirmdropError } from '../../../core/errors';
import { limitRateOption, parseCommand, stringOption } from '../args';
import { openContext, type CliContext } from '../context';
import { findUpload } from '../find-upload';
import { printError, printJson, shellQuote } from '../output';
import { resumeScope } from '../resume-scope';
import { runEngine } from '../run-engine';
import { createRunView } from '../run-view';
import { watchStopSignals } from '../signals';
import { printReports, reportUpload, succeeded, type UploadReport } from '../upload-report';
import { idArgument } from '../id-argument';
import { CliUsageError } from '../usage';

const SYNOPSIS =
  'firmdrop resume [UPLOAD_ID] [--account NAME] [--name N] [--limit-rate RATE] [--file PATH]';

/**
 * `firmdrop resume`: what a killed, stopped or failed run left in the journal is taken up again;
 * the engine asks the server what it holds first, so nothing is appended twice.
 */
export async function resumeCommand(args: string[]): Promise<number> {
  const { global, values, positionals } = parseCommand(
    args,
    {
      account: { type: 'string' },
      name: { type: 'string' },
      'limit-rate': { type: 'string' },
      file: { type: 'string' },
    },
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
  const moved = stringOption(values, 'file');
  if (moved !== undefined && wanted === undefined) {
    throw new CliUsageError(`--file gives one upload's file a new path: give its UPLOAD_ID too.`);
  }
  const stop = watchStopSignals();
  const limitRate = limitRateOption(stringOption(values, 'limit-rate'));
  const ctx = openContext(global, process.env, limitRate !== undefined ? { limitRate } : {});
  try {
    const { uploads } = ctx.app;
    // --account (or FIRMDROP_ACCOUNT), else the environment's key, limits resume to that account.
    const named = ctx.namedAccount(stringOption(values, 'account'));
    const fromEnv = named === null ? await ctx.envAccount() : null;
    const scope =
      wanted === undefined
        ? resumeScope(ctx, { named, fromEnv, quiet: global.quiet })
        : { todo: [await chosen(ctx, wanted, rename, fromEnv)], skipped: 0 };
    if (moved !== undefined) await relocate(ctx, scope.todo[0] as Upload, moved, global.quiet);
    const rows = scope.todo;
    // Work left for want of a key: reported by resumeScope, and never an exit 0.
    const left = scope.skipped > 0 ? 1 : 0;
    const todo = rows.filter((u) => u.state !== 'done');
    if (todo.length === 0) {
      const already = rows.map((u) =>
        reportUpload(uploads.view(u.id), ctx.accountName(u.accountId)),
      );
      if (global.json) printJson(already);
      else if (already.length === 0 && !global.quiet && !left) printError('nothing to resume.');
      else printReports(already, hint, global.json);
      return left;
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
    return reports.every(succeeded) ? left : 1;
  } finally {
    stop.dispose();
    await ctx.close();
  }
}

async function chosen(
  ctx: CliContext,
  id: string,
  rename: string | undefined,
  fromEnv: Account | null,
): Promise<Upload> {
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
  if (isEnvAccountId(u.accountId) && u.accountId !== fromEnv?.id) {
    const url = ctx.app.accounts.list().find((a) => a.id === u.accountId)?.baseUrl ?? '?';
    throw new FirmdropError(
      'unauthorized',
      `Upload ${u.id} ("${u.name}") was started with FIRMDROP_API_URL=${url}${fromEnv ? ' and another account’s FIRMDROP_API_KEY' : ''}; set FIRMDROP_API_URL and FIRMDROP_API_KEY again (as they were then) to resume it.`,
    );
  }
  return u;
}

/** `resume ID --file PATH`: the same file in a new place, checked before the journal changes. */
async function relocate(ctx: CliContext, u: Upload, path: string, quiet: boolean): Promise<void> {
  if (u.state === 'done') {
    throw new FirmdropError(
      'invalid-state',
      `Upload ${u.id} ("${u.name}") is done; there is nothing left to read from its file.`,
    );
  }
  const after = await ctx.app.uploads.relocate(u.id, path);
  if (!quiet) printError(`${u.name}: the file is now read from ${after.filePath}.`);
}

function hint(r: UploadReport, free: string): string {
  return `to upload it as ${shellQuote(free)}, run: firmdrop resume ${r.upload_id ?? ''} --name ${shellQuote(free)}`;
}
