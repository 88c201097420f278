import { join } from 'node:path';
import { createDmClient } from '../dm/client';
import type { SecretStore } from '../secrets';
import { openStore, type Store } from '../store';
import { UploadEngine } from '../upload/engine';
import type { OwnerKind } from '../upload/ownership';
import type { EngineSettings } from '../upload/types';
import { AccountsService } from './accounts-service';
import { preparePrivateDataDir } from './data-dir';
import { forgetDefault, keepDefaultBeforeAdding } from './default-account';
import { DATABASE_FILE } from './paths';
import { ProxySettings } from './proxy-settings';
import { readTrustedCa } from './trusted-ca';
import { appSettings, engineSettings, type AppSettings } from './settings';

/** The setting's name as the Settings screen shows it (messages quote it). */
export const CA_SETTING = 'Settings → Network → Trusted CA certificate';

export interface RuntimeOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Engine limits a shell wants different (the CLI gives up on the network sooner). */
  engine?: Partial<EngineSettings>;
  /** A better-sqlite3 binary for Electron's ABI (see TOOLCHAIN.md). */
  sqliteBinding?: string;
  userAgent?: string;
  /** Who this process is to the others sharing the journal (leases name it). Default 'app'. */
  owner?: OwnerKind;
  /** Extra CA certificates (PEM) for this process, in place of the setting (the CLI's --ca). */
  extraCaPem?: string;
}

/** The engine and its adapters, wired once; every shell (desktop, web, CLI) starts from here. */
export interface Runtime {
  /** The data folder (journal, and the web shell's spooled copies under it). */
  dataDir: string;
  store: Store;
  settings: AppSettings;
  /** The proxy URL in the settings, its login in the keychain. */
  proxy: ProxySettings;
  /** The extra CA certificates new clients trust: the shell's own, else the setting's file. */
  extraCaPem(): string | undefined;
  accounts: AccountsService;
  engine: UploadEngine;
  engineSettings(): EngineSettings;
  /** Set when the database was damaged and replaced at start: tell the user. */
  recoveryNotice: string | null;
  close(): Promise<void>;
}

export function openRuntime(options: RuntimeOptions): Runtime {
  preparePrivateDataDir(options.dataDir);
  const store = openStore({
    file: join(options.dataDir, DATABASE_FILE),
    ...(options.sqliteBinding ? { nativeBinding: options.sqliteBinding } : {}),
  });
  const settings = appSettings(store.settings);
  const proxy = new ProxySettings(settings, options.secrets, () => store.foldWal());
  const extraCaPem = (): string | undefined => {
    if (options.extraCaPem !== undefined) return options.extraCaPem;
    const file = settings.get('caCertFile');
    // Read at every new client, so a renewed file is picked up; a broken one fails clearly.
    return file === '' ? undefined : readTrustedCa(file, CA_SETTING);
  };
  const accounts = new AccountsService(
    store,
    options.secrets,
    async (baseUrl, apiKey) =>
      createDmClient({
        baseUrl,
        apiKey,
        // Assembled here, in main, from the settings and the keychain; never stored whole.
        proxyUrl: (await proxy.clientUrl()) || undefined,
        extraCaPem: extraCaPem(),
        userAgent: options.userAgent,
      }),
    // Whichever shell adds or removes an account (the CLI too), the default never moves by itself.
    {
      beforeAdd: () => keepDefaultBeforeAdding({ settings, store }),
      afterRemove: (id) => forgetDefault({ settings }, id),
    },
  );
  const currentEngineSettings = () =>
    engineSettings(
      settings.all(),
      options.engine,
      store.settings.get('chunkSizeMiB') !== undefined,
    );
  const engine = new UploadEngine({
    store,
    client: (accountId) => accounts.clientFor(accountId),
    settings: currentEngineSettings,
    kind: options.owner ?? 'app',
  });
  const recovered = store.recovered;
  return {
    dataDir: options.dataDir,
    store,
    settings,
    proxy,
    extraCaPem,
    accounts,
    engine,
    engineSettings: currentEngineSettings,
    recoveryNotice: recovered
      ? `Firmdrop's database was damaged (${recovered.reason}) and has been replaced with a new one; the old file was kept at ${recovered.movedTo}. Local upload history from before is not shown.`
      : null,
    async close() {
      await engine.shutdown();
      await accounts.closeClients();
      store.close();
    },
  };
}
