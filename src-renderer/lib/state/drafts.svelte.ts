import { ApiError, call, messageOf, shellKind, stageFiles } from '../api';
import { leftOut, quotaFullMessage } from '../fan-out';
import { accounts } from './accounts.svelte';
import { Draft, nextNumbered } from './draft.svelte';
import type { DraftOptions } from './draft.svelte';
import { network } from './network.svelte';
import { notices } from './notices.svelte';
import { uploads } from './uploads.svelte';

export { DESCRIPTION_MAX, NAME_MAX } from '../problems';
export { Draft, nextNumbered, VALIDATE_DELAY_MS } from './draft.svelte';
export type { FileChecks } from './draft.svelte';

export class DraftsState {
  items = $state<Draft[]>([]);
  /** Files being handed to the service (spooled, in the web shell). */
  preparing = $state(0);
  starting = $state(false);
  error = $state<string | null>(null);

  ready = $derived(this.items.filter((d) => d.allReady));
  /** Every account of every card: what the batch's name and suggestion rules look across. */
  targets = $derived(this.items.flatMap((d) => d.targets));

  /** How every draft of this list checks itself: the service's channels, the app's state. */
  #options(): DraftOptions {
    return {
      siblings: () => this.targets,
      hostDown: (id) => network.outageOf(accounts.byId(id)) ?? null,
      quotaProblem: (id) => {
        const quota = accounts.quotas[id];
        return quota?.kind === 'ok' ? quotaFullMessage(accounts.labelOf(id), quota.quota) : null;
      },
      // Read afresh when a draft targets the account (a batch asks once while the read is out).
      watchQuota: (id) => {
        if (accounts.quotas[id]?.kind !== 'loading') void accounts.refreshQuota(id);
      },
    };
  }

  async addFiles(files: File[], accountId: string): Promise<void> {
    if (files.length === 0) return;
    this.preparing += files.length;
    this.error = null;
    try {
      const staged = await stageFiles(files);
      for (const [i, file] of staged.entries()) {
        const draft = new Draft(file, accountId, {
          ...this.#options(),
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

  /** Targets whose name is taken and for which the service offered a free one. */
  withSuggestion = $derived(this.targets.filter((d) => d.suggestion !== undefined));

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
    const taken = this.targets.map((d) => `${d.accountId}\n${d.name.trim()}`);
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

  /**
   * Starts the given drafts (default: every one that is ready) as one batch, every target of
   * each: all or nothing. `partial` starts the targets that may go and leaves out the ones that
   * refuse (the user's explicit "Start the others anyway"); the service then does the same.
   */
  async start(which: Draft[] = this.ready, o: { partial?: boolean } = {}): Promise<void> {
    const partial = o.partial === true;
    const batch = which.filter((d) => (partial ? d.targets.some((t) => t.canStart) : d.allReady));
    if (batch.length === 0) return;
    const sent = batch.flatMap((d) =>
      (partial ? d.targets.filter((t) => t.canStart) : d.targets).map((t) => ({ d, t })),
    );
    this.starting = true;
    this.error = null;
    for (const draft of batch) draft.refusal = null;
    try {
      await this.#restage(batch);
      const added = await call('uploads:add', {
        uploads: sent.map(({ d, t }) => ({
          file: d.file,
          accountId: t.accountId,
          name: t.name.trim(),
          description: d.description,
          encrypt: d.encrypt,
        })),
        ...(partial ? { partial: true } : {}),
      });
      for (const upload of added) uploads.upsert(upload);
      if (partial) this.#sayLeftOut(batch, sent);
      for (const draft of batch) this.remove(draft);
    } catch (err) {
      if (shellKind() === 'web') for (const draft of batch) draft.restage = true;
      this.#showRefusedTargets(err, sent);
      this.#showStartError(err, batch);
    } finally {
      this.starting = false;
    }
  }

  /**
   * After a partial start: the targets that were not sent, so the choice is on record (the
   * service says itself which of the sent ones it refused).
   */
  #sayLeftOut(batch: Draft[], sent: { d: Draft; t: Draft }[]): void {
    for (const draft of batch) {
      const out = leftOut(
        draft.targets.map((t) => t.accountId),
        sent.filter((x) => x.d === draft).map((x) => x.t.accountId),
      );
      if (out.length === 0) continue;
      notices.push(
        'info',
        `${draft.file.fileName} was not started on ${out.map((id) => accounts.labelOf(id)).join(', ')}: drop it again to upload it there.`,
      );
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

  /** The service's pre-flight names each refused target: its reason goes on that target's row. */
  #showRefusedTargets(err: unknown, sent: { d: Draft; t: Draft }[]): void {
    if (!(err instanceof ApiError)) return;
    for (const refused of err.targets) {
      const target = sent[refused.index]?.t;
      if (!target) continue;
      target.serverProblems = [
        {
          field: refused.code === 'name-taken' ? 'name' : 'account',
          message: refused.message,
          ...(refused.suggestion ? { suggestion: refused.suggestion } : {}),
        },
      ];
    }
  }

  #showStartError(err: unknown, batch: Draft[]): void {
    const field = err instanceof ApiError ? err.field : undefined;
    const only = batch.length === 1 ? batch[0] : undefined;
    if (only && only.others.length > 0) {
      // A fan-out's refusal names the target and why: said on the card, beside its targets.
      only.refusal = messageOf(err);
      return;
    }
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

export const drafts = new DraftsState();
