import { FirmdropError } from '../core/errors';
import { Emitter, type Event } from '../core/event';
import {
  canCancel,
  canPause,
  canResume,
  canRetry,
  isActive,
  nextState,
  stateAfterRestart,
  transition,
} from '../core/upload-state';
import type { Upload, UploadPatch } from '../store';
import type { Lease } from '../store/leases-repo';
import type { HostOutage } from './host-watch';
import { Ownership } from './ownership';
import {
  journalOf,
  systemClock,
  type Clock,
  type UploadJournal,
  type UploadService,
} from './ports';
import { ProgressReporter } from './progress-reporter';
import { RunEndings } from './run-endings';
import { BandwidthLimiter, RateGates } from './rate-gate';
import { DEFAULT_CHUNK } from '../core/limits';
import { FanOuts } from './fan-out';
import { mayStartOnHost, slotNeedOf, type HostedNeed } from './slots';
import { WaitingRoom } from './waiting-room';
import { UploadRun, asError, type RunEnding } from './upload-run';
import type { EngineDeps, StopReason, UploadSnapshot } from './types';

interface Running {
  reporter: ProgressReporter;
  /** Set when stop() came before the run object existed (its client was still being made). */
  stopReason: StopReason | null;
  run: UploadRun | null;
  done: Promise<void>;
  /** Its file's size and chunk size, and its host: how much of a slot it takes (see slots.ts). */
  need: HostedNeed;
}

/**
 * The queue of one process: runs up to `filesAtOnce` uploads at a time (each one's chunks
 * strictly in order), parks uploads whose host does not answer (they keep no slot, so uploads
 * to other hosts go on), and turns the user's pause / resume / cancel / retry into stops and
 * journal states. It works only on uploads whose lease it holds (see Ownership).
 */
export class UploadEngine {
  private readonly running = new Map<string, Running>();
  private readonly queue: string[] = [];
  private readonly waiting: WaitingRoom;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly clock: Clock;
  private readonly journal: UploadJournal;
  private readonly gates: RateGates;
  private readonly limiter: BandwidthLimiter;
  private readonly fanOuts: FanOuts;
  private readonly endings: RunEndings;
  readonly ownership: Ownership;

