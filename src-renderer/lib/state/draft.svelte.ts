import type {
  FieldProblem,
  FileDigest,
  HostOutage,
  SameFileImage,
  StagedFile,
  UploadDraft,
} from '../../../src-main/app/contract';
import { ApiError, call, messageOf } from '../api';
import { Debouncer } from '../debounce';
import { draftWaitNote } from '../network';
import { checkDraftLocally, mergeProblems, NAME_MAX } from '../problems';

export const VALIDATE_DELAY_MS = 300;

type Validate = (draft: UploadDraft) => Promise<FieldProblem[]>;
/** The account's host when it is known not to answer (one of the service's outages), or null. */
type HostDown = (accountId: string) => Pick<HostOutage, 'host' | 'reason'> | null;
/** Why an account has no room for another image (its quota is used up), or null. */
type QuotaProblem = (accountId: string) => string | null;

export interface DraftOptions {
  validate?: Validate;
  delayMs?: number;
  siblings?: () => readonly Draft[];
  hostDown?: HostDown;
  quotaProblem?: QuotaProblem;
  /** Told each account a draft targets, so its quota is read before the check needs it. */
  watchQuota?: (accountId: string) => void;
  source?: File;
  checks?: FileChecks;
}

const serverValidate: Validate = (draft) => call('uploads:validate', draft);

/** What a draft asks about its file in the background; the service's channels by default. */
export interface FileChecks {
  digest(ref: string): Promise<FileDigest>;
  sameFile(accountId: string, sha256: string): Promise<SameFileImage[]>;
  forget(ref: string): void;
}

const serviceFileChecks: FileChecks = {
  digest: (ref) => call('drafts:digest', { ref }),
  sameFile: (accountId, sha256) => call('images:same-file', { accountId, sha256 }),
  forget: (ref) => void call('drafts:forget', { ref }).catch(() => undefined),
};

// What makes a file itself impossible to upload; any other failure of the background check
// (the service busy, the hash stopped) only means no "already there" advice.
const FILE_CODES = new Set(['file-empty', 'file-missing', 'file-unreadable', 'invalid-input']);

function defaultName(fileName: string): string {
  return fileName.slice(0, NAME_MAX);
}

/**
 * One staged file waiting for its name, description, encryption and account: a draft card. A
 * fan-out adds further targets (`others`): the same file for other accounts, each a Draft of its
 * own with its own name check, quota check, suggestion and "already there" check. The card's
 * name, description and encryption go to every target; a target keeps its own name once it was
 * given one (a free name where the card's is taken).
 */
export class Draft {
  /** Replaced when the web shell's copy is staged again (same name and size). */
  file: StagedFile;
  /** The browser's own file, in the web shell: staged again after a refused start. */
  readonly source: File | null;
  /**
   * The web shell removes a refused batch's copies at once (they can be gigabytes); this draft's
   * file is staged again from `source` before it is started again.
   */
  restage = false;
  name = $state('');
  description = $state('');
  encrypt = $state(false);
  accountId = $state('');
  /** What the service said about the last values it saw. */
  serverProblems = $state<FieldProblem[]>([]);
  validating = $state(false);
  /**
   * The last name check could not get through to the host (the network, not a refusal): said
   * beside the draft, never blocking Start, since the upload waits for the network by itself.
   */
  unchecked = $state<string | null>(null);
  /** The file's SHA-256, once hashed in the background (null until then). */
  sha256 = $state<string | null>(null);
  /** Why the file itself cannot be uploaded, found by the background check. */
  fileProblem = $state<FieldProblem | null>(null);
  /** Images the chosen account already holds with this file's SHA-256: a warning, not a refusal. */
  sameFile = $state<SameFileImage[]>([]);
  /** Further accounts this file goes to (a fan-out); empty for a draft to one account. */
  others = $state<Draft[]>([]);
  /** A further target that was given a name of its own: the card's name no longer changes it. */
  ownName = $state(false);
  /** The service refused the start of this card's targets (it names the target and why). */
  refusal = $state<string | null>(null);
  #hostDown: HostDown = () => null;
  #quotaProblem: QuotaProblem = () => null;

