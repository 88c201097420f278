import { idProblem, shownId } from '../../core/ids';
import { CliUsageError } from './usage';

/**
 * An id typed on the command line, checked before anything is opened or sent: a usage error
 * (exit 2) that names the argument and where the real ids are shown. "firmdrop jobs delete .."
 * once sent `DELETE /v3/firmware-images/` and reported success.
 */
export function idArgument(value: string, name: string, shownBy: string): string {
  const problem = idProblem(value);
  if (problem === null) return value;
  throw new CliUsageError(
    `${shownId(value)} is not a valid ${name} (${problem}); nothing was sent. ${shownBy} shows the ids.`,
  );
}
