import type { FirmdropError } from '../../core/errors';
import type { UploadSnapshot } from '../../upload/types';
import type { CliContext } from './context';
import { acquireEngineLock } from '../../store/engine-lock';
import { printError } from './output';
import type { RunView } from './run-view';
import type { StopWatch } from './signals';

/**
 * Runs the engine until it is idle, or until SIGINT/SIGTERM shuts it down (its uploads then
 * become `interrupted`). Returns the last problem each upload reported: the error with its
 * suggestion, which the journal keeps only as text.
 */
export async function runEngine(
  ctx: CliContext,
  ids: readonly string[],
  start: () => void | Promise<void>,
  view: RunView,
  stop: StopWatch,
): Promise<Map<string, FirmdropError>> {
  const { engine } = ctx.runtime;
  const mine = new Set(ids);
  const problems = new Map<string, FirmdropError>();
  const onChanged = (s: UploadSnapshot) => {
    if (!mine.has(s.upload.id)) return;
    if (s.problem) problems.set(s.upload.id, s.problem);
    else problems.delete(s.upload.id);
    view.update(s);
  };
  const onNotice = (id: string, message: string) => {
    if (mine.has(id)) view.notice(id, message);
  };
  let shutdown: Promise<void> = Promise.resolve();
  const onStop = () => {
    shutdown = engine.shutdown();
  };
  engine.on('changed', onChanged);
  engine.on('notice', onNotice);
  stop.signal.addEventListener('abort', onStop, { once: true });
  try {
    if (!stop.signal.aborted) await start();
    await engine.whenIdle();
    await shutdown;
  } finally {
    stop.signal.removeEventListener('abort', onStop);
    engine.off('changed', onChanged);
    engine.off('notice', onNotice);
    view.close();
  }
  return problems;
}

/** The data directory's engine lock, waiting (with one message) while another run holds it. */
export function lockEngine(ctx: CliContext, stop: StopWatch, quiet: boolean) {
  return acquireEngineLock(ctx.dataDir, {
    signal: stop.signal,
    onWait: () => {
      if (!quiet) {
        printError(
          `another firmdrop process is running uploads from ${ctx.dataDir}; waiting for it to finish (Ctrl+C to stop waiting).`,
        );
      }
    },
  });
}
