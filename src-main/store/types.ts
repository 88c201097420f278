/**
 * Domain shapes the store reads and writes (camelCase; the SQL columns are snake_case).
 * Timestamps are milliseconds since the epoch. No type here has a place for an API key:
 * keys live in the OS keychain (src-main/secrets), addressed by `Account.id`.
 */

/** The preset a user picked; a custom base URL (or the local sandbox) is 'custom'. */
export type RegionLabel = 'us-east-1' | 'eu-west-1' | 'ap-northeast-1' | 'custom';

/** `GET /v3/accounts/me` → tier: "0" free, "1" commercial, "2" partner. Kept as the server's string. */
export type AccountTier = string;

export interface Account {
  id: string;
  name: string;
  baseUrl: string;
  region: RegionLabel;
  dmAccountId: string | null;
  displayName: string | null;
  tier: AccountTier | null;
  isSandbox: boolean;
  createdAt: number;
  updatedAt: number;
}

export type NewAccount = Pick<Account, 'name' | 'baseUrl' | 'region'> &
  Partial<Pick<Account, 'id' | 'dmAccountId' | 'displayName' | 'tier' | 'isSandbox'>>;

export type AccountPatch = Partial<
  Pick<
    Account,
    'name' | 'baseUrl' | 'region' | 'dmAccountId' | 'displayName' | 'tier' | 'isSandbox'
  >
>;

/**
 * The journal uses the upload state machine of core/ (its states and what counts as terminal):
 * one vocabulary for the engine, the store and the UI.
 */
export type { UploadState } from '../core/upload-state';

import type { UploadState } from '../core/upload-state';

export type UploadPath = 'small' | 'job';

export interface Upload {
  id: string;
  accountId: string;
  filePath: string;
  fileSize: number;
  /** `fs.Stats.mtimeMs` as read when the upload was journaled (fractional; stored exactly). */
  fileMtimeMs: number;
  sha256: string | null;
  name: string;
  description: string;
  encryption: boolean;
  chunkSize: number | null;
  path: UploadPath;
  jobId: string | null;
  state: UploadState;
  bytesAcked: number;
  imageId: string | null;
  datafileUrl: string | null;
  datafileChecksum: string | null;
  datafileSize: number | null;
  encryptedDatafileChecksum: string | null;
  encryptedDatafileSize: number | null;
  verified: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** Set before the job (or small image) POST is sent: a lost answer is then looked up by name. */
  createSentAt: number | null;
  /** Set before the completing zero-length chunk is sent. */
  completeSentAt: number | null;
  /**
   * Journaled while the account's host was unreachable: the server-side pre-flight checks
   * (quota) have not run yet and must, before the first byte is sent. Cleared once they pass.
   */
  preflightPending: boolean;
  /** "Clear finished" took it off the queue; it stays in the local history. */
  hiddenFromQueue: boolean;
  /** A cancel waiting for its undo window to run out (ms); null when none is pending. */
  cancelAt: number | null;
  /** Shared by the targets of one fan-out (one file to several accounts); null otherwise. */
  groupId: string | null;
}

export type NewUpload = Pick<
  Upload,
  'accountId' | 'filePath' | 'fileSize' | 'fileMtimeMs' | 'name' | 'path'
> &
  Partial<
    Pick<
      Upload,
      | 'id'
      | 'description'
      | 'encryption'
      | 'chunkSize'
      | 'sha256'
      | 'state'
      | 'preflightPending'
      | 'groupId'
    >
  >;

/** Fields the engine may change after creation. `jobId` has its own call (setJob); a group is fixed. */
export type UploadPatch = Partial<
  Omit<Upload, 'id' | 'accountId' | 'createdAt' | 'updatedAt' | 'jobId' | 'bytesAcked' | 'groupId'>
>;

export interface ListUploadsOptions {
  states?: readonly UploadState[];
  accountId?: string;
  /** Page size; 1..1000. */
  limit: number;
  /** The id of the last upload of the previous page (newest first). */
  before?: string;
}

export interface ChunkPlan {
  idx: number;
  offset: number;
  length: number;
  /** Lower-case hex MD5 of the chunk's bytes (the wire wants base64; hex is easier to compare). */
  md5: string;
}

export interface UploadChunk extends ChunkPlan {
  uploadId: string;
  serverChunkId: number | null;
  acked: boolean;
  ackedAt: number | null;
}
