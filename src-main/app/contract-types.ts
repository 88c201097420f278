/**
 * The data that crosses the contract (./contract.ts): what the renderer is shown (views), what
 * it sends (inputs), and the settings. Types only, like the contract itself.
 */
import type { ContractError } from './contract';

export type RegionPreset = 'us' | 'eu' | 'jp';

export interface AccountView {
  id: string;
  name: string;
  baseUrl: string;
  region: RegionPreset | 'custom' | 'sandbox';
  isSandbox: boolean;
  displayName: string | null;
  dmAccountId: string | null;
  tier: string | null;
  hasKey: boolean;
  /** Where new drafts go (see `accounts:default`). At most one account has it. */
  isDefault: boolean;
}

export interface AddAccountInput {
  name: string;
  region: RegionPreset | 'custom';
  /** Required for 'custom': https://…, or http:// for loopback only. */
  baseUrl?: string;
  apiKey: string;
}

export interface Quota {
  used: number;
  limit: number;
}

export type KeychainState =
  { ok: true } | { ok: false; reason: 'unavailable' | 'locked' | 'timeout'; message: string };

export type UploadPhase =
  | 'queued'
  | 'checking'
  | 'hashing'
  | 'uploading'
  | 'finalising'
  | 'verifying'
  | 'done'
  | 'paused'
  | 'waiting-network'
  | 'failed'
  | 'cancelled'
  /** Found mid-way at start-up (crash, quit, power loss); resumes when asked. */
  | 'interrupted';

export interface UploadView {
  id: string;
  /**
   * Orders the views of an upload: a view made later has a higher revision (see views.ts). The
   * answer to an invoke and the event stream travel apart, so a view may arrive after a newer
   * one; the renderer keeps the higher revision.
   */
  revision: number;
  accountId: string;
  /**
   * The same id for every target of one fan-out (one file sent to several accounts in one
   * `uploads:add` or `firmdrop upload --account a,b`); null for a single-target upload.
   */
  groupId: string | null;
  fileName: string;
  filePath: string;
  name: string;
  description: string;
  encrypt: boolean;
  phase: UploadPhase;
  path: 'small' | 'job';
  /** Bytes per chunk fixed for this upload; null on the small path or while sizes adapt. */
  chunkSize: number | null;
  /** Bytes the server acknowledged (the journal's truth). */
  bytesAcked: number;
  /** Bytes on the wire (acknowledged plus the current request's): what the bar shows. */
  bytesSent: number;
  totalBytes: number;
  /** Smoothed, bytes per second; null until there is enough to say. */
  speed: number | null;
  etaSeconds: number | null;
  /**
   * `current`: the last chunk acknowledged; `sending`: the one on the wire; `total` is an
   * estimate when `estimated` (sizes adapt to the link). `label` is the CLI's wording too.
   */
  chunk: {
    current: number;
    total: number;
    estimated: boolean;
    sending: number | null;
    label: string;
  } | null;
  jobId: string | null;
  imageId: string | null;
  datafileUrl: string | null;
  /** What the service reports of the image (size, SHA-256; of the encrypted file when encrypted). */
  datafileSize: number | null;
  datafileChecksum: string | null;
  encryptedDatafileSize: number | null;
  encryptedDatafileChecksum: string | null;
  sha256: string | null;
  verified: boolean;
  error: ContractError | null;
  /** While it waits (for its host, or after a transient trouble): when it tries again by itself. */
  retryAt: string | null;
  /**
   * Another live Firmdrop process works on this upload (e.g. "the firmdrop command (process
   * 4242)"): its buttons belong to that process. Null when this one may act on it.
   */
  workedElsewhere: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** False once "Clear finished" took it off the queue; it stays in the local history. */
  inQueue: boolean;
  /**
   * A cancel waits for its undo window until this time; the server job is deleted only then.
   * Null when no cancel is pending.
   */
  cancelAt: string | null;
}

/** A file the renderer has handed over: a real path (desktop) or a spooled copy (web shell). */
export interface StagedFile {
  ref: string;
  fileName: string;
  size: number;
}

export interface NewUpload {
  file: StagedFile;
  accountId: string;
  name?: string;
  description?: string;
  encrypt?: boolean;
}

export interface UploadDraft {
  accountId: string;
  name: string;
  description: string;
  fileName: string;
}

/** A staged file's size and SHA-256, hashed in the background while its draft is reviewed. */
export interface FileDigest {
  size: number;
  sha256: string;
}

/** An image the account already holds with the same SHA-256 as a draft's file. */
export interface SameFileImage {
  id: string;
  name: string;
}

export interface FieldProblem {
  field: 'name' | 'description' | 'fileName' | 'account';
  message: string;
  suggestion?: string;
}

