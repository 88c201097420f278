import type { FaultKind, FaultSpec, SandboxFaults } from './types';

interface Armed {
  spec: FaultSpec;
  path: RegExp | null;
  remaining: number;
}

/** What the pending faults make of one request. */
export interface FaultPlan {
  /** Hold the answer this long (a `delay` fault). */
  delayMs: number;
  /** At most one of these; they decide the request's fate. */
  action: Extract<FaultSpec, { kind: 'status' | 'reset' | 'append-then-drop' | 'job-lag' }> | null;
}

/** The one request a `job-lag` fault applies to: reading one upload job. */
const JOB_READ = /^\/v3\/firmware-images\/upload-jobs\/[^/]+\/?$/;

/**
 * Scripted faults plus the two global knobs. A request takes at most one `delay` fault and one
 * other fault (the earliest injected of each that matches), so a delay can be combined with a
 * status, reset or drop.
 */
export class Faults implements SandboxFaults {
  latencyMs: number;
  bandwidth: number | null;
  readonly fired: Record<FaultKind, number> = {
    status: 0,
    reset: 0,
    'append-then-drop': 0,
    delay: 0,
    'job-lag': 0,
  };
  private armed: Armed[] = [];

  constructor(private readonly baseline: { latencyMs: number; bandwidth: number | null }) {
    this.latencyMs = 0;
    this.bandwidth = null;
    this.setLatency(baseline.latencyMs);
    this.setBandwidth(baseline.bandwidth);
  }

  inject(f: FaultSpec): void {
    const spec = checkFault(f);
    const path = spec.path === undefined ? null : new RegExp(spec.path);
    this.armed.push({ spec, path, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
    this.latencyMs = this.baseline.latencyMs;
    this.bandwidth = this.baseline.bandwidth;
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`latency must be ≥ 0 ms, got ${ms}`);
    this.latencyMs = ms;
  }

  setBandwidth(bytesPerSec: number | null): void {
    if (bytesPerSec !== null && !(Number.isFinite(bytesPerSec) && bytesPerSec > 0)) {
      throw new TypeError(
        `bandwidth must be a positive number of bytes/s or null, got ${bytesPerSec}`,
      );
    }
    this.bandwidth = bytesPerSec;
  }

  pending(): number {
    return this.armed.reduce((n, a) => n + a.remaining, 0);
  }

  /** Consumes the faults that apply to this request. */
  take(method: string, path: string): FaultPlan {
    const plan: FaultPlan = { delayMs: 0, action: null };
    let tookDelay = false;
    for (const a of this.armed) {
      if (a.remaining <= 0 || !matches(a, method, path)) continue;
      const spec = a.spec;
      if (spec.kind === 'delay') {
        if (tookDelay) continue;
        tookDelay = true;
        plan.delayMs = spec.ms;
      } else {
        if (plan.action) continue;
        plan.action = spec;
      }
      a.remaining--;
      this.fired[spec.kind]++;
    }
    this.armed = this.armed.filter((a) => a.remaining > 0);
    return plan;
  }
}

function matches(a: Armed, method: string, path: string): boolean {
  if (a.spec.kind === 'job-lag' && !(method === 'GET' && JOB_READ.test(path))) return false;
  if (a.spec.method !== undefined && a.spec.method.toUpperCase() !== method) return false;
  return a.path === null || a.path.test(path);
}

/** Validates a fault given as code or as JSON from the admin endpoint. */
export function checkFault(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null) throw new TypeError('a fault must be an object');
  const f = input as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new TypeError(`fault ${JSON.stringify(f.kind)}: ${what}`);
  };
  if (f.method !== undefined && typeof f.method !== 'string') bad('method must be a string');
  if (f.path !== undefined && typeof f.path !== 'string' && !(f.path instanceof RegExp)) {
    bad('path must be a regular expression or its source string');
  }
  if (typeof f.path === 'string') {
    try {
      new RegExp(f.path);
    } catch {
      bad(`path ${JSON.stringify(f.path)} is not a valid regular expression`);
    }
  }
  if (f.times !== undefined && !(Number.isInteger(f.times) && (f.times as number) >= 1)) {
    bad('times must be an integer ≥ 1');
  }
  const nonNegative = (v: unknown): boolean =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0;
  switch (f.kind) {
    case 'status':
      if (!(
        Number.isInteger(f.status) &&
        (f.status as number) >= 400 &&
        (f.status as number) <= 599
      )) {
        bad('status must be an HTTP error status (400–599)');
      }
      if (f.retryAfterSeconds !== undefined && !nonNegative(f.retryAfterSeconds)) {
        bad('retryAfterSeconds must be ≥ 0');
      }
      break;
    case 'reset':
      if (!nonNegative(f.afterBytes)) bad('afterBytes must be ≥ 0');
      break;
    case 'delay':
      if (!nonNegative(f.ms)) bad('ms must be ≥ 0');
      break;
    case 'append-then-drop':
      break;
    case 'job-lag':
      if (f.lag !== 'completion' && f.lag !== 'image') bad('lag must be "completion" or "image"');
      break;
    default:
      bad('kind must be one of status, reset, append-then-drop, delay, job-lag');
  }
  return f as FaultSpec;
}

/**
 * A completed upload job's JSON as a `job-lag` fault shows it: not completed yet, or completed
 * without its image. Anything else (an error, a job not completed) is returned as it is.
 */
export function lagJob(body: unknown, lag: 'completion' | 'image'): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const job = body as Record<string, unknown>;
  if (job.object !== 'upload-job' || job.status !== 'completed') return body;
  if (lag === 'image') return { ...job, firmware_image_id: '' };
  return {
    ...job,
    status: 'in_progress',
    complete: false,
    completed: false,
    firmware_image_id: '',
  };
}
