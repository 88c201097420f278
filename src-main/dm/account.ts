import type { CallOptions, Caller } from './call';
import { AccountInfoSchema, type AccountInfo } from './schemas';

export interface AccountApi {
  /** The key's account: `tier` decides the image quota; a 401 here means a wrong key or region. */
  getMyAccount(opts?: CallOptions): Promise<AccountInfo>;
}

export function accountApi(call: Caller): AccountApi {
  return {
    getMyAccount: (opts) =>
      call.json(
        {
          method: 'GET',
          path: '/v3/accounts/me',
          signal: opts?.signal,
          ctx: { operation: 'read the account' },
        },
        AccountInfoSchema,
      ),
  };
}
