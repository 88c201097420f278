import { FirmdropError, isFirmdropError } from '../core/errors';
import { DEFAULT_STEP_LIMITS, nextStep, type GiveUpReason, type RunTally } from '../core/next-step';
import { transition, type UploadEvent } from '../core/upload-state';
import type { Upload, UploadPatch } from '../store';
import type { BlockReader } from './block-cache';
import { ChunkReadError, type OpenChunkReader } from './chunk-reader';
import { ChunkSizer } from './chunk-sizer';
import { ChunkSource } from './chunk-source';
import { inspectFile, sameIdentity } from './file-identity';
import { discardJob, runJobAttempt } from './job-steps';
import type { Clock, EngineSettings, UploadJournal, UploadService } from './ports';
import { runServerPreflight } from './preflight';
import type { ProgressReporter } from './progress-reporter';
import type { BandwidthLimiter, RateGate } from './rate-gate';
import type { JobUntrusted } from './run-outcomes';
import { outcomeOf } from './run-outcomes';
import { runSmallAttempt } from './small-steps';
import { UploadStopped, type StopReason } from './types';

/** How a run ended; the engine turns it into the journal's state and the lease's fate. */
export type RunEnding =
  | { kind: 'succeeded' }
  | { kind: 'failed'; error: FirmdropError }
  | { kind: 'stopped'; reason: StopReason }
  /** The account's host did not answer: park the upload until it does (it keeps no slot). */
  | { kind: 'wait-network'; error: FirmdropError };

export interface UploadRunPorts {
  journal: UploadJournal;
  service: UploadService;
  clock: Clock;
  gate: RateGate;
  /** The engine's upload bandwidth cap, shared by all its runs. */
  limiter: BandwidthLimiter;
  /** How the chunk source opens its hashers (default: the worker thread). */
  openReader?: OpenChunkReader;
  /** Where chunk bodies are read from (default: the file; a fan-out's targets share blocks). */
  blocks?: BlockReader;
  /** A fan-out's small-path SHA-256, computed by the first of its targets (see SharedFile). */
  sharedSha256?: (compute: () => Promise<string>) => Promise<string>;
  reporter: ProgressReporter;
  settings: EngineSettings;
  random: () => number;
  notice(message: string): void;
  /** Whether this process still holds the upload's lease (see Ownership). */
  stillOwned(): boolean;
}

/**
 * One upload's life from a queue slot to an ending, for both paths (one multipart POST, or an
 * upload job). Every attempt starts by asking the server what it holds, so whatever went wrong
 * before (a lost answer, a 5xx, a dropped network, a kill) is reconciled and never resent
 * blindly. After each failure `nextStep` (core) decides: retry, restart the job, wait for the
 * network, or give up. The run owns its chunk source and disposes of it when it ends.
 */
export class UploadRun {
  private source: ChunkSource | null = null;
  private sizer: ChunkSizer | null = null;
  /** Why the server's job must be replaced; done first thing in the next attempt. */
  private restartWhy: string | null = null;
  private readonly controller = new AbortController();

