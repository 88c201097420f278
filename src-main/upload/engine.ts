import { EventEmitter } from 'node:events';
import { FirmdropError, isFirmdropError } from '../core/errors';
import {
  canCancel,
  canPause,
  canResume,
  canRetry,
  nextState,
  stateAfterRestart,
  transition,
} from '../core/upload-state';
import type { Upload, UploadPatch } from '../store';
import { ProgressReporter } from './progress-reporter';
import { RateGates, sleep as realSleep } from './rate-gate';
import { RunContext, stopSignal } from './run-context';
import { runUpload } from './run-upload';
import { UploadStopped, type EngineDeps, type StopReason, type UploadSnapshot } from './types';
import { cleanUpCancelled } from './cancel';

interface Running {
  controller: AbortController;
  done: Promise<void>;
  reporter: ProgressReporter;
}

/**
 * The queue: runs up to `filesAtOnce` uploads at a time (each one's chunks strictly in order),
 * and turns the user's pause / resume / cancel / retry into aborts and journal states.
 * Events: 'changed' (UploadSnapshot), 'notice' (uploadId, message), 'network' (online).
 */
export class UploadEngine extends EventEmitter {
  private readonly running = new Map<string, Running>();
  private readonly waiting: string[] = [];
  private readonly gates: RateGates;
  private readonly now: () => number;
  private readonly idleWaiters: Array<() => void> = [];
  private offline = new Set<string>();

  constructor(private readonly deps: EngineDeps) {
    super();
    this.now = deps.now ?? Date.now;
    this.gates = new RateGates(this.now);
  }

  /** At start-up: uploads the journal shows mid-way become `interrupted`, to be resumed. */
  recover(): Upload[] {
    const found: Upload[] = [];
    for (const u of this.deps.store.uploads.listUnfinished()) {
      const state = stateAfterRestart(u.state);
      found.push(state === u.state ? u : this.deps.store.uploads.updateUpload(u.id, { state }));
    }
    return found;
  }

  /** Queues an upload the journal holds in state `queued`. */
  enqueue(id: string): void {
    if (this.running.has(id) || this.waiting.includes(id)) return;
    this.waiting.push(id);
    this.emitRow(this.get(id));
    this.pump();
  }

  pause(id: string): void {
    const u = this.get(id);
    if (!canPause(u.state)) transition(u.state, 'pause');
    const run = this.running.get(id);
    if (run) return stopSignal(run.controller, 'pause');
    this.dequeue(id);
    this.save(id, { state: 'paused' });
  }

  resume(id: string): void {
    const u = this.get(id);
    if (!canResume(u.state)) transition(u.state, 'resume');
    this.save(id, { state: transition(u.state, 'resume'), errorCode: null, errorMessage: null });
    this.enqueue(id);
  }

  /** Failed → queued again; also "try now" for one waiting for the network. */
  async retry(id: string, patch: Pick<UploadPatch, 'name'> = {}): Promise<void> {
    if (!canRetry(this.get(id).state)) transition(this.get(id).state, 'retry');
    const run = this.running.get(id);
    if (run) {
      stopSignal(run.controller, 'pause');
      await run.done;
    }
    const u = this.get(id);
    const state =
      nextState(u.state, 'retry') ?? nextState(u.state, 'resume') ?? transition(u.state, 'retry');
    this.save(id, { ...patch, state, errorCode: null, errorMessage: null, attempts: 0 });
    this.enqueue(id);
  }

  async cancel(id: string): Promise<void> {
    const u = this.get(id);
    if (!canCancel(u.state)) transition(u.state, 'cancel');
    const run = this.running.get(id);
    if (run) {
      stopSignal(run.controller, 'cancel');
      await run.done;
    } else {
      this.dequeue(id);
      await this.finishCancel(id);
    }
  }

  /** Stops every run; their uploads become `interrupted` and resume on the next start. */
  async shutdown(): Promise<void> {
    this.waiting.length = 0;
    const runs = [...this.running.values()];
    runs.forEach((r) => stopSignal(r.controller, 'shutdown'));
    await Promise.all(runs.map((r) => r.done));
  }

