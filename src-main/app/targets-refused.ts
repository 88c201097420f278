import { FirmdropError } from '../core/errors';
import type { TargetRefusal } from './contract';

/** What a refusal message needs of each input of the call. */
type Target = { accountId: string };

/**
 * A fan-out (or any batch) refused by its pre-flight: the message names every refused target
 * (account and why); `targets` carries them one by one for a row each.
 */
export class TargetsRefused extends FirmdropError {
  readonly targets: TargetRefusal[];

  constructor(targets: TargetRefusal[], inputs: readonly Target[]) {
    const first = targets[0] as TargetRefusal;
    super(first.code, refusalMessage(targets, inputs), {
      suggestion: targets.length === 1 ? first.suggestion : undefined,
    });
    this.targets = targets;
  }
}

/**
 * One account: as before fan-out ("fw.bin: why", or just why for one file). Several: each refused
 * target by its account, then why — "Nothing was started …: account "eu-prod" refused fw.bin: …".
 */
function refusalMessage(targets: readonly TargetRefusal[], inputs: readonly Target[]): string {
  const first = targets[0] as TargetRefusal;
  if (inputs.length === 1) return first.message;
  if (new Set(inputs.map((i) => i.accountId)).size === 1)
    return `${first.fileName}: ${first.message}`;
  const lines = targets.map(
    (t) => `account "${t.accountName}" refused ${t.fileName}: ${t.message}`,
  );
  return `Nothing was started (every target goes, or none): ${lines.join(' ')}`;
}