  private readonly changed = new Emitter<UploadSnapshot>();
  private readonly noticed = new Emitter<{ uploadId: string; message: string }>();
  private readonly reachability = new Emitter<HostOutage[]>();
  /** An upload's state or progress changed (progress a few times a second at most). */
  readonly onDidChange: Event<UploadSnapshot> = this.changed.event;
  /** Something the user should know that is not an error: a job restarted, a duplicate build. */
  readonly onNotice: Event<{ uploadId: string; message: string }> = this.noticed.event;
  /** The hosts that do not answer changed (empty: every host this engine needs answers). */
  readonly onReachability: Event<HostOutage[]> = this.reachability.event;

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? systemClock;
    this.journal = journalOf(deps.store);
    this.gates = new RateGates(this.clock);
    this.limiter = new BandwidthLimiter(this.clock, null);
    this.fanOuts = new FanOuts(deps.store, deps.openReader);
    this.ownership = new Ownership(deps.store, this.clock, deps.kind ?? 'app');
    this.endings = new RunEndings({
      journal: this.journal,
      ownership: this.ownership,
      client: deps.client,
      find: (id) => deps.store.uploads.getUpload(id),
      get: (id) => this.get(id),
      emitRow: (u) => this.emitRow(u),
    });
    this.waiting = new WaitingRoom(this.clock, {
      back: (id) => this.hostBack(id),
      gaveUp: (id, last) => this.gaveUpWaiting(id, last),
      changed: (outages) => this.outagesChanged(outages),
    });
  }

  /**
   * At start-up: uploads left mid-way by a process that is gone become `interrupted`, to be
   * resumed. Uploads a live process (the CLI beside the app) works on are left alone. Returns
   * the unfinished uploads this engine may take.
   */
  recover(): Upload[] {
    const found: Upload[] = [];
    for (const u of this.deps.store.uploads.listUnfinished()) {
      if (!this.ownership.free(u.id)) continue;
      const state = stateAfterRestart(u.state);
      if (state === u.state) {
        found.push(u);
        continue;
      }
      // Claimed while it is rewritten, so a process taking it at this moment cannot be overwritten.
      try {
        this.ownership.claim(u.id);
      } catch {
        continue;
      }
      found.push(this.journal.update(u.id, { state }));
      if (!this.running.has(u.id) && !this.waiting.watchOf(u.id)) this.ownership.release(u.id);
    }
    return found;
  }

  /** Queues an upload the journal holds in state `queued`; throws when a live process owns it. */
  enqueue(id: string): void {
    if (this.running.has(id) || this.queue.includes(id)) return;
    this.ownership.claim(id);
    this.queue.push(id);
    this.emitRow(this.get(id));
    this.pump();
  }

  /**
   * Takes over an upload whose process is gone (a kill, a crash, a closed laptop): what that
   * process left mid-way becomes `interrupted`, then it is resumed from what the server holds.
   */
  takeOver(id: string): void {
    this.ownership.claim(id);
    const u = this.get(id);
    const state = stateAfterRestart(u.state);
    if (state !== u.state && !this.running.has(id)) this.save(id, { state });
  }

  pause(id: string): void {
    const u = this.get(id);
    if (!canPause(u.state)) transition(u.state, 'pause');
    this.ownership.claim(id);
    const run = this.running.get(id);
    if (run) return this.stopRun(run, 'pause');
    this.waiting.leave(id);
    this.dequeue(id);
    this.save(id, { state: 'paused' });
    this.ownership.release(id);
  }

  resume(id: string): void {
    const u = this.get(id);
    if (!canResume(u.state)) transition(u.state, 'resume');
    this.ownership.claim(id);
    this.save(id, { state: transition(u.state, 'resume'), errorCode: null, errorMessage: null });
    this.enqueue(id);
  }

  /** Failed → queued again; also "try now" for one waiting for the network. */
  async retry(id: string, patch: Pick<UploadPatch, 'name'> = {}): Promise<void> {
    if (!canRetry(this.get(id).state)) transition(this.get(id).state, 'retry');
    this.ownership.claim(id);
    const run = this.running.get(id);
    if (run) {
      this.stopRun(run, 'pause');
      await run.done;
    }
    this.waiting.leave(id);
    const u = this.get(id);
    const state =
      nextState(u.state, 'retry') ?? nextState(u.state, 'resume') ?? transition(u.state, 'retry');
    this.save(id, { ...patch, state, errorCode: null, errorMessage: null, attempts: 0 });
    this.enqueue(id);
  }

  async cancel(id: string): Promise<void> {
    const u = this.get(id);
    if (!canCancel(u.state)) transition(u.state, 'cancel');
    this.ownership.claim(id);
    const run = this.running.get(id);
    if (run) {
      this.stopRun(run, 'cancel');
      await run.done;
      return;
    }
    this.waiting.leave(id);
    this.dequeue(id);
    await this.endings.finishCancel(id);
    this.ownership.release(id);
    this.maybeIdle();
  }

  /** Stops every run; their uploads become `interrupted` and resume on the next start. */
  async shutdown(): Promise<void> {
    this.queue.length = 0;
    const runs = [...this.running.values()];
    runs.forEach((r) => this.stopRun(r, 'shutdown'));
    const parked = await this.waiting.close();
    for (const id of parked) {
      const u = this.deps.store.uploads.getUpload(id);
      if (u) this.save(id, { state: stateAfterRestart(u.state) });
    }
    await Promise.all(runs.map((r) => r.done));
    this.ownership.dispose();
    this.reachability.fire([]);
    this.maybeIdle();
  }

  /** Resolves when nothing is queued, running, or waiting for its host. */
  whenIdle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  snapshot(id: string): UploadSnapshot {
    const reporter = this.liveReporter(id);
    if (reporter) return reporter.snapshot();
    return this.restingSnapshot(this.get(id));
  }

  /** The hosts that do not answer, and what waits for each. */
  outages(): HostOutage[] {
    return this.waiting.outages();
  }

  get online(): boolean {
    return this.outages().length === 0;
  }

  /** Whether this engine works on the upload now: running it, queued, or waiting for its host. */
  works(id: string): boolean {
    return this.running.has(id) || this.queue.includes(id) || this.waiting.watchOf(id) !== null;
  }

  /** The live process other than this one that works on the upload, or null. */
  heldElsewhere(id: string): Lease | null {
    return this.ownership.heldElsewhere(id);
  }

  // --- the queue ------------------------------------------------------------------------------

  private pump(): void {
    const settings = this.deps.settings();
    while (this.queue.length > 0) {
      const row = this.deps.store.uploads.getUpload(this.queue[0] as string);
      const next: HostedNeed = {
        // Adaptive sizes (null) are measured against the default chunk: a slot holds one.
        ...slotNeedOf(row, settings.chunkSize ?? DEFAULT_CHUNK),
        host: row ? this.hostOf(row.accountId) : '',
        fanOut: row?.groupId != null,
      };
      const running = [...this.running.values()].map((r) => r.need);
      if (!mayStartOnHost(running, next, settings.filesAtOnce)) break;
      this.start(this.queue.shift() as string, next);
    }
    this.maybeIdle();
  }

  private start(id: string, need: HostedNeed): void {
    const reporter = new ProgressReporter(
      this.get(id),
      (s) => this.changed.fire(s),
      () => this.clock.now(),
    );
    const entry: Running = {
      reporter,
      stopReason: null,
      run: null,
      done: Promise.resolve(),
      need,
    };
    entry.done = this.work(id, entry)
      .catch((err: unknown) => this.endings.fail(id, reporter, asError(err)))
      .finally(() => {
        this.running.delete(id);
        this.fanOuts.tidy((uploadId) => this.works(uploadId));
        this.pump();
      });
    this.running.set(id, entry);
  }

  private async work(id: string, entry: Running): Promise<void> {
    const row = this.get(id);
    const accountId = row.accountId;
    const service = await this.deps.client(accountId);
    const settings = this.deps.settings();
    this.limiter.setRate(settings.limitRate ?? null);
    // The targets of a fan-out read and hash the file once, together (see fan-out.ts).
    const shared = this.fanOuts.for(row);
    const openReader = shared?.openReader ?? this.deps.openReader;
    const run = new UploadRun(id, {
      journal: this.journal,
      service,
      clock: this.clock,
      gate: this.gates.for(accountId),
      limiter: this.limiter,
      ...(openReader ? { openReader } : {}),
      ...(shared ? { blocks: shared.blocks, sharedSha256: shared.wholeSha256 } : {}),
      reporter: entry.reporter,
      settings,
      random: this.deps.random ?? Math.random,
      notice: (message) => this.noticed.fire({ uploadId: id, message }),
      stillOwned: () => this.deps.store.leases.get(id)?.id === this.ownership.owner.id,
    });
    entry.run = run;
    if (entry.stopReason) run.stop(entry.stopReason);
    await this.settle(id, await run.run(), entry.reporter, service);
  }

  private async settle(
    id: string,
    ending: RunEnding,
    reporter: ProgressReporter,
    service: UploadService,
  ): Promise<void> {
    const row = this.deps.store.uploads.getUpload(id);
    if (!row) return this.ownership.release(id);
    switch (ending.kind) {
      case 'succeeded':
        return this.ownership.release(id);
      case 'failed':
        return this.endings.fail(id, reporter, ending.error);
      case 'wait-network':
        return this.park(id, row, ending.error, service);
      case 'stopped':
        return this.endings.stopped(id, row, ending.reason, reporter);
    }
  }

  // --- waiting for a host ---------------------------------------------------------------------

  private park(id: string, row: Upload, error: FirmdropError, service: UploadService): void {
    const state = isActive(row.state) ? transition(row.state, 'network-lost') : row.state;
    this.journal.update(id, { state });
    const giveUp = this.deps.settings().offlineGiveUpMs;
    this.waiting.park(id, service, error, giveUp === null ? null : this.clock.now() + giveUp);
  }

  private hostBack(id: string): void {
    const u = this.deps.store.uploads.getUpload(id);
    if (!u || u.state !== 'waiting-network') return;
    this.save(id, { state: transition(u.state, 'network-back') });
    this.queue.push(id);
    this.pump();
  }

  private gaveUpWaiting(id: string, last: FirmdropError): void {
    const u = this.deps.store.uploads.getUpload(id);
    if (u && u.state === 'waiting-network') {
      const waited = Math.round((this.deps.settings().offlineGiveUpMs ?? 0) / 1000);
      this.save(id, {
        state: transition(u.state, 'fail'),
        errorCode: last.code,
        errorMessage: `${last.message} Gave up after waiting ${waited} s for the network; retry when it is back.`,
      });
    }
    this.ownership.release(id);
    this.maybeIdle();
  }

  private outagesChanged(outages: HostOutage[]): void {
    for (const o of outages) for (const id of o.uploadIds) this.emitRow(this.get(id));
    this.reachability.fire(outages);
  }

  // --- small helpers --------------------------------------------------------------------------

  private stopRun(entry: Running, reason: StopReason): void {
    entry.stopReason ??= reason;
    entry.run?.stop(reason);
  }

  private idle(): boolean {
    return this.running.size === 0 && this.queue.length === 0 && this.outages().length === 0;
  }

  private maybeIdle(): void {
    if (this.idle()) this.idleWaiters.splice(0).forEach((r) => r());
  }

  private dequeue(id: string): void {
    const i = this.queue.indexOf(id);
    if (i !== -1) this.queue.splice(i, 1);
  }

  private save(id: string, patch: UploadPatch): void {
    this.emitRow(this.journal.update(id, patch));
  }

  private emitRow(u: Upload): void {
    this.changed.fire(this.liveReporter(u.id)?.snapshot() ?? this.restingSnapshot(u));
  }

  /**
   * The reporter of the run working on the upload. None once the upload is parked: its run is
   * over (the entry only lingers until the run's promise settles) and its reporter never saw the
   * park, so the journal and the host's watch say what the upload is doing.
   */
  private liveReporter(id: string): ProgressReporter | undefined {
    return this.waiting.watchOf(id) ? undefined : this.running.get(id)?.reporter;
  }

  /** An upload no run is working on: from the journal, plus its host's outage while it waits. */
  private restingSnapshot(u: Upload): UploadSnapshot {
    const base = new ProgressReporter(
      u,
      () => undefined,
      () => this.clock.now(),
    ).snapshot();
    const watch = this.waiting.watchOf(u.id);
    return watch ? { ...base, problem: watch.error(), retryAt: watch.nextTry() } : base;
  }

  /** The API host of an account ('' when unknown: such uploads share one budget). */
  private hostOf(accountId: string): string {
    const url = this.deps.store.accounts.get(accountId)?.baseUrl;
    try {
      return url ? new URL(url).host : '';
    } catch {
      return '';
    }
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
