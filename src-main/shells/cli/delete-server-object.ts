import type { Account, CommandLineApp } from '../../app/command-line';
import type { GlobalOptions } from './args';
import { assertConfirmable, confirmDelete } from './confirm';
import { printError, printJson, printLine } from './output';
import { withAccount } from './with-account';

/**
 * `images delete` and `jobs delete`: finds the object, asks on a terminal (or takes --yes),
 * deletes it and says so. Without a terminal and without --yes it refuses before any request.
 */
export async function deleteServerObject<T extends { id: string; name: string }>(o: {
  global: GlobalOptions;
  account: string | undefined;
  /** e.g. "firmdrop images delete". */
  command: string;
  /** What the user is deleting, e.g. "firmware image". */
  kind: string;
  yes: boolean;
  find(app: CommandLineApp, account: Account): Promise<T>;
  remove(app: CommandLineApp, account: Account, found: T): Promise<void>;
}): Promise<number> {
  assertConfirmable(o.command, o.yes);
  const deleted = await withAccount(o.global, o.account, async (app, a) => {
    const found = await o.find(app, a);
    const what = `${o.kind} "${found.name}" (${found.id})`;
    if (!(await confirmDelete(o.command, what, o.yes))) return null;
    await o.remove(app, a, found);
    return found;
  });
  if (deleted === null) {
    printError('nothing was deleted.');
    return 1;
  }
  if (o.global.json) printJson({ deleted: deleted.id, name: deleted.name });
  else printLine(`Deleted ${o.kind} ${deleted.id} (${deleted.name}).`);
  return 0;
}
