import type { FirmdropError } from '../core/errors';
import { ProgressMeter, shouldEmit } from '../core/progress';
import type { UploadState } from '../core/upload-state';
import type { Upload } from '../store';
import type { ChunkPosition, UploadSnapshot } from './types';

/**
 * Turns the engine's many small facts (a chunk acknowledged, body bytes handed to the socket, a
 * phase change) into snapshots for the UI: phase changes at once, byte counts a few times a second.
 * The bar and the speed count bytes on the wire (handed to the socket in 64 KiB steps, so a big
 * chunk on a slow link still moves the bar every second); `bytesAcked` stays the journal's truth
 * (what the server acknowledged) and is shown as such. Bytes of a request that failed fall back
 * to the acknowledged count when the next chunk starts.
 */
export class ProgressReporter {
  private meter: ProgressMeter;
  private lastEmit: number | null = null;
  private acked: number;
  private inFlight = 0;
  private chunk: UploadSnapshot['chunk'] = null;
  private problem: FirmdropError | null = null;
  private retryAt: number | null = null;

  constructor(
    private upload: Upload,
    private readonly emit: (s: UploadSnapshot) => void,
    private readonly now: () => number,
    private readonly minIntervalMs = 250,
  ) {
    this.acked = upload.bytesAcked;
    this.meter = new ProgressMeter(upload.fileSize);
    this.meter.reset(this.acked, now());
  }

  /** The journal row changed (phase, job, error…): always told at once. */
  update(upload: Upload): void {
    const restarted = upload.bytesAcked < this.acked;
    this.upload = upload;
    this.acked = upload.bytesAcked;
    // Bytes are on the wire only while uploading: a pause or a failure drops the request's.
    if (upload.state !== 'uploading') this.inFlight = 0;
    if (restarted) this.meter.reset(this.acked, this.now());
    this.send();
  }

  /** A chunk's request is about to go out. */
  startedChunk(c: ChunkPosition): void {
    this.inFlight = 0;
    this.chunk = {
      current: c.current - 1,
      total: c.total,
      estimated: c.estimated,
      sending: c.current,
    };
    this.send();
  }

  acknowledged(bytesAcked: number, c: ChunkPosition | null): void {
    this.acked = bytesAcked;
    this.inFlight = 0;
    this.chunk = c && { current: c.current, total: c.total, estimated: c.estimated, sending: null };
    this.meter.sample(this.acked, this.now());
    // Always told: an acknowledged chunk is a fact worth showing, and there are few of them
    // (a 1 GiB file in 16 MiB chunks makes 64); only in-flight byte counts are throttled.
    this.send();
  }

  sending(bytesOfCurrentRequest: number): void {
    this.inFlight = bytesOfCurrentRequest;
    this.meter.sample(this.acked + this.inFlight, this.now());
    this.maybeSend();
  }

  /** A trouble being waited out, and when the next try is (null when it is over). */
  setProblem(problem: FirmdropError | null, retryAt: number | null = null): void {
    this.problem = problem;
    // A failed request's bytes never reached the journal: the bar falls back to what did.
    if (problem !== null) this.inFlight = 0;
    this.retryAt = problem === null ? null : retryAt;
    this.send();
  }

  snapshot(phase: UploadState = this.upload.state): UploadSnapshot {
    const now = this.now();
    const moving = phase === 'uploading';
    return {
      upload: this.upload,
      phase,
      bytesAcked: this.acked,
      bytesSent: this.acked + this.inFlight,
      totalBytes: this.upload.fileSize,
      speed: moving ? this.meter.speed(now) : null,
      etaSeconds: moving ? this.meter.etaSeconds(now) : null,
      chunk: this.chunk,
      problem: this.problem,
      retryAt: this.retryAt,
    };
  }

  private maybeSend(): void {
    if (shouldEmit(this.lastEmit, this.now(), this.minIntervalMs)) this.send();
  }

  private send(): void {
    this.lastEmit = this.now();
    this.emit(this.snapshot());
  }
}
