import type { UploadView } from '../../app/contract';
import type { GlobalOptions } from './args';
import { PhaseLog } from './phase-log';
import { ProgressBoard } from './progress-bar';

/** Where an upload run's progress goes while the engine works. */
export interface RunView {
  update(view: UploadView): void;
  notice(uploadId: string, message: string): void;
  close(): void;
}

const silent: RunView = { update() {}, notice() {}, close() {} };

/**
 * A live bar on a terminal; plain phase lines in a log; nothing with --quiet or --json (a script
 * that asked for JSON wants stderr for errors only).
 */
export function createRunView(global: GlobalOptions, stderr = process.stderr): RunView {
  if (global.quiet || global.json) return silent;
  if (stderr.isTTY) return new ProgressBoard(stderr);
  return new PhaseLog((line) => stderr.write(`${line}\n`));
}
