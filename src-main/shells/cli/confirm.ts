import { createInterface } from 'node:readline';
import { CliUsageError } from './usage';

export type ConfirmDecision = 'go' | 'ask' | 'refuse';

/**
 * Whether a delete may go ahead: --yes says so; a person at a terminal is asked; anything else (a
 * script, a pipe, cron) is refused, since nobody could have seen what would be deleted.
 */
export function confirmDecision(o: { yes: boolean; interactive: boolean }): ConfirmDecision {
  if (o.yes) return 'go';
  return o.interactive ? 'ask' : 'refuse';
}

/** The refusal, a usage error (exit 2) naming the flag that would have let it through. */
export function needsYes(command: string): CliUsageError {
  return new CliUsageError(
    `"${command}" deletes for good and asks first, but stdin is not a terminal: add --yes (-y) to delete without asking.`,
  );
}

/**
 * Asks `question` [y/N] on `output`; resolves true only for y or yes. The terminal stays in cooked
 * mode, so Ctrl+C is the ordinary SIGINT.
 */
export function askYesNo(
  question: string,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output, terminal: false });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      rl.close();
      fn();
    };
    rl.on('line', (line) => finish(() => resolve(/^\s*y(es)?\s*$/i.test(line))));
    rl.on('close', () => finish(() => resolve(false)));
    output.write(`${question} [y/N] `);
  });
}

/** Before anything is sent: a delete that could never be confirmed is refused at once. */
export function assertConfirmable(
  command: string,
  yes: boolean,
  input: NodeJS.ReadStream = process.stdin,
): void {
  if (confirmDecision({ yes, interactive: input.isTTY === true }) === 'refuse') {
    throw needsYes(command);
  }
}

/**
 * Confirms the delete of `what` ("firmware image fw-1.4.2 (9c1e…)") as `confirmDecision` says,
 * before anything is deleted; false when the person answered no.
 */
export async function confirmDelete(
  command: string,
  what: string,
  yes: boolean,
  input: NodeJS.ReadStream = process.stdin,
): Promise<boolean> {
  const decision = confirmDecision({ yes, interactive: input.isTTY === true });
  if (decision === 'go') return true;
  if (decision === 'refuse') throw needsYes(command);
  return askYesNo(`Delete ${what}?`, input);
}