  /** Resolves when nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (this.running.size === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  snapshot(id: string): UploadSnapshot {
    const run = this.running.get(id);
    if (run) return run.reporter.snapshot();
    return new ProgressReporter(this.get(id), () => undefined, this.now).snapshot();
  }

  get online(): boolean {
    return this.offline.size === 0;
  }

  private pump(): void {
    const limit = Math.max(1, this.deps.settings().filesAtOnce);
    while (this.running.size < limit && this.waiting.length > 0) {
      const id = this.waiting.shift() as string;
      this.start(id);
    }
    if (this.running.size === 0 && this.waiting.length === 0) {
      this.idleWaiters.splice(0).forEach((r) => r());
    }
  }

  private start(id: string): void {
    const controller = new AbortController();
    const upload = this.get(id);
    const reporter = new ProgressReporter(upload, (s) => this.onSnapshot(s), this.now);
    const done = this.run(id, controller, reporter).finally(() => {
      this.running.delete(id);
      this.setOffline(id, false);
      this.pump();
    });
    this.running.set(id, { controller, done, reporter });
  }

  private async run(
    id: string,
    controller: AbortController,
    reporter: ProgressReporter,
  ): Promise<void> {
    try {
      const dm = await this.deps.client(this.get(id).accountId);
      const ctx = new RunContext(
        id,
        this.deps.store,
        dm,
        this.gates.for(this.get(id).accountId),
        reporter,
        this.deps.settings(),
        controller.signal,
        this.deps.sleep ?? realSleep,
        this.deps.random ?? Math.random,
        (message) => this.emit('notice', id, message),
      );
      ctx.event('start', { attempts: this.get(id).attempts + 1 });
      await runUpload(ctx);
    } catch (err) {
      await this.settle(id, err, reporter);
    }
  }

  private async settle(id: string, err: unknown, reporter: ProgressReporter): Promise<void> {
    const row = this.deps.store.uploads.getUpload(id);
    if (!row) return;
    if (err instanceof UploadStopped) return this.stopped(id, row, err.reason, reporter);
    const e = isFirmdropError(err)
      ? err
      : new FirmdropError(
          'internal',
          `Unexpected error: ${(err as Error)?.message ?? String(err)}`,
          { cause: err },
        );
    const state = nextState(row.state, 'fail') ?? 'failed';
    reporter.update(
      this.deps.store.uploads.updateUpload(id, {
        state,
        errorCode: e.code,
        errorMessage: e.message,
      }),
    );
    reporter.setProblem(e);
  }

  private async stopped(
    id: string,
    row: Upload,
    reason: StopReason,
    reporter: ProgressReporter,
  ): Promise<void> {
    if (reason === 'cancel') return this.finishCancel(id, reporter);
    const event = reason === 'pause' ? 'pause' : 'interrupt';
    // A pause that lands while the completing chunk is out cannot pause: it is interrupted instead.
    const state = nextState(row.state, event) ?? nextState(row.state, 'interrupt') ?? row.state;
    reporter.update(this.deps.store.uploads.updateUpload(id, { state }));
  }

  private async finishCancel(id: string, reporter?: ProgressReporter): Promise<void> {
    const row = this.get(id);
    const dm = await this.deps.client(row.accountId).catch(() => null);
    const note = dm
      ? await cleanUpCancelled(dm, row)
      : 'The account could not be reached; delete its upload job by hand.';
    const updated = this.deps.store.uploads.updateUpload(id, {
      state: 'cancelled',
      errorCode: null,
      errorMessage: note,
    });
    if (reporter) reporter.update(updated);
    else this.emitRow(updated);
  }

  private dequeue(id: string): void {
    const i = this.waiting.indexOf(id);
    if (i !== -1) this.waiting.splice(i, 1);
  }

  private save(id: string, patch: UploadPatch): void {
    this.emitRow(this.deps.store.uploads.updateUpload(id, patch));
  }

  private emitRow(u: Upload): void {
    this.onSnapshot(
      this.running.get(u.id)?.reporter.snapshot() ??
        new ProgressReporter(u, () => undefined, this.now).snapshot(),
    );
  }

  private onSnapshot(s: UploadSnapshot): void {
    this.setOffline(s.upload.id, s.phase === 'waiting-network');
    this.emit('changed', s);
  }

  private setOffline(id: string, offline: boolean): void {
    const before = this.online;
    if (offline) this.offline.add(id);
    else this.offline.delete(id);
    if (before !== this.online) this.emit('network', this.online);
  }

  private get(id: string): Upload {
    const u = this.deps.store.uploads.getUpload(id);
    if (!u)
      throw new FirmdropError(
        'not-found',
        `No upload with id ${id}. It may have been cleared from the list.`,
      );
    return u;
  }
}
