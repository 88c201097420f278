import type {
  FieldProblem,
  FileDigest,
  HostOutage,
  SameFileImage,
  StagedFile,
  UploadDraft,
} from '../../../src-main/app/contract';
import { ApiError, call, messageOf, shellKind, stageFiles } from '../api';
import { Debouncer } from '../debounce';
import { draftWaitNote } from '../network';
import { checkDraftLocally, mergeProblems, NAME_MAX } from '../problems';
import { accounts } from './accounts.svelte';
import { network } from './network.svelte';
import { uploads } from './uploads.svelte';

export { DESCRIPTION_MAX, NAME_MAX } from '../problems';
export const VALIDATE_DELAY_MS = 300;

type Validate = (draft: UploadDraft) => Promise<FieldProblem[]>;
/** The account's host when it is known not to answer (one of the service's outages), or null. */
type HostDown = (accountId: string) => Pick<HostOutage, 'host' | 'reason'> | null;

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

/** One staged file waiting for its name, description, encryption and account. */
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
  #hostDown: HostDown = () => null;

  localProblems = $derived([
    ...checkDraftLocally(this),
    ...(this.fileProblem ? [this.fileProblem] : []),
    ...this.#sameNameInBatch(),
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

  #debouncer: Debouncer;
  #validate: Validate;
  #checks: FileChecks;
  #sameFileSequence = 0;
  #disposed = false;
  #siblings: () => readonly Draft[];
  #sequence = 0;

  constructor(
    file: StagedFile,
    accountId: string,
    opts: {
      validate?: Validate;
      delayMs?: number;
      siblings?: () => readonly Draft[];
      hostDown?: HostDown;
      source?: File;
      checks?: FileChecks;
    } = {},
  ) {
    this.file = file;
    this.source = opts.source ?? null;
    this.name = defaultName(file.fileName);
    this.accountId = accountId;
    this.#validate = opts.validate ?? serverValidate;
    this.#checks = opts.checks ?? serviceFileChecks;
    this.#siblings = opts.siblings ?? (() => []);
    if (opts.hostDown) this.#hostDown = opts.hostDown;
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

  problemFor(field: FieldProblem['field']): FieldProblem | undefined {
    return this.problems.find((p) => p.field === field);
  }

  setName(value: string): void {
    this.name = value;
    this.scheduleValidation();
  }

  setDescription(value: string): void {
    this.description = value;
    this.scheduleValidation();
  }

  setAccount(id: string): void {
    this.accountId = id;
    this.scheduleValidation();
    void this.checkSameFile();
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
    this.sha256 = digest.sha256;
    await this.checkSameFile();
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
    // Stops the background hash (a removed draft's file is not read any further) or drops its result.
    if (this.file.size > 0) this.#checks.forget(this.file.ref);
  }
}

export class DraftsState {
  items = $state<Draft[]>([]);
  /** Files being handed to the service (spooled, in the web shell). */
  preparing = $state(0);
  starting = $state(false);
  error = $state<string | null>(null);

  ready = $derived(this.items.filter((d) => d.canStart));

  async addFiles(files: File[], accountId: string): Promise<void> {
    if (files.length === 0) return;
    this.preparing += files.length;
    this.error = null;
    try {
      const staged = await stageFiles(files);
      for (const [i, file] of staged.entries()) {
        const draft = new Draft(file, accountId, {
          siblings: () => this.items,
          hostDown: (id) => network.outageOf(accounts.byId(id)) ?? null,
          ...(files[i] ? { source: files[i] } : {}),
        });
        this.items.push(draft);
        void draft.validateNow();
        void draft.inspect();
      }
    } catch (err) {
      this.error = messageOf(err);
    } finally {
      this.preparing -= files.length;
    }
  }

  /** Drafts whose name is taken and for which the service offered a free one. */
  withSuggestion = $derived(this.items.filter((d) => d.suggestion !== undefined));

  /**
   * One account for every draft, and one description unless it is left empty (then each draft
   * keeps its own).
   */
  applyToAll(o: { accountId: string; description: string }): void {
    for (const draft of this.items) {
      if (o.accountId !== '' && draft.accountId !== o.accountId) draft.setAccount(o.accountId);
      if (o.description !== '') draft.setDescription(o.description);
    }
  }

  /**
   * Takes every suggested free name at once. The service suggests each without knowing the
   * batch, so two drafts of "fw.bin" both hear "fw.bin (2)": the second gets "(3)", and the
   * service checks every new name as usual.
   */
  applyAllSuggestions(): void {
    const taken = this.items.map((d) => `${d.accountId}\n${d.name.trim()}`);
    for (const draft of this.withSuggestion) {
      let name = draft.suggestion ?? '';
      while (taken.includes(`${draft.accountId}\n${name}`)) name = nextNumbered(name);
      taken.push(`${draft.accountId}\n${name}`);
      draft.applySuggestion(name);
    }
  }

  remove(draft: Draft): void {
    draft.dispose();
    this.items = this.items.filter((d) => d !== draft);
  }

  /** Starts the given drafts (default: every one that is ready) as one batch. */
  async start(which: Draft[] = this.ready): Promise<void> {
    const batch = which.filter((d) => d.canStart);
    if (batch.length === 0) return;
    this.starting = true;
    this.error = null;
    try {
      await this.#restage(batch);
      const added = await call('uploads:add', {
        uploads: batch.map((d) => ({
          file: d.file,
          accountId: d.accountId,
          name: d.name.trim(),
          description: d.description,
          encrypt: d.encrypt,
        })),
      });
      for (const upload of added) uploads.upsert(upload);
      for (const draft of batch) this.remove(draft);
    } catch (err) {
      if (shellKind() === 'web') for (const draft of batch) draft.restage = true;
      this.#showStartError(err, batch);
    } finally {
      this.starting = false;
    }
  }

  /** Stages again the files whose copies the web shell removed when their start was refused. */
  async #restage(batch: Draft[]): Promise<void> {
    const again = batch.filter((d) => d.restage && d.source);
    if (again.length === 0) return;
    this.preparing += again.length;
    try {
      const staged = await stageFiles(again.map((d) => d.source as File));
      again.forEach((draft, i) => {
        const file = staged[i];
        if (file) {
          draft.file = file;
          draft.restage = false;
        }
      });
    } finally {
      this.preparing -= again.length;
    }
  }

  #showStartError(err: unknown, batch: Draft[]): void {
    const field = err instanceof ApiError ? err.field : undefined;
    const only = batch.length === 1 ? batch[0] : undefined;
    if (only && (field === 'name' || field === 'description' || field === 'account')) {
      only.serverProblems = [
        {
          field,
          message: messageOf(err),
          ...(err instanceof ApiError && err.suggestion ? { suggestion: err.suggestion } : {}),
        },
      ];
      return;
    }
    this.error = messageOf(err);
  }
}

/** "fw (2)" → "fw (3)"; "fw" → "fw (2)": the service's own pattern for free names. */
export function nextNumbered(name: string): string {
  const m = /^(.*) \((\d+)\)$/.exec(name);
  return m ? `${m[1]} (${Number(m[2]) + 1})` : `${name} (2)`;
}

export const drafts = new DraftsState();