  localProblems = $derived([
    ...checkDraftLocally(this),
    ...(this.fileProblem ? [this.fileProblem] : []),
    ...this.#sameNameInBatch(),
    ...this.#quotaFull(),
  ]);
  problems = $derived(mergeProblems(this.localProblems, this.serverProblems));
  /** Its account's host is known not to answer: the upload will wait for the network. */
  hostDown = $derived(this.#hostDown(this.accountId));
  /** What to say about the network beside the draft, or null. */
  waitNote = $derived(
    this.hostDown !== null
      ? draftWaitNote(this.hostDown.reason, this.hostDown.host)
      : this.unchecked !== null
        ? draftWaitNote(this.unchecked)
        : null,
  );
  // A name check against a host that does not answer only ends when its retries run out: with
  // the host known down, Start does not wait for it (the upload checks the name when it goes).
  canStart = $derived(
    (!this.validating || this.hostDown !== null) &&
      this.problems.length === 0 &&
      this.accountId !== '',
  );
  /** Every account the card's file goes to: this draft's own first. */
  targets: Draft[] = $derived([this, ...this.others]);
  /** All or nothing: the card starts only when every target may. */
  allReady = $derived(this.targets.every((t) => t.canStart));

  #debouncer: Debouncer;
  #validate: Validate;
  #checks: FileChecks;
  #sameFileSequence = 0;
  #disposed = false;
  #siblings: () => readonly Draft[];
  #sequence = 0;
  #opts: DraftOptions;
  /** A further target of another draft: the file is that draft's to forget. */
  #member: boolean;

  constructor(file: StagedFile, accountId: string, opts: DraftOptions = {}, member = false) {
    this.#opts = opts;
    this.#member = member;
    this.file = file;
    this.source = opts.source ?? null;
    this.name = defaultName(file.fileName);
    this.accountId = accountId;
    this.#validate = opts.validate ?? serverValidate;
    this.#checks = opts.checks ?? serviceFileChecks;
    this.#siblings = opts.siblings ?? (() => []);
    if (opts.hostDown) this.#hostDown = opts.hostDown;
    if (opts.quotaProblem) this.#quotaProblem = opts.quotaProblem;
    if (accountId) opts.watchQuota?.(accountId);
    this.#debouncer = new Debouncer(opts.delayMs ?? VALIDATE_DELAY_MS);
  }

  /** The service refuses a second image of the same name, so two drafts may not share one. */
  #sameNameInBatch(): FieldProblem[] {
    const name = this.name.trim();
    const twin = this.#siblings().find(
      (d) => d !== this && d.accountId === this.accountId && d.name.trim() === name,
    );
    if (!twin || name === '') return [];
    // The first of the twins keeps its name; the later ones are offered a numbered one, which
    // "Use all suggested names" takes (numbering on past the batch's other names).
    const siblings = this.#siblings();
    const later = siblings.indexOf(this) > siblings.indexOf(twin);
    return [
      {
        field: 'name',
        message: `"${twin.file.fileName}" in this batch has the same name. Give each file its own name.`,
        ...(later ? { suggestion: nextNumbered(name) } : {}),
      },
    ];
  }

  #quotaFull(): FieldProblem[] {
    const message = this.accountId ? this.#quotaProblem(this.accountId) : null;
    return message ? [{ field: 'account', message }] : [];
  }

  problemFor(field: FieldProblem['field']): FieldProblem | undefined {
    return this.problems.find((p) => p.field === field);
  }

  setName(value: string): void {
    this.name = value;
    this.refusal = null;
    if (this.#member) this.ownName = true;
    for (const other of this.others) {
      if (other.ownName) continue;
      other.name = value;
      other.scheduleValidation();
    }
    this.scheduleValidation();
  }

  setDescription(value: string): void {
    this.description = value;
    this.refusal = null;
    for (const other of this.others) other.setDescription(value);
    this.scheduleValidation();
  }

  setAccount(id: string): void {
    // The account chosen here may have been one of the further targets: it is one target, once.
    this.setTarget(id, false);
    this.accountId = id;
    this.refusal = null;
    if (id) this.#opts.watchQuota?.(id);
    this.scheduleValidation();
    void this.checkSameFile();
  }

  /** Adds or drops a further account for this file (a fan-out). The draft's own account stays. */
  setTarget(accountId: string, on: boolean): void {
    this.refusal = null;
    const had = this.others.find((t) => t.accountId === accountId);
    if (!on || accountId === this.accountId) {
      if (had) {
        had.dispose();
        this.others = this.others.filter((t) => t !== had);
      }
      return;
    }
    if (had) return;
    const target = new Draft(this.file, accountId, this.#opts, true);
    target.name = this.name;
    target.description = this.description;
    target.sha256 = this.sha256;
    this.others.push(target);
    void target.validateNow();
    void target.checkSameFile();
  }

  /**
   * Hashes the file in the background (the service does, off the UI), then asks the account
   * whether an image already has that SHA-256. An empty file is refused by checkDraftLocally at
   * once and never hashed.
   */
  async inspect(): Promise<void> {
    if (this.file.size === 0) return;
    let digest: FileDigest;
    try {
      digest = await this.#checks.digest(this.file.ref);
    } catch (err) {
      if (!this.#disposed && err instanceof ApiError && FILE_CODES.has(err.code)) {
        this.fileProblem = { field: 'fileName', message: err.message };
      }
      return;
    }
    if (this.#disposed) return;
    // One hash for the file: every target asks its own account about it.
    for (const target of this.targets) target.sha256 = digest.sha256;
    await Promise.all(this.targets.map((t) => t.checkSameFile()));
  }

  /** Asks the chosen account for images with this file's SHA-256; only the latest answer counts. */
  async checkSameFile(): Promise<void> {
    const mine = ++this.#sameFileSequence;
    const { sha256, accountId } = this;
    if (!sha256 || !accountId) {
      this.sameFile = [];
      return;
    }
    let found: SameFileImage[] = [];
    try {
      found = await this.#checks.sameFile(accountId, sha256);
    } catch {
      // Advice only: offline or refused, the card just has no warning.
    }
    if (mine === this.#sameFileSequence && !this.#disposed) this.sameFile = found;
  }

  /** The free name the service offered for this draft ("fw-1.2 (2)"), if any. */
  get suggestion(): string | undefined {
    return this.problemFor('name')?.suggestion;
  }

  /** Takes the free name the service offered ("fw-1.2 (2)") and checks it straight away. */
  applySuggestion(name = this.suggestion): void {
    if (!name) return;
    // The free name is free on this account only: the other targets keep the card's name.
    if (this.#member) this.ownName = true;
    for (const other of this.others) other.ownName = true;
    this.name = name;
    void this.validateNow();
  }

  scheduleValidation(): void {
    this.validating = true;
    this.#debouncer.schedule(() => void this.validateNow());
  }

  async validateNow(): Promise<void> {
    this.#debouncer.cancel();
    const mine = ++this.#sequence;
    this.validating = true;
    let problems: FieldProblem[];
    let unchecked: string | null = null;
    try {
      problems = await this.#validate(this.toUploadDraft());
    } catch (err) {
      // No answer from the host is no refusal: the upload may start and wait for the network.
      if (err instanceof ApiError && (err.code === 'network' || err.code === 'timeout')) {
        problems = [];
        unchecked = err.message;
      } else {
        problems = [{ field: 'account', message: messageOf(err) }];
      }
    }
    // An answer about values the user has since changed is worthless: only the latest counts.
    if (mine !== this.#sequence) return;
    this.serverProblems = problems;
    this.unchecked = unchecked;
    this.validating = false;
  }

  toUploadDraft(): UploadDraft {
    return {
      accountId: this.accountId,
      name: this.name,
      description: this.description,
      fileName: this.file.fileName,
    };
  }

  dispose(): void {
    this.#debouncer.cancel();
    this.#sequence++;
    this.#sameFileSequence++;
    this.#disposed = true;
    for (const other of this.others) other.dispose();
    // Stops the background hash (a removed draft's file is not read any further) or drops its result.
    if (this.file.size > 0 && !this.#member) this.#checks.forget(this.file.ref);
  }
}

/** "fw (2)" → "fw (3)"; "fw" → "fw (2)": the service's own pattern for free names. */
export function nextNumbered(name: string): string {
  const m = /^(.*) \((\d+)\)$/.exec(name);
  return m ? `${m[1]} (${Number(m[2]) + 1})` : `${name} (2)`;
}
