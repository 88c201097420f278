import type { FailureFacts, Outcome } from '../core/next-step';
import { isFirmdropError } from '../core/errors';
import { isDmApiError, isDmNetworkError } from '../dm/errors';

/**
 * What a step throws when the run's next move is not an error of its own: the server's job can't
 * be trusted, or the service is still finishing. The run turns these (and every real error) into
 * a core `Outcome` and lets `nextStep` decide.
 */
export class JobUntrusted extends Error {
  override name = 'JobUntrusted';
  constructor(readonly why: string) {
    super(why);
  }
}

export class StillCompleting extends Error {
  override name = 'StillCompleting';
  constructor(readonly jobId: string) {
    super(`The service is still completing upload job ${jobId}.`);
  }
}

export class ImagePending extends Error {
  override name = 'ImagePending';
  constructor(readonly jobId: string) {
    super(`The upload job ${jobId} is complete but names no firmware image yet.`);
  }
}

/** The facts core decides on, read off whatever a step threw. */
export function outcomeOf(err: unknown): Outcome {
  if (err instanceof JobUntrusted) return { kind: 'job-untrusted' };
  if (err instanceof StillCompleting) return { kind: 'completing' };
  if (err instanceof ImagePending) return { kind: 'image-pending' };
  return { kind: 'failure', facts: factsOf(err) };
}

export function factsOf(err: unknown): FailureFacts {
  if (isDmNetworkError(err)) return { transport: err.code, code: err.code };
  if (isDmApiError(err)) {
    return err.retryAfterSeconds === undefined
      ? { status: err.status, code: err.code }
      : { status: err.status, code: err.code, retryAfterSeconds: err.retryAfterSeconds };
  }
  if (isFirmdropError(err)) return { code: err.code };
  return { code: 'internal' };
}
