import { FirmdropError } from '../core/errors';
import type { SecretStore, KeychainStatus } from '../secrets';
import type { Upload } from '../store';
import type { Result, UploadView } from './contract';
import { toContractError } from './input-guards';
import type { EventHub } from './event-hub';
import type { Runtime } from './runtime';

/** What every command module of the application service shares. */
export interface ServiceContext {
  rt: Runtime;
  hub: EventHub;
  secrets: SecretStore;
  /** Resolves a StagedFile.ref to a path on disk (a real path on the desktop, a spool file on the web). */
  resolveFile(ref: string): string | null;
  keychain(): Promise<KeychainStatus>;
  /** Start-up notices still worth telling (worked out at each ask: see interruptedNotice). */
  notices(): string[];
  version: string;
  /** The contract's view of an upload, naming the process that works on it when not this one. */
  view(id: string): UploadView;
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Runs a command body, turning any thrown error into a Result (never an exception across the boundary). */
export async function attempt<T>(body: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return ok(await body());
  } catch (err) {
    return { ok: false, error: toContractError(err) };
  }
}

export function uploadOf(ctx: ServiceContext, id: string): Upload {
  const u = ctx.rt.store.uploads.getUpload(id);
  if (!u) throw new FirmdropError('not-found', 'That upload is no longer in the list.');
  return u;
}
