import { formatBytes } from '../../../core/format';
import type { ListedJob, UploadChunk, UploadJob } from '../../../app/command-line';
import { countOption, expectPositionals, parseCommand, stringOption } from '../args';
import { deleteServerObject } from '../delete-server-object';
import { JOB, findJob } from '../find-server-object';
import { assertPrefixLength } from '../id-prefix';
import {
  formatFields,
  formatIsoTime,
  formatTable,
  printJson,
  printLine,
  printMoreNote,
  raiseLimit,
} from '../output';
import { idArgument } from '../id-argument';
import { CliUsageError } from '../usage';
import { withAccount } from '../with-account';

const SYNOPSIS =
  'firmdrop jobs list [--limit N] | jobs show <ID> | jobs chunks <ID> | jobs delete <ID> [--yes]  [--account NAME]';

/** `firmdrop jobs`: the account's upload jobs on the server and their chunks. */
export async function jobsCommand(args: string[]): Promise<number> {
  const { global, values, positionals } = parseCommand(
    args,
    {
      account: { type: 'string' },
      limit: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
    },
    SYNOPSIS,
  );
  const [sub, ...rest] = positionals;
  const account = stringOption(values, 'account');
  const max = countOption('limit', stringOption(values, 'limit'), 100_000);
  if (sub === 'list' || sub === undefined) {
    expectPositionals(rest, [], SYNOPSIS);
    const { items, more } = await withAccount(global, account, (app, a) =>
      app.server.listJobs(a.id, max),
    );
    if (global.json) printJson(items);
    else if (items.length === 0) printLine('The account has no upload jobs.');
    else printLine(jobsTable(items));
    if (more)
      printMoreNote(global, items.length, 'upload jobs', raiseLimit(items.length, 100_000, true));
    return 0;
  }
  if (sub !== 'show' && sub !== 'chunks' && sub !== 'delete') {
    throw new CliUsageError(`unknown jobs subcommand "${sub}". Usage: ${SYNOPSIS}`);
  }
  const text = idArgument(
    expectPositionals(rest, ['ID'], SYNOPSIS)[0] as string,
    'ID',
    '"firmdrop jobs list"',
  );
  assertPrefixLength(text, JOB);
  if (sub === 'show') {
    const job = await withAccount(global, account, (app, a) => findJob(app, a.id, text));
    if (global.json) printJson(job);
    else printLine(jobFields(job));
    return 0;
  }
  if (sub === 'chunks') {
    const { job, items, more } = await withAccount(global, account, async (app, a) => {
      const found = await findJob(app, a.id, text);
      return { job: found, ...(await app.server.listChunks(a.id, found.id, max)) };
    });
    if (global.json) printJson(items);
    else if (items.length === 0) printLine(`Upload job ${job.id} has no chunks yet.`);
    else printLine(chunksTable(items));
    if (more) printMoreNote(global, items.length, 'chunks', 'use a larger --limit');
    return 0;
  }
  return deleteServerObject({
    global,
    account,
    command: 'firmdrop jobs delete',
    kind: 'upload job',
    yes: values.yes === true,
    find: (app, a) => findJob(app, a.id, text),
    // The app refuses a job that belongs to an unfinished upload, as it does in the window.
    remove: (app, a, job) => app.server.deleteJob(a.id, job.id),
  });
}

function jobsTable(jobs: ListedJob[]): string {
  return formatTable(
    [
      { header: 'ID' },
      { header: 'NAME', max: 40 },
      { header: 'STATUS' },
      { header: 'IMAGE' },
      { header: 'CREATED' },
      // The local upload that keeps this job for resume ("firmdrop uploads cancel" deletes both).
      { header: 'LOCAL UPLOAD' },
    ],
    jobs.map((j) => [
      j.id,
      j.name,
      j.status,
      j.firmware_image_id ?? '',
      formatIsoTime(j.created_at),
      j.local_upload ? `${j.local_upload.id} (${j.local_upload.state})` : '',
    ]),
  );
}

function jobFields(j: UploadJob): string {
  return formatFields([
    ['id', j.id],
    ['name', j.name],
    ['description', j.description],
    ['status', j.status],
    ['completed', j.completed ? 'yes' : 'no'],
    ['firmware_image_id', j.firmware_image_id ?? ''],
    ['created_at', j.created_at],
    ['updated_at', j.updated_at],
  ]);
}

function chunksTable(chunks: UploadChunk[]): string {
  return formatTable(
    [
      { header: 'ID', align: 'right' },
      { header: 'LENGTH', align: 'right' },
      { header: 'SIZE', align: 'right' },
      { header: 'MD5' },
      { header: 'CREATED' },
    ],
    chunks.map((c) => [
      String(c.id),
      String(c.length),
      formatBytes(c.length),
      c.hash,
      formatIsoTime(c.created_at),
    ]),
  );
}
