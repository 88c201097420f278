import type { FieldError } from './api-error';
import { ApiError } from './api-error';
import type { AccountRecord } from './records';
import { imageLimit } from './records';
import type { SandboxStore } from './sandbox-store';

export const MAX_NAME = 128;
export const MAX_DESCRIPTION = 2000;

/** Length rules of the spec (name ≤ 128, description ≤ 2,000 characters). */
export function checkText(
  field: 'name' | 'description',
  value: unknown,
  errors: FieldError[],
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    errors.push({ name: field, message: 'must be a string' });
    return undefined;
  }
  const max = field === 'name' ? MAX_NAME : MAX_DESCRIPTION;
  // Characters, not UTF-16 units: an emoji counts once.
  if ([...value].length > max) {
    errors.push({ name: field, message: `must be at most ${max} characters` });
  }
  return value;
}

export function checkNameFree(
  store: SandboxStore,
  accountId: string,
  name: string,
  exceptJobId?: string,
): void {
  const owner = store.nameOwner(accountId, name, exceptJobId);
  if (owner === null) return;
  const what = owner === 'image' ? 'A firmware image' : 'An upload job';
  throw new ApiError(
    409,
    `${what} named "${name}" already exists in this account. Choose another name.`,
    {
      fields: [{ name: 'name', message: 'already in use' }],
    },
  );
}

/** 403 when the account already holds as many images as its tier allows. */
export function checkQuota(store: SandboxStore, account: AccountRecord): void {
  const limit = imageLimit(account.tier);
  if (store.imageCount(account.id) < limit) return;
  const kind = account.tier === '0' ? 'free account (tier 0)' : `tier ${account.tier} account`;
  throw new ApiError(
    403,
    `Firmware image limit reached: this ${kind} can hold ${limit} images. Delete an image${
      account.tier === '0' ? ' or upgrade to a commercial account' : ''
    } before adding another.`,
    { type: 'limit_reached' },
  );
}
