import { formatBytes } from '../../../core/format';
import { UPLOAD_STATES, isActive } from '../../../core/upload-state';
import type { Upload, UploadState } from '../../../app/command-line';
import { countOption, expectPositionals, parseCommand, stringOption, type Parsed } from '../args';
import { openContext, type CliContext } from '../context';
import { findUpload } from '../find-upload';
import { formatTable, formatTime, printJson, printLine } from '../output';
import { watchStopSignals } from '../signals';
import { idArgument } from '../id-argument';
import { CliUsageError } from '../usage';

const SYNOPSIS =
  'firmdrop uploads [--state S] [--account NAME] [--limit N] | uploads cancel <UPLOAD_ID>';

/** `firmdrop uploads`: the local journal, newest first; `uploads cancel ID` stops one for good. */
export async function uploadsCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      state: { type: 'string', multiple: true },
      account: { type: 'string' },
      limit: { type: 'string' },
    },
    SYNOPSIS,
  );
  const [sub, ...rest] = parsed.positionals;
  if (sub === 'cancel') {
    const id = expectPositionals(rest, ['UPLOAD_ID'], SYNOPSIS)[0] as string;
    return cancel(parsed, idArgument(id, 'UPLOAD_ID', '"firmdrop uploads"'));
  }
  if (sub !== undefined && sub !== 'list') {
    throw new CliUsageError(`unknown uploads subcommand "${sub}". Usage: ${SYNOPSIS}`);
  }
  expectPositionals(rest, [], SYNOPSIS);
  const states = stateFilter(parsed.values.state);
  const limit = countOption('limit', stringOption(parsed.values, 'limit'), 1000) ?? 50;
  const ctx = openContext(parsed.global);
  try {
    const name = stringOption(parsed.values, 'account');
    const accountId = name === undefined ? undefined : (await ctx.selectAccount(name)).id;
    const rows = ctx.app.uploads.list({ states, accountId, limit });
    if (parsed.global.json) printJson(rows.map((u) => uploadJson(ctx, u)));
    else if (rows.length === 0) printLine('No uploads in the journal yet.');
    else printLine(uploadsTable(ctx, rows));
    return 0;
  } finally {
    await ctx.close();
  }
}

function stateFilter(value: Parsed['values'][string]): UploadState[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [String(value)]).flatMap((v) => v.split(','));
  for (const s of list) {
    if (!(UPLOAD_STATES as readonly string[]).includes(s)) {
      throw new CliUsageError(`--state takes one of ${UPLOAD_STATES.join(', ')}; got "${s}"`);
    }
  }
  return list as UploadState[];
}

export function uploadsTable(ctx: CliContext, rows: Upload[]): string {
  return formatTable(
    [
      { header: 'ID' },
      { header: 'STATE' },
      { header: 'NAME', max: 40 },
      { header: 'SIZE', align: 'right' },
      { header: 'ACCOUNT' },
      { header: 'VERIFIED' },
      { header: 'CREATED' },
      { header: 'ERROR', max: 80 },
    ],
    rows.map((u) => [
      u.id,
      shownState(ctx, u),
      u.name,
      formatBytes(u.fileSize),
      ctx.accountName(u.accountId),
      u.verified ? 'yes' : 'no',
      formatTime(u.createdAt),
      u.errorMessage ?? '',
    ]),
  );
}

/**
 * The journal's state, except that an upload that says it is moving while no live process works
 * on it (its process was killed or crashed) is shown as what it is: interrupted, to be resumed.
 */
function shownState(ctx: CliContext, u: Upload): UploadState {
  const moving = isActive(u.state) || u.state === 'queued' || u.state === 'waiting-network';
  if (!moving) return u.state;
  return ctx.app.uploads.workedElsewhere(u.id) !== null ? u.state : 'interrupted';
}

function uploadJson(ctx: CliContext, u: Upload) {
  return {
    id: u.id,
    state: shownState(ctx, u),
    name: u.name,
    description: u.description,
    file: u.filePath,
    size: u.fileSize,
    sha256: u.sha256,
    encrypted: u.encryption,
    account: ctx.accountName(u.accountId),
    /** Shared by the targets of one fan-out; null for an upload to one account. */
    group_id: u.groupId,
    path: u.path,
    chunk_size: u.chunkSize,
    upload_job_id: u.jobId,
    bytes_acked: u.bytesAcked,
    verified: u.verified,
    firmware_image_id: u.imageId,
    datafile: u.datafileUrl,
    datafile_size: u.datafileSize,
    datafile_checksum: u.datafileChecksum,
    error: u.errorMessage,
    error_code: u.errorCode,
    created_at: new Date(u.createdAt).toISOString(),
    finished_at: u.finishedAt === null ? null : new Date(u.finishedAt).toISOString(),
  };
}

async function cancel(parsed: Parsed, id: string): Promise<number> {
  const stop = watchStopSignals();
  const ctx = openContext(parsed.global);
  try {
    const { uploads } = ctx.app;
    const u = findUpload(ctx.app, id);
    // The environment's key can delete the upload job of an upload it made.
    if (ctx.env !== null) await ctx.selectAccount(undefined);
    // Only the process that works on an upload may stop it; a gone one's is taken over.
    await uploads.cancel(u.id);
    const after = uploads.get(u.id) as Upload;
    if (parsed.global.json) printJson(uploadJson(ctx, after));
    else printLine(`${after.name}: ${after.errorMessage ?? 'cancelled.'}`);
    return 0;
  } finally {
    stop.dispose();
    await ctx.close();
  }
}
