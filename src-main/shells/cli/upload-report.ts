import type { ContractError, UploadPhase, UploadView } from '../../app/contract';
import { formatBytes } from '../../core/format';
import { errorMessage, printError, printLine } from './output';

/**
 * The result of one file of `upload` / `resume`, as printed by --json (one array of these).
 * snake_case like the service's own JSON; fields the service reports keep its names.
 */
export interface UploadReport {
  file: string;
  name: string;
  upload_id: string | null;
  account: string;
  /** Shared by the targets of one fan-out (one file to several accounts); null otherwise. */
  group_id: string | null;
  /** The journal's state; `rejected` failed pre-flight, `not-started` passed it but another file did not. */
  state: UploadPhase | 'rejected' | 'not-started';
  verified: boolean;
  size: number | null;
  /** SHA-256 of the local file, hex. */
  sha256: string | null;
  encrypted: boolean;
  firmware_image_id: string | null;
  datafile: string | null;
  datafile_size: number | null;
  datafile_checksum: string | null;
  encrypted_datafile_size: number | null;
  encrypted_datafile_checksum: string | null;
  error: string | null;
  error_code: string | null;
  /** A free name to use instead of a taken one. */
  suggestion: string | null;
}

/**
 * One upload as the contract's view shows it. `problem` is the last error the run reported (it
 * carries the suggestion, which the journal keeps no copy of).
 */
export function reportUpload(
  view: UploadView,
  account: string,
  problem?: ContractError | null,
): UploadReport {
  const failed = view.phase !== 'done' && view.phase !== 'cancelled';
  const error = problem ?? view.error;
  return {
    file: view.filePath,
    name: view.name,
    upload_id: view.id,
    account,
    group_id: view.groupId,
    state: view.phase,
    verified: view.verified,
    size: view.totalBytes,
    sha256: view.sha256,
    encrypted: view.encrypt,
    firmware_image_id: view.imageId,
    datafile: view.datafileUrl,
    datafile_size: view.datafileSize,
    datafile_checksum: view.datafileChecksum,
    encrypted_datafile_size: view.encryptedDatafileSize,
    encrypted_datafile_checksum: view.encryptedDatafileChecksum,
    error: failed ? (error?.message ?? null) : null,
    error_code: failed ? (error?.code ?? null) : null,
    suggestion: failed ? (problem?.suggestion ?? null) : null,
  };
}

export function reportRefused(
  file: string,
  name: string,
  account: string,
  err: unknown,
): UploadReport {
  const e = err as Partial<ContractError>;
  return {
    ...emptyReport(file, name, account),
    state: 'rejected',
    error: errorMessage(err),
    error_code: typeof e.code === 'string' ? e.code : 'internal',
    suggestion: typeof e.suggestion === 'string' ? e.suggestion : null,
  };
}

export function reportNotStarted(file: string, name: string, account: string): UploadReport {
  return {
    ...emptyReport(file, name, account),
    state: 'not-started',
    error: 'Not started: another file of this command was refused, so none was uploaded.',
    error_code: 'cancelled',
  };
}

function emptyReport(file: string, name: string, account: string): UploadReport {
  return {
    file,
    name,
    upload_id: null,
    account,
    group_id: null,
    state: 'rejected',
    verified: false,
    size: null,
    sha256: null,
    encrypted: false,
    firmware_image_id: null,
    datafile: null,
    datafile_size: null,
    datafile_checksum: null,
    encrypted_datafile_size: null,
    encrypted_datafile_checksum: null,
    error: null,
    error_code: null,
    suggestion: null,
  };
}

export const succeeded = (r: UploadReport): boolean => r.state === 'done' && r.verified;

/**
 * People's output: a line on stdout per verified upload (not with --json), and on stderr what went
 * wrong with each other one and how to go on. `renameHint` turns a free name into the command that would use it.
 */
export function printReports(
  reports: UploadReport[],
  renameHint: (r: UploadReport, name: string) => string,
  json: boolean,
  /** A fan-out: each line names its account ("fw.bin → eu-prod: …"). */
  byAccount = false,
): void {
  for (const r of reports) {
    const label = byAccount ? `${r.name} → ${r.account}` : r.name;
    if (succeeded(r)) {
      // With --json, stdout holds the JSON document alone.
      if (!json)
        printLine(
          `${label}: uploaded and verified as image ${r.firmware_image_id ?? '?'} (${formatBytes(r.size ?? 0)}, SHA-256 ${r.sha256 ?? '?'})`,
        );
      continue;
    }
    if (r.state === 'not-started') continue;
    const text = problemText(r);
    printError(r.state === 'rejected' ? text : `${label}: ${text}`);
    if (r.suggestion) printError(renameHint(r, r.suggestion));
  }
}

function problemText(r: UploadReport): string {
  const id = r.upload_id ?? '';
  switch (r.state) {
    case 'interrupted':
    case 'paused':
    case 'queued':
    case 'waiting-network':
      return `${r.state === 'paused' ? 'paused' : 'interrupted'}; run "firmdrop resume ${id}" to finish it.`;
    case 'cancelled':
      return r.error ?? 'cancelled.';
    case 'done':
      return `uploaded, but not verified: ${r.error ?? 'the image could not be checked'}.`;
    case 'failed':
      return `${r.error ?? 'failed.'} Run "firmdrop resume ${id}" to try again.`;
    default:
      return r.error ?? `stopped in state ${r.state}.`;
  }
}
