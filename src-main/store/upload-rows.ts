import { FirmdropError } from '../core/errors';
import { UPLOAD_STATES, isTerminal } from '../core/upload-state';
import type { Upload, UploadPatch, UploadPath, UploadState } from './types';

/**
 * The terminal states (core's `isTerminal`) as an SQL list for `state IN (…)`. They are constants
 * of the code, never input; the pattern check keeps it that way.
 */
export const TERMINAL_STATES_SQL = UPLOAD_STATES.filter(isTerminal)
  .map((s) => {
    if (!/^[a-z-]+$/.test(s)) throw new Error(`unexpected upload state name ${s}`);
    return `'${s}'`;
  })
  .join(', ');

/**
 * The table has no CHECK on `state`: the vocabulary belongs to core/upload-state and grows with
 * the engine, and SQLite cannot change a CHECK without rebuilding the table. So it is checked here.
 */
export function checkState(state: string): UploadState {
  if (!(UPLOAD_STATES as readonly string[]).includes(state)) {
    throw new FirmdropError(
      'internal',
      `"${state}" is not an upload state (known: ${UPLOAD_STATES.join(', ')}). This is a bug in Firmdrop.`,
    );
  }
  return state as UploadState;
}

export interface UploadRow {
  id: string;
  account_id: string;
  file_path: string;
  file_size: number;
  file_mtime_ms: number;
  sha256: string | null;
  name: string;
  description: string;
  encryption: number;
  chunk_size: number | null;
  path: string;
  job_id: string | null;
  state: string;
  bytes_acked: number;
  image_id: string | null;
  datafile_url: string | null;
  datafile_checksum: string | null;
  datafile_size: number | null;
  encrypted_datafile_checksum: string | null;
  encrypted_datafile_size: number | null;
  verified: number;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  create_sent_at: number | null;
  complete_sent_at: number | null;
  preflight_pending: number;
  hidden_from_queue: number;
  cancel_at: number | null;
  group_id: string | null;
}

export function toUpload(r: UploadRow): Upload {
  return {
    id: r.id,
    accountId: r.account_id,
    filePath: r.file_path,
    fileSize: r.file_size,
    fileMtimeMs: r.file_mtime_ms,
    sha256: r.sha256,
    name: r.name,
    description: r.description,
    encryption: r.encryption === 1,
    chunkSize: r.chunk_size,
    // The CHECK constraints of the table guarantee these two.
    path: r.path as UploadPath,
    jobId: r.job_id,
    state: r.state as UploadState,
    bytesAcked: r.bytes_acked,
    imageId: r.image_id,
    datafileUrl: r.datafile_url,
    datafileChecksum: r.datafile_checksum,
    datafileSize: r.datafile_size,
    encryptedDatafileChecksum: r.encrypted_datafile_checksum,
    encryptedDatafileSize: r.encrypted_datafile_size,
    verified: r.verified === 1,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    createSentAt: r.create_sent_at,
    completeSentAt: r.complete_sent_at,
    preflightPending: r.preflight_pending === 1,
    hiddenFromQueue: r.hidden_from_queue === 1,
    cancelAt: r.cancel_at,
    groupId: r.group_id,
  };
}

/** The columns `updateUpload` may write, by domain field. Anything else in a patch is ignored. */
export const UPLOAD_PATCH_COLUMNS = {
  filePath: 'file_path',
  fileSize: 'file_size',
  fileMtimeMs: 'file_mtime_ms',
  sha256: 'sha256',
  name: 'name',
  description: 'description',
  encryption: 'encryption',
  chunkSize: 'chunk_size',
  path: 'path',
  state: 'state',
  imageId: 'image_id',
  datafileUrl: 'datafile_url',
  datafileChecksum: 'datafile_checksum',
  datafileSize: 'datafile_size',
  encryptedDatafileChecksum: 'encrypted_datafile_checksum',
  encryptedDatafileSize: 'encrypted_datafile_size',
  verified: 'verified',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  attempts: 'attempts',
  finishedAt: 'finished_at',
  createSentAt: 'create_sent_at',
  completeSentAt: 'complete_sent_at',
  preflightPending: 'preflight_pending',
  hiddenFromQueue: 'hidden_from_queue',
  cancelAt: 'cancel_at',
} as const satisfies Record<keyof UploadPatch, string>;
