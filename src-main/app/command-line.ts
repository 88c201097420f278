import { createDmClient } from '../dm/client';
import type { RegionLabel, UploadState } from '../store';
import type { Account } from '../store';
import { namesInUse } from '../upload/name-check';
import type { EngineSettings } from '../upload/ports';
import type { AccountsService } from './accounts-service';
import type { HistoryExport } from './contract';
import { defaultAccountId } from './default-account';
import { historyExport } from './history-export';
import { ENV_ACCOUNT_PREFIX, envAwareSecretStore, helperProcessKeychain } from './env-keys';
import { LocalUploads } from './local-uploads';
import { ManifestSources } from './manifest-commands';
import { openRuntime, type Runtime } from './runtime';
import { ServerObjects } from './server-objects';

// What the command line names in its output and options; it reaches them through the app.
export type { Account, ListUploadsOptions, Upload, UploadState, RegionLabel } from '../store';
export type { EngineSettings } from '../upload/ports';
export type { FirmwareImage, ListedJob, UploadChunk, UploadJob } from './server-objects';
export type { ManifestPayload, ManifestTarget } from './manifest-payload';
export { manifestPayload, manifestYaml } from './manifest-payload';
export type { PlannedTargets, TargetInput } from './fanout-plan';
export type { TargetRefusal } from './contract';
export { isDmNetworkError as isNetworkError } from '../dm/errors';
export {
  ENV_ACCOUNT_PREFIX,
  accountDisplay,
  isEnvAccountId,
  helperProcessKeychain,
} from './env-keys';

/** FIRMDROP_API_URL + FIRMDROP_API_KEY: an account that exists only for this run's environment. */
export interface EnvCredentials {
  baseUrl: string;
  region: RegionLabel;
  host: string;
}

export interface CommandLineOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Engine limits the command wants different (it gives up on the network sooner). */
  engine?: Partial<EngineSettings>;
  userAgent: string;
  /** `--ca FILE`'s certificates (PEM), in place of the app's setting. */
  extraCaPem?: string | undefined;
}

/**
 * The application service as the command line uses it: the same runtime, services and guards as
 * the contract's commands (accounts, the journal, the engine, the server's objects), with the
 * operations a command needs that a window does not (the environment's account, one job's
 * chunks, a batch planned and journaled whole, taking up what a gone process left).
 */
export interface CommandLineApp {
  readonly dataDir: string;
  readonly accounts: AccountsService;
  readonly uploads: LocalUploads;
  readonly server: ServerObjects;
  /** An image's facts for manifest-tool (`images show --manifest-tool`). */
  readonly manifest: ManifestSources;
  /** Set when the database was damaged and replaced at start: tell the user. */
  readonly recoveryNotice: string | null;
  /**
   * The row for the environment key's account (asked of the service: one request, which also
   * proves the key), created at first use and refreshed after.
   */
  accountFromEnvironment(
    c: EnvCredentials,
    /** The image names about to be uploaded: their pre-flight look-ups go out beside it. */
    o?: { names?: readonly string[] },
  ): Promise<Account>;
  accountName(id: string): string;
  /** The default account the desktop app and the command line share (one data folder), or null. */
  defaultAccountId(): string | null;
  /** The upload history as the app's Export writes it (one builder), oldest first. */
  exportHistory(q: {
    format: 'csv' | 'json';
    accountId?: string;
    states?: readonly UploadState[];
  }): HistoryExport;
  /** Marks the default account, as the app's Accounts → "Make default" does. */
  setDefaultAccount(id: string): void;
  close(): Promise<void>;
}

export function openCommandLine(o: CommandLineOptions): CommandLineApp {
  let envAccountId: string | null = null;
  const secrets = envAwareSecretStore({
    env: o.env,
    envAccountId: () => envAccountId,
    keychain: () => helperProcessKeychain(o.env),
  });
  const rt: Runtime = openRuntime({
    dataDir: o.dataDir,
    secrets,
    ...(o.extraCaPem === undefined ? {} : { extraCaPem: o.extraCaPem }),
    // A script would rather fail (resumably) than wait for the network forever; --wait says otherwise.
    engine: { offlineGiveUpMs: 5 * 60_000, ...o.engine },
    userAgent: o.userAgent,
    owner: 'cli',
  });
  const { store } = rt;

  return {
    dataDir: o.dataDir,
    accounts: rt.accounts,
    uploads: new LocalUploads(rt),
    server: new ServerObjects(store, rt.accounts),
    manifest: new ManifestSources(rt),
    recoveryNotice: rt.recoveryNotice,
    async accountFromEnvironment(c, ahead) {
      const me = await whoIs(c, await rt.proxy.clientUrl(), rt.extraCaPem(), o, ahead?.names);
      const id = `${ENV_ACCOUNT_PREFIX}${c.host}:${me.id}`;
      const fresh = {
        baseUrl: c.baseUrl,
        region: c.region,
        dmAccountId: me.id,
        displayName: me.display_name,
        tier: me.tier,
      };
      envAccountId = id;
      if (store.accounts.get(id)) return store.accounts.update(id, fresh);
      try {
        return store.accounts.create({ id, name: id, ...fresh });
      } catch (err) {
        // Another firmdrop run created it at the same moment: use that row.
        if (store.accounts.get(id)) return store.accounts.update(id, fresh);
        throw err;
      }
    },
    accountName: (id) => store.accounts.get(id)?.name ?? id,
    defaultAccountId: () => defaultAccountId(rt),
    exportHistory: (q) => historyExport(rt, q),
    // get() throws a clear "no such account" for an id that is gone.
    setDefaultAccount: (id) => rt.settings.set('defaultAccountId', rt.accounts.get(id).id),
    close: () => rt.close(),
  };
}

/**
 * The account behind the environment's key: proves the key, and says which account it is. With
 * the names about to be uploaded, the pre-flight's look-ups (the quota and the names, which do
 * not depend on the answer) go out beside it on a second client that leaves its answers for the
 * pre-flight to take (dm/early-answers.ts): their round trip overlaps this one instead of
 * following it. `accounts/me` itself is not left there (a later reachability probe must ask the
 * service, not take an old answer), and this does not wait for the look-ups: the pre-flight does.
 */
async function whoIs(
  c: EnvCredentials,
  proxyUrl: string,
  extraCaPem: string | undefined,
  o: CommandLineOptions,
  names: readonly string[] = [],
) {
  const client = (shareGets: boolean) =>
    createDmClient({
      baseUrl: c.baseUrl,
      apiKey: o.env.FIRMDROP_API_KEY ?? '',
      proxyUrl: proxyUrl || undefined,
      extraCaPem,
      userAgent: o.userAgent,
      shareGets,
    });
  const dm = client(false);
  // Both share one dispatcher (dm/dispatcher.ts), which the uploads' client takes over.
  const ahead = names.length > 0 ? client(true) : null;
  try {
    if (ahead) {
      void Promise.allSettled([ahead.countImages(), namesInUse(ahead, names)]);
    } else {
      // The pre-flight that follows sends up to three requests at once (the quota and a
      // name__in to each list): this one's connection takes one, two more open meanwhile.
      dm.warmUp(2);
    }
    return await dm.getMyAccount();
  } finally {
    await Promise.all([dm.close(), ahead?.close()]);
  }
}
