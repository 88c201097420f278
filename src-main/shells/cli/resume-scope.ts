import { isEnvAccountId, type Account, type Upload } from '../../app/command-line';
import type { CliContext } from './context';
import { printError } from './output';

/** What `firmdrop resume` (without an id) takes up, and how many uploads it had to leave. */
export interface ResumeScope {
  todo: Upload[];
  /** Unfinished uploads this run cannot resume (no key for them): the command must not exit 0. */
  skipped: number;
}

/**
 * Every unfinished upload no live process works on, of one account when one is chosen (--account,
 * FIRMDROP_ACCOUNT, or the environment's credentials). Uploads another live process owns (the app,
 * another firmdrop run) are left to it, and the user is told which. Uploads whose key this run does
 * not have are left too, with a word on how to go on: those made with FIRMDROP_API_URL/KEY (of
 * another account than the one set now, if any) and those of the desktop app's built-in sandbox.
 */
export function resumeScope(
  ctx: CliContext,
  o: { named: Account | null; fromEnv: Account | null; quiet: boolean },
): ResumeScope {
  const { uploads } = ctx.app;
  const scope = o.named ?? o.fromEnv;
  const say = (message: string) => (o.quiet ? undefined : printError(message));
  const unfinished = uploads.listUnfinished();
  const scoped = unfinished.filter((u) => scope === null || u.accountId === scope.id);
  const free: Upload[] = [];
  for (const u of scoped) {
    const holder = uploads.workedElsewhere(u.id);
    if (holder === null) free.push(u);
    else say(`leaving ${u.id} ("${u.name}") alone: ${holder} is working on it.`);
  }
  if (o.named !== null) return { todo: free, skipped: 0 };

  const accounts = new Map(ctx.app.accounts.list().map((a) => [a.id, a]));
  // With the environment's credentials, only uploads of other environment accounts are told of:
  // stored accounts' uploads are a "--account NAME" away, as with any chosen account.
  const pool =
    o.fromEnv === null ? free : unfinished.filter((u) => uploads.workedElsewhere(u.id) === null);
  const otherEnv = pool.filter(
    (u) =>
      isEnvAccountId(u.accountId) && u.accountId !== o.fromEnv?.id && !!accounts.get(u.accountId),
  );
  for (const [url, n] of countBy(otherEnv, (u) => accounts.get(u.accountId)?.baseUrl ?? '')) {
    const key = o.fromEnv === null ? '' : ' and another account’s FIRMDROP_API_KEY';
    say(
      `${n === 1 ? '1 upload was' : `${n} uploads were`} started with FIRMDROP_API_URL=${url}${key}; set FIRMDROP_API_URL and FIRMDROP_API_KEY again (as they were then) to resume ${n === 1 ? 'it' : 'them'}.`,
    );
  }
  const inApp = free.filter((u) => accounts.get(u.accountId)?.isSandbox === true);
  if (inApp.length > 0) {
    say(
      `skipping ${inApp.length} upload(s) to the desktop app's built-in sandbox: resume them in the app.`,
    );
  }
  const todo = free.filter((u) => !otherEnv.includes(u) && !inApp.includes(u));
  return { todo, skipped: otherEnv.length + inApp.length };
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}
