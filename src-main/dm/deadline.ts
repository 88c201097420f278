/**
 * One AbortSignal per request that fires on the caller's cancel or on the request's own deadline,
 * and remembers which of the two it was. (AbortSignal.any would tie a long-lived caller signal to
 * every request it ever saw on Node 20; a listener we remove ourselves does not.)
 */
export interface RequestDeadline {
  readonly signal: AbortSignal;
  /** Null while neither fired. */
  readonly abortedBy: 'cancelled' | 'timeout' | null;
  /** Ends the request as timed out now (e.g. an upload that stopped making progress). */
  expire(why: string): void;
  dispose(): void;
}

export function startDeadline(caller: AbortSignal | undefined, timeoutMs: number): RequestDeadline {
  const controller = new AbortController();
  let abortedBy: 'cancelled' | 'timeout' | null = null;

  const onCallerAbort = (): void => {
    abortedBy ??= 'cancelled';
    controller.abort(caller?.reason);
  };
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });

  const expire = (why: string): void => {
    abortedBy ??= 'timeout';
    controller.abort(new DOMException(why, 'TimeoutError'));
  };
  const timer = setTimeout(() => expire(`No answer within ${timeoutMs} ms`), timeoutMs);

  return {
    signal: controller.signal,
    get abortedBy() {
      return abortedBy;
    },
    expire,
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** A sleep that ends early (rejecting with the signal's reason) when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
