/**
 * The one contract between Firmdrop's application service and every shell (Electron preload,
 * web bridge, CLI) and the renderer. It imports nothing at run time: the renderer imports it as
 * types only, and no API key ever appears in it (the renderer names an account; main fetches the key).
 */
import type { ErrorCode } from '../core/errors';

/** Results, not exceptions, cross the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export interface ContractError {
  code: ErrorCode;
  /** What happened and what to do next, written for a technician. */
  message: string;
  /** The input field the error is about, for inline display. */
  field?: string;
  /** A ready fix, e.g. a free name when the one asked for is taken. */
  suggestion?: string;
}

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
  accountId: string;
  fileName: string;
  filePath: string;
  name: string;
  description: string;
  encrypt: boolean;
  phase: UploadPhase;
  path: 'small' | 'job';
  bytesAcked: number;
  totalBytes: number;
  /** Smoothed, bytes per second; null until there is enough to say. */
  speed: number | null;
  etaSeconds: number | null;
  chunk: { current: number; total: number } | null;
  jobId: string | null;
  imageId: string | null;
  datafileUrl: string | null;
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
export type SettingsPatch = Partial<Omit<Settings, 'proxyHasCredentials'>> & {
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

/** Every command a shell can invoke. Channel names are `domain:verb`. */
export interface FirmdropApi {
  'app:info'(): Promise<Result<AppInfo>>;
  'accounts:list'(): Promise<Result<AccountView[]>>;
  'accounts:add'(input: AddAccountInput): Promise<Result<AccountView>>;
  'accounts:rename'(input: { id: string; name: string }): Promise<Result<AccountView>>;
  'accounts:remove'(input: { id: string }): Promise<Result<void>>;
  'accounts:test'(input: { id: string }): Promise<Result<AccountView>>;
  'accounts:quota'(input: { id: string }): Promise<Result<Quota>>;
  'uploads:validate'(input: UploadDraft): Promise<Result<FieldProblem[]>>;
  'uploads:add'(input: { uploads: NewUpload[] }): Promise<Result<UploadView[]>>;
  'uploads:list'(): Promise<Result<UploadView[]>>;
  'uploads:pause'(input: { id: string }): Promise<Result<void>>;
  'uploads:resume'(input: { id: string }): Promise<Result<void>>;
  'uploads:cancel'(input: { id: string }): Promise<Result<void>>;
  /** Retries a failed upload; `name` renames it first (the fix for a taken name). */
  'uploads:retry'(input: { id: string; name?: string }): Promise<Result<void>>;
  'uploads:clear-finished'(): Promise<Result<void>>;
  'images:list'(input: PageQuery): Promise<Result<Page<ImageView>>>;
  'images:get'(input: { accountId: string; id: string }): Promise<Result<ImageView>>;
  'images:delete'(input: { accountId: string; id: string }): Promise<Result<void>>;
  'jobs:list'(input: PageQuery): Promise<Result<Page<JobView>>>;
  'jobs:rename'(input: { accountId: string; id: string; name: string }): Promise<Result<JobView>>;
  'jobs:delete'(input: { accountId: string; id: string }): Promise<Result<void>>;
  'settings:get'(): Promise<Result<Settings>>;
  'settings:update'(input: SettingsPatch): Promise<Result<Settings>>;
}

export type Channel = keyof FirmdropApi;

/** Push events from the service to every shell. */
export interface FirmdropEvents {
  'upload:changed': UploadView;
  'upload:removed': { id: string };
  'accounts:changed': AccountView[];
  'network:changed': NetworkState;
  notice: { level: 'info' | 'warning' | 'error'; message: string };
}

export type EventName = keyof FirmdropEvents;

/** What the renderer finds at `window.firmdrop`, whichever shell provides it. */
export interface FirmdropBridge {
  invoke<C extends Channel>(
    channel: C,
    ...args: Parameters<FirmdropApi[C]>
  ): ReturnType<FirmdropApi[C]>;
  on<E extends EventName>(event: E, listener: (payload: FirmdropEvents[E]) => void): () => void;
  /** Hands dropped or picked files to the service: a path on the desktop, a spooled copy on the web. */
  stageFiles(files: File[]): Promise<Result<StagedFile[]>>;
  readonly shell: 'electron' | 'web';
}

/** The allowlist every transport checks; kept beside the interface so the two cannot drift. */
export const CHANNELS = [
  'app:info',
  'accounts:list',
  'accounts:add',
  'accounts:rename',
  'accounts:remove',
  'accounts:test',
  'accounts:quota',
  'uploads:validate',
  'uploads:add',
  'uploads:list',
  'uploads:pause',
  'uploads:resume',
  'uploads:cancel',
  'uploads:retry',
  'uploads:clear-finished',
  'images:list',
  'images:get',
  'images:delete',
  'jobs:list',
  'jobs:rename',
  'jobs:delete',
  'settings:get',
  'settings:update',
] as const satisfies readonly Channel[];

export const EVENTS = [
  'upload:changed',
  'upload:removed',
  'accounts:changed',
  'network:changed',
  'notice',
] as const satisfies readonly EventName[];

// Compile-time proof that the allowlists name every channel and event of the interfaces.
type MissingChannel = Exclude<Channel, (typeof CHANNELS)[number]>;
type MissingEvent = Exclude<EventName, (typeof EVENTS)[number]>;
export const allChannelsListed: [MissingChannel] extends [never] ? true : MissingChannel = true;
export const allEventsListed: [MissingEvent] extends [never] ? true : MissingEvent = true;
