/**
 * The one contract between Firmdrop's application service and every shell (Electron preload,
 * web bridge, CLI) and the renderer. It imports nothing at run time: the renderer imports it as
 * types only, and no API key ever appears in it (the renderer names an account; main fetches the key).
 */
import type { ErrorCode } from '../core/errors';
import type {
  AccountView,
  AddAccountInput,
  AppInfo,
  BatchEnded,
  FieldProblem,
  FileDigest,
  HistoryExport,
  HistoryExportFormat,
  HistoryScope,
  ImageView,
  JobView,
  ManifestPayloadQuery,
  ManifestPayloadView,
  NetworkState,
  NewUpload,
  Page,
  PageQuery,
  Quota,
  SameFileImage,
  Settings,
  SettingsPatch,
  StagedFile,
  UploadDraft,
  UploadView,
} from './contract-types';

export type * from './contract-types';

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
  /**
   * `uploads:add` refused by its pre-flight: one entry per refused target (file × account), so a
   * fan-out can show which account refused and why. `message` names them too.
   */
  targets?: TargetRefusal[];
}

/** One target (a file to one account) that the pre-flight refused. */
export interface TargetRefusal {
  /** Index of the refused entry in `uploads:add`'s `uploads`. */
  index: number;
  accountId: string;
  /** The account's name, as the user named it. */
  accountName: string;
  fileName: string;
  code: ErrorCode;
  /** Why, in a technician's words (without the account and file names). */
  message: string;
  /** The same in the command line's words (its flags, not the window's fields), when they differ. */
  cliMessage?: string;
  /** A ready fix, e.g. a free name on that account. */
  suggestion?: string;
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
  /**
   * Where new drafts go: the account the user marked, else the only account, else none (the
   * user chooses). Adding an account never changes it.
   */
  'accounts:default'(): Promise<Result<{ accountId: string | null }>>;
  'accounts:set-default'(input: { id: string }): Promise<Result<AccountView[]>>;
  'uploads:validate'(input: UploadDraft): Promise<Result<FieldProblem[]>>;
  /** Hashes a staged file (in the background; asked twice, it answers once). 0 bytes: file-empty. */
  'drafts:digest'(input: { ref: string }): Promise<Result<FileDigest>>;
  /** The draft was removed: its hash stops (a pending digest ends `cancelled`). */
  'drafts:forget'(input: { ref: string }): Promise<Result<void>>;
  /** Images on the account whose datafile has this SHA-256 (datafile_checksum__eq). */
  'images:same-file'(input: {
    accountId: string;
    sha256: string;
  }): Promise<Result<SameFileImage[]>>;
  /**
   * Starts uploads. Entries that share one `file.ref` with different `accountId`s are one fan-out
   * group (one `groupId`; the file is read and hashed once for all). Pre-flight is all or nothing
   * across the whole call: when any target is refused nothing is journaled and the error lists
   * every refused target in `targets` (its message names them). With `partial`, refused targets
   * are skipped: the others start and come back; each refusal is also pushed as a warning
   * `notice`. With `partial` and every target refused, the error is returned as without it.
   */
  'uploads:add'(input: { uploads: NewUpload[]; partial?: boolean }): Promise<Result<UploadView[]>>;
  'uploads:list'(): Promise<Result<UploadView[]>>;
  'uploads:pause'(input: { id: string }): Promise<Result<void>>;
  'uploads:resume'(input: { id: string }): Promise<Result<void>>;
  /**
   * Stops the upload at once; in a window the server job is deleted only when the undo window
   * (`cancelAt`) runs out. Null `cancelAt`: cancelled already (no window in this shell).
   */
  'uploads:cancel'(input: { id: string }): Promise<Result<{ cancelAt: string | null }>>;
  'uploads:undo-cancel'(input: { id: string }): Promise<Result<void>>;
  /** Retries a failed upload; `name` renames it first (the fix for a taken name). */
  'uploads:retry'(input: { id: string; name?: string }): Promise<Result<void>>;
  /** Takes finished uploads off the queue; the local history keeps them. */
  'uploads:clear-finished'(): Promise<Result<void>>;
  /** Deletes finished uploads from the local history (never unfinished ones). */
  'history:delete'(input: HistoryScope): Promise<Result<{ deleted: number }>>;
  'history:export'(
    input: HistoryScope & { format: HistoryExportFormat },
  ): Promise<Result<HistoryExport>>;
  'images:list'(input: PageQuery): Promise<Result<Page<ImageView>>>;
  'images:get'(input: { accountId: string; id: string }): Promise<Result<ImageView>>;
  'images:delete'(input: { accountId: string; id: string }): Promise<Result<void>>;
  /** "Copy for manifest-tool": the image's payload section (file-path from the local history). */
  'images:manifest-payload'(input: ManifestPayloadQuery): Promise<Result<ManifestPayloadView>>;
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
  'batch:ended': BatchEnded;
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
  /**
   * The event stream was lost and is back (the web shell's Server-Sent Events after a sleeping
   * laptop or a network blip): events sent meanwhile are gone, so what they told is read again.
   * Absent where events cannot be lost (Electron's IPC).
   */
  onReconnect?(listener: () => void): () => void;
  /** Hands dropped or picked files to the service: a path on the desktop, a spooled copy on the web. */
  stageFiles(files: File[]): Promise<Result<StagedFile[]>>;
  /**
   * Saves the local history export where the user says: a download in the browser, a save dialog
   * on the desktop. `saved` is false when the user closed the dialog.
   */
  saveHistoryExport(
    input: HistoryScope & { format: HistoryExportFormat },
  ): Promise<Result<{ saved: boolean; rows: number }>>;
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
  'accounts:default',
  'accounts:set-default',
  'uploads:validate',
  'drafts:digest',
  'drafts:forget',
  'images:same-file',
  'uploads:add',
  'uploads:list',
  'uploads:pause',
  'uploads:resume',
  'uploads:cancel',
  'uploads:undo-cancel',
  'uploads:retry',
  'uploads:clear-finished',
  'history:delete',
  'history:export',
  'images:list',
  'images:get',
  'images:delete',
  'images:manifest-payload',
  'jobs:list',
  'jobs:rename',
  'jobs:delete',
  'settings:get',
  'settings:update',
] as const satisfies readonly Channel[];

/**
 * The one desktop-only channel: main runs `history:export` and shows a save dialog, so the page
 * never names a path to write to. The web shell downloads the same export instead.
 */
export const SAVE_HISTORY_EXPORT_CHANNEL = 'shell:save-history-export';

export const EVENTS = [
  'upload:changed',
  'upload:removed',
  'accounts:changed',
  'network:changed',
  'batch:ended',
  'notice',
] as const satisfies readonly EventName[];

// Compile-time proof that the allowlists name every channel and event of the interfaces.
type MissingChannel = Exclude<Channel, (typeof CHANNELS)[number]>;
type MissingEvent = Exclude<EventName, (typeof EVENTS)[number]>;
export const allChannelsListed: [MissingChannel] extends [never] ? true : MissingChannel = true;
export const allEventsListed: [MissingEvent] extends [never] ? true : MissingEvent = true;