  constructor(
    readonly uploadId: string,
    readonly ports: UploadRunPorts,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get service(): UploadService {
    return this.ports.service;
  }

  get clock(): Clock {
    return this.ports.clock;
  }

  get upload(): Upload {
    const u = this.ports.journal.get(this.uploadId);
    if (!u) throw new UploadStopped('cancel'); // the row was removed under us
    return u;
  }

  /** Asks the run to stop at its next step (the request in flight is aborted). */
  stop(reason: StopReason): void {
    if (!this.controller.signal.aborted) this.controller.abort(new UploadStopped(reason));
  }

  async run(): Promise<RunEnding> {
    const tally: RunTally = { failures: this.upload.attempts, restarts: 0, polls: 0 };
    try {
      this.event('start');
      for (;;) {
        const ackedBefore = this.upload.bytesAcked;
        try {
          await this.attempt();
          return { kind: 'succeeded' };
        } catch (err) {
          const stopped = this.stoppedBy(err);
          if (stopped) return { kind: 'stopped', reason: stopped };
          const outcome = outcomeOf(err);
          if (outcome.kind === 'failure') {
            tally.failures = this.upload.bytesAcked > ackedBefore ? 1 : tally.failures + 1;
            tally.polls = 0;
            this.patch({ attempts: tally.failures });
          } else if (outcome.kind !== 'job-untrusted') {
            tally.polls += 1;
          }
          const limits = { ...DEFAULT_STEP_LIMITS, maxAttempts: this.ports.settings.maxAttempts };
          const step = nextStep(outcome, tally, limits, this.ports.random);
          if (step.kind === 'give-up') {
            return { kind: 'failed', error: giveUpError(err, step.reason, tally) };
          }
          if (step.kind === 'wait-network') return { kind: 'wait-network', error: asError(err) };
          if (step.kind === 'restart-job') {
            tally.restarts += 1;
            this.restartWhy = (err as JobUntrusted).why;
          } else {
            // A 429 is about the account: close its gate, so its other uploads wait as well.
            if (outcome.kind === 'failure' && outcome.facts.status === 429) {
              this.ports.gate.backoff(step.delayMs / 1000);
            }
            await this.pause(asError(err), step.delayMs);
          }
        }
      }
    } catch (err) {
      // Trouble outside an attempt (the journal itself): the upload fails with what happened.
      const stopped = this.stoppedBy(err);
      if (stopped) return { kind: 'stopped', reason: stopped };
      return { kind: 'failed', error: asError(err) };
    } finally {
      await this.source?.close();
      this.source = null;
      this.ports.reporter.setProblem(null);
    }
  }

  // --- what the steps use ---------------------------------------------------------------------

  /** Moves the journal through the core state table (a forbidden step is a bug and throws). */
  event(event: UploadEvent, patch: UploadPatch = {}): Upload {
    return this.patch({ ...patch, state: transition(this.upload.state, event) });
  }

  patch(patch: UploadPatch): Upload {
    const u = this.ports.journal.update(this.uploadId, patch);
    this.ports.reporter.update(u);
    return u;
  }

  /**
   * Throws when the user paused or cancelled, the engine is shutting down, or another process
   * took the upload over (this one was suspended past its lease): called before every request
   * that appends or creates, so two processes never append to one job.
   */
  checkStopped(): void {
    if (this.signal.aborted) throw this.signal.reason;
    if (!this.ports.stillOwned()) throw new UploadStopped('lost');
  }

  /** The job path's reader of the file, made once per run and kept across attempts. */
  chunkSource(): ChunkSource {
    if (!this.source) {
      const u = this.upload;
      this.source = new ChunkSource(u.filePath, u.fileSize, this.ports.openReader);
    }
    return this.source;
  }

  /** The run's chunk sizes: the upload's own or the setting's size, else adapted to the link. */
  chunkSizer(): ChunkSizer {
    this.sizer ??= new ChunkSizer(
      this.upload.chunkSize ?? this.ports.settings.chunkSize,
      () => this.service.roundTripMs?.() ?? null,
    );
    return this.sizer;
  }

  // --- the attempt ----------------------------------------------------------------------------

  private async attempt(): Promise<void> {
    this.checkStopped();
    if (this.restartWhy !== null) {
      // Inside the attempt, so a failure to delete the old job is decided on like any other.
      await this.restartJob(this.restartWhy);
      this.restartWhy = null;
    }
    if (this.upload.preflightPending) await runServerPreflight(this);
    await this.checkFileIdentity();
    try {
      if (this.upload.path === 'small') await runSmallAttempt(this);
      else await runJobAttempt(this);
    } catch (err) {
      if (err instanceof ChunkReadError) {
        throw new FirmdropError(
          'file-changed',
          `Reading the file failed: ${err.message}. It may have been moved, shortened or be on a disconnected drive; check it and retry.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  /** The file must still be the one the journal describes; if not, what was sent is worthless. */
  private async checkFileIdentity(): Promise<void> {
    const u = this.upload;
    const identity = await inspectFile(u.filePath);
    if (sameIdentity(identity, { size: u.fileSize, mtimeMs: u.fileMtimeMs })) return;
    const started = u.jobId !== null || u.createSentAt !== null;
    if (started && u.path === 'job') {
      await discardJob(
        this,
        'The file changed on disk (size or modification time) since this upload began.',
      );
      await this.dropSource();
    } else if (started) {
      throw new FirmdropError(
        'file-changed',
        'The file changed on disk after its upload began. Check that it is the image you mean to upload, then add it again.',
      );
    }
    this.patch({ fileSize: identity.size, fileMtimeMs: identity.mtimeMs, sha256: null });
  }

  private async restartJob(why: string): Promise<void> {
    await discardJob(this, why);
    await this.source?.restart();
    if (this.upload.state !== 'checking') this.event('recheck');
  }

  private async dropSource(): Promise<void> {
    await this.source?.close();
    this.source = null;
  }

  /** Waits out a transient trouble (shown with its next-try time), then asks the server again. */
  private async pause(problem: FirmdropError, delayMs: number): Promise<void> {
    this.ports.reporter.setProblem(problem, this.clock.now() + delayMs);
    if (this.upload.state !== 'checking') this.event('recheck');
    await this.clock.sleep(delayMs, this.signal);
    this.ports.reporter.setProblem(null);
  }

  private stoppedBy(err: unknown): StopReason | null {
    if (err instanceof UploadStopped) return err.reason;
    if (this.signal.aborted) {
      const reason: unknown = this.signal.reason;
      return reason instanceof UploadStopped ? reason.reason : 'shutdown';
    }
    return null;
  }
}

/** Any error as a FirmdropError (an unexpected one says so), for the journal and the user. */
export function asError(err: unknown): FirmdropError {
  if (isFirmdropError(err)) return err;
  return new FirmdropError(
    'internal',
    `Unexpected error: ${(err as Error)?.message ?? String(err)}`,
    { cause: err },
  );
}

function giveUpError(err: unknown, reason: GiveUpReason, tally: RunTally): FirmdropError {
  const base = asError(err);
  switch (reason) {
    case 'fatal':
      return base;
    case 'attempts':
      return new FirmdropError(
        base.code,
        // No "use Retry" here: the journal keeps this message for every interface, and each
        // words its own way on (the window's Retry button, the CLI's "firmdrop resume").
        `${withoutPromise(base.message)} (gave up after ${tally.failures} attempts).`,
        { cause: err, suggestion: base.suggestion },
      );
    case 'restarts':
      return new FirmdropError(
        'job-diverged',
        `${(err as Error).message} Firmdrop restarted this upload ${tally.restarts} times and stopped; check the file and the account, then retry.`,
        { cause: err },
      );
    case 'polls':
      return new FirmdropError(
        'server-error',
        `${(err as Error).message} Firmdrop asked ${tally.polls} times and stopped; trying again later goes on from the completed job.`,
        { cause: err },
      );
  }
}

/** A transient error's own promise to retry ("Firmdrop will retry after 7 s.") is void once given up. */
function withoutPromise(message: string): string {
  return message.replace(/\s*Firmdrop will retry[^.]*\.\s*$/u, '');
}
