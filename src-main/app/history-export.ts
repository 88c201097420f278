import { basename } from 'node:path';
import { describeRegion } from '../dm/regions';
import type { Account, Upload, UploadState } from '../store';
import type { HistoryExport, HistoryExportFormat, HistoryScope } from './contract';
import type { Runtime } from './runtime';

/** One upload in the audit trail: who uploaded which build where. Keys are the CSV's columns. */
export interface HistoryRow {
  /** The file's name (not its path). */
  file: string;
  image_name: string;
  account: string;
  region: string;
  size_bytes: number;
  sha256: string;
  image_id: string;
  datafile_url: string;
  verified: boolean;
  started_at: string;
  finished_at: string;
  status: string;
  /** The same for every account one file went to in one fan-out; empty for a single upload. */
  group_id: string;
}

export const HISTORY_COLUMNS = [
  'file',
  'image_name',
  'account',
  'region',
  'size_bytes',
  'sha256',
  'image_id',
  'datafile_url',
  'verified',
  'started_at',
  'finished_at',
  'status',
  'group_id',
] as const satisfies ReadonlyArray<keyof HistoryRow>;

/**
 * The local history as a CSV or JSON file, oldest upload first. The one builder behind the UI's
 * "Export" and the CLI's `firmdrop uploads --export csv|json`.
 */
export function historyExport(
  rt: Pick<Runtime, 'store'>,
  query: HistoryScope & { format: HistoryExportFormat; states?: readonly UploadState[] },
  now: Date = new Date(),
): HistoryExport {
  const accounts = new Map(rt.store.accounts.list().map((a) => [a.id, a]));
  const rows = allUploads(rt, query.accountId, query.states)
    .reverse()
    .map((u) => historyRow(u, accounts.get(u.accountId)));
  const day = now.toISOString().slice(0, 10);
  return query.format === 'csv'
    ? {
        fileName: `firmdrop-history-${day}.csv`,
        mimeType: 'text/csv',
        content: toCsv(rows),
        rows: rows.length,
      }
    : {
        fileName: `firmdrop-history-${day}.json`,
        mimeType: 'application/json',
        content: `${JSON.stringify(rows, null, 2)}\n`,
        rows: rows.length,
      };
}

/** Every upload of the journal (of one account, in some states, if given), newest first. */
function allUploads(
  rt: Pick<Runtime, 'store'>,
  accountId: string | undefined,
  states: readonly UploadState[] | undefined,
): Upload[] {
  const out: Upload[] = [];
  let before: string | undefined;
  for (;;) {
    const page = rt.store.uploads.listUploads({
      limit: 1000,
      ...(accountId ? { accountId } : {}),
      ...(states ? { states } : {}),
      ...(before ? { before } : {}),
    });
    out.push(...page);
    if (page.length < 1000) return out;
    before = page.at(-1)?.id;
  }
}

function historyRow(u: Upload, account: Account | undefined): HistoryRow {
  const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
  return {
    // The name the user knew: the web shell uploads a staged copy whose path means nothing later.
    file: basename(u.filePath),
    image_name: u.name,
    account: account?.name ?? '',
    region: account ? regionOf(account) : '',
    size_bytes: u.fileSize,
    sha256: u.sha256 ?? u.datafileChecksum ?? '',
    image_id: u.imageId ?? '',
    datafile_url: u.datafileUrl ?? '',
    verified: u.verified,
    started_at: iso(u.createdAt),
    finished_at: iso(u.finishedAt),
    status: u.state,
    group_id: u.groupId ?? '',
  };
}

function regionOf(a: Account): string {
  let host: string;
  try {
    host = new URL(a.baseUrl).host;
  } catch {
    return a.baseUrl;
  }
  return a.isSandbox ? `sandbox (${host})` : describeRegion(host);
}

/**
 * RFC 4180: CRLF line ends; a field holding a comma, a quote, CR or LF is quoted, quotes doubled.
 * A text field that a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading
 * apostrophe — image names and paths come from users. The JSON export keeps values exactly.
 */
function toCsv(rows: HistoryRow[]): string {
  const lines = [HISTORY_COLUMNS.join(',')];
  for (const row of rows) lines.push(HISTORY_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
