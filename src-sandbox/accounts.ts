import { ApiError } from './api-error';
import type { ApiCtx, Ctx, Reply } from './context';
import { json } from './context';
import { isId, newId, newSecret, nowIso } from './ids';
import type { AccountRecord } from './records';
import type { SandboxAccountSpec } from './types';

/**
 * The accounts a run serves. Given specs win; an account keeps the id it had in an earlier run
 * with the same key. With no specs, the saved accounts are reused, else one free account is made.
 */
export function resolveAccounts(
  saved: AccountRecord[],
  specs: SandboxAccountSpec[] | undefined,
): AccountRecord[] {
  if (!specs || specs.length === 0) {
    if (saved.length > 0) return saved;
    return [account({ key: newSecret('ak_sandbox_'), tier: '0' }, undefined, 1)];
  }
  const seen = new Set<string>();
  return specs.map((spec, i) => {
    if (!spec.key || /\s/.test(spec.key)) {
      throw new TypeError(`sandbox account ${i + 1}: the key must be non-empty and without spaces`);
    }
    // Messages name the account by its place, never by its key: keys may come from a file or the
    // environment precisely so that they are not shown.
    if (seen.has(spec.key)) {
      throw new TypeError(
        `sandbox account ${i + 1}: its key is given twice (each account needs its own)`,
      );
    }
    seen.add(spec.key);
    if (!['0', '1', '2'].includes(spec.tier)) {
      throw new TypeError(`sandbox account ${i + 1}: tier must be "0", "1" or "2"`);
    }
    if (spec.id !== undefined && !isId(spec.id)) {
      throw new TypeError(`sandbox account ${i + 1}: id must be 32 lowercase hex digits`);
    }
    return account(
      spec,
      saved.find((a) => a.key === spec.key),
      i + 1,
    );
  });
}

function account(
  spec: SandboxAccountSpec,
  prior: AccountRecord | undefined,
  n: number,
): AccountRecord {
  return {
    id: spec.id ?? prior?.id ?? newId(),
    key: spec.key,
    tier: spec.tier,
    name: spec.name ?? prior?.name ?? `Sandbox account ${n}`,
    created_at: prior?.created_at ?? nowIso(),
  };
}

/** Saved accounts plus this run's, so an account's id survives runs that do not name it. */
export function mergeAccounts(saved: AccountRecord[], active: AccountRecord[]): AccountRecord[] {
  const keys = new Set(active.map((a) => a.key));
  return [...saved.filter((a) => !keys.has(a.key)), ...active];
}

export function authenticate(ctx: Ctx): ApiCtx {
  const header = ctx.req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) {
    throw new ApiError(401, 'Missing API key: send "Authorization: Bearer <API key>".');
  }
  const account = ctx.state.accounts.find((a) => a.key === m[1]);
  if (!account) throw new ApiError(401, 'The API key is not valid: check the key and its region.');
  return { ...ctx, account };
}

/** GET /v3/accounts/me: the spec's required AccountInfo fields and the ones Firmdrop reads. */
export async function getMyAccount(ctx: ApiCtx): Promise<Reply> {
  const a = ctx.account;
  return json(200, {
    object: 'account',
    id: a.id,
    display_name: a.name,
    tier: a.tier,
    status: 'ACTIVE',
    end_market: 'IT',
    etag: '1',
    created_at: a.created_at,
    updated_at: a.created_at,
    ...(a.tier !== '0' ? { upgraded_at: a.created_at } : {}),
  });
}
