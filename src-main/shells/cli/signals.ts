import { printError } from './output';

const CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Why work stopped: the user (or a supervisor) sent SIGINT or SIGTERM. */
export class StoppedBySignal extends Error {
  override name = 'StoppedBySignal';
  constructor(readonly signalName: NodeJS.Signals) {
    super(`stopped by ${signalName}`);
  }
  get exitCode(): number {
    return CODES[this.signalName] ?? 1;
  }
}

export interface StopWatch {
  /** Aborted at the first SIGINT/SIGTERM, with a StoppedBySignal as its reason. */
  signal: AbortSignal;
  received(): StoppedBySignal | null;
  dispose(): void;
}

/**
 * The first SIGINT or SIGTERM asks for a graceful stop (uploads become `interrupted`); a second one
 * exits at once, which is safe too: the journal is committed before every request it describes.
 */
export function watchStopSignals(): StopWatch {
  const controller = new AbortController();
  let stopped: StoppedBySignal | null = null;
  const on = (sig: NodeJS.Signals): void => {
    if (stopped) {
      printError(
        `${sig} again: exiting now. The journal is saved; run "firmdrop resume" to finish.`,
      );
      process.exit(stopped.exitCode);
    }
    stopped = new StoppedBySignal(sig);
    printError(`${sig} received: stopping uploads (press Ctrl+C again to exit at once).`);
    controller.abort(stopped);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    signal: controller.signal,
    received: () => stopped,
    dispose() {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}