export interface ImageView {
  id: string;
  name: string;
  description: string;
  datafileUrl: string;
  datafileSize: number | null;
  datafileChecksum: string | null;
  encrypted: boolean;
  encryptedChecksum: string | null;
  encryptedSize: number | null;
  createdAt: string;
  /** True when a local upload of ours verified this exact image. */
  verifiedLocally: boolean;
}

export interface JobView {
  id: string;
  name: string;
  description: string;
  status: string;
  completed: boolean;
  firmwareImageId: string | null;
  createdAt: string;
  /** The local upload that owns this job, when it is one of ours. */
  uploadId: string | null;
}

export interface Page<T> {
  items: T[];
  after: string | null;
  hasMore: boolean;
  total: number | null;
}

export interface PageQuery {
  accountId: string;
  after?: string;
  limit?: number;
  search?: string;
}

export type Settings = {
  chunkSizeMiB: number;
  filesAtOnce: number;
  smallThresholdMiB: number;
  keepCompletedJobs: boolean;
  /** Upload bandwidth cap for all uploads together, KiB/s; 0: none. */
  limitRateKiB: number;
  /** The proxy without any user name and password ('' connects directly). */
  proxyUrl: string;
  /** A user name and password for the proxy are kept in the OS keychain; they never come here. */
  proxyHasCredentials: boolean;
  /**
   * A PEM file of extra CA certificates to trust for the service ('' none), e.g. a
   * TLS-inspecting proxy's. NODE_EXTRA_CA_CERTS is trusted as well.
   */
  caCertFile: string;
  theme: 'system' | 'light' | 'dark';
  /**
   * The account the user marked as where new drafts go ('' when none is marked). Set through
   * `accounts:set-default`, which checks the account exists; `accounts:default` resolves it.
   */
  defaultAccountId: string;
};

/** A proxy's login, sent from the renderer to be stored, never sent back. */
export interface ProxyCredentials {
  username: string;
  password: string;
}

/**
 * What settings:update takes. A `proxyUrl` with `user:password@` in it has them moved to the
 * keychain; `proxyCredentials` replaces them, or forgets them with null.
 */
export type SettingsPatch = Partial<Omit<Settings, 'proxyHasCredentials' | 'defaultAccountId'>> & {
  proxyCredentials?: ProxyCredentials | null;
};

/** An API host that does not answer; uploads to it wait, uploads to other hosts go on. */
export interface HostOutage {
  host: string;
  /** The accounts on that host, by name. */
  accounts: string[];
  /** What failed, in a technician's words. */
  reason: string;
  /** When Firmdrop asks the host again; null while it is asking. */
  nextTryAt: string | null;
  /** How many uploads wait for it. */
  uploads: number;
}

export interface NetworkState {
  /** False when any host that an upload needs does not answer. */
  online: boolean;
  outages: HostOutage[];
}

export interface AppInfo {
  version: string;
  online: boolean;
  outages: HostOutage[];
  keychain: KeychainState;
  notices: string[];
}

/**
 * An image's `payload:` section for Arm/Izuma manifest-tool, ready to paste into its config
 * (see app/manifest-payload.ts for the fields and where they were checked).
 */
export interface ManifestPayloadView {
  yaml: string;
  format: 'raw-binary' | 'encrypted-raw';
  /** The encrypted datafile's size and SHA-256 are given (encrypted.digest/size). */
  encrypted: boolean;
  /** False: `file-path` is left for the technician to fill in (a comment says so). */
  filePathKnown: boolean;
}

/** One image (by account and id, or by the verified upload that made it), or a fan-out's targets. */
export type ManifestPayloadQuery =
  { accountId: string; id: string } | { uploadId: string } | { groupId: string };

/** Which uploads of the local history an export or a deletion covers. */
export interface HistoryScope {
  /** One account's uploads; every account's when absent. */
  accountId?: string;
}

export type HistoryExportFormat = 'csv' | 'json';

/** The local history as a file: the audit trail of who uploaded which build where. */
export interface HistoryExport {
  fileName: string;
  mimeType: string;
  content: string;
  rows: number;
}

/** A fan-out in the local history: "fw-2.3.1.bin → 3 accounts, 3 verified". */
export interface UploadGroupSummary {
  groupId: string;
  fileName: string;
  /** Upload ids, in the order they were added. */
  uploadIds: string[];
  targets: number;
  verified: number;
  failed: number;
  cancelled: number;
  /** Neither verified, failed nor cancelled yet (queued, moving, paused, waiting). */
  active: number;
  /** `done` when every target is verified; `failed` when none is active and any failed or was cancelled. */
  state: 'active' | 'done' | 'failed';
  /** The history's one-line wording. */
  label: string;
}

/** Pushed when every upload this process was working on has stopped (done, failed, cancelled). */
export interface BatchEnded {
  done: number;
  failed: number;
  cancelled: number;
  /** A notification's words, the same in every shell. */
  title: string;
  body: string;
}
