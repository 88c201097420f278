import { isEnvAccountId } from './env-keys';
import type { Runtime } from './runtime';

/**
 * Where new drafts go. The account the user marked (Accounts → "Make default", or the chooser on
 * the Upload screen) wins; with none marked, the only account is the default; with several and
 * none marked there is none, and the user chooses. Nothing but the user's own choice moves it:
 * see `keepDefaultBeforeAdding`. The command line's FIRMDROP_API_KEY accounts (`env:…`) are never
 * "the only account": they exist only while their variables are set.
 */
export function defaultAccountId(rt: Pick<Runtime, 'settings' | 'store'>): string | null {
  const marked = rt.settings.get('defaultAccountId');
  if (marked && rt.store.accounts.get(marked)) return marked;
  const all = rt.store.accounts.list().filter((a) => !isEnvAccountId(a.id));
  return all.length === 1 ? (all[0]?.id ?? null) : null;
}

/**
 * Called before an account is added: an implicit default (the only account) is written down, so
 * the new account does not take its place by making it "one of two".
 */
export function keepDefaultBeforeAdding(rt: Pick<Runtime, 'settings' | 'store'>): void {
  const current = defaultAccountId(rt);
  if (current && rt.settings.get('defaultAccountId') !== current) {
    rt.settings.set('defaultAccountId', current);
  }
}

/** Called after an account is removed: a mark naming it is dropped (no other account inherits it). */
export function forgetDefault(rt: Pick<Runtime, 'settings'>, removedId: string): void {
  if (rt.settings.get('defaultAccountId') === removedId) rt.settings.reset('defaultAccountId');
}
