import type { KeychainStatus, SecretStore } from '../secrets';
import type { UploadSnapshot } from '../upload/types';
import { accountCommands } from './accounts-commands';
import type { FirmdropApi } from './contract';
import { EventHub, type EventFeed } from './event-hub';
import { historyCommands } from './history-commands';
import type { Runtime } from './runtime';
import type { ServiceContext } from './service-context';
import { settingsCommands } from './settings-commands';
import { uploadCommands } from './upload-commands';
import { networkState } from './network-state';
import { uploadView } from './views';

export interface AppServiceOptions {
  rt: Runtime;
  secrets: SecretStore;
  version: string;
  /** StagedFile.ref → path. The desktop passes real paths through; the web shell maps spool ids. */
  resolveFile(ref: string): string | null;
  notices?: string[];
}

export interface AppService {
  api: FirmdropApi;
  /** Subscribe only: the service alone fires its events. */
  events: EventFeed;
}

/**
 * The application service: one implementation of the contract for every shell. It owns no
 * state of its own beyond the runtime; it maps commands onto it and engine events onto pushes.
 */
export function createAppService(o: AppServiceOptions): AppService {
  const hub = new EventHub();
  let keychain: Promise<KeychainStatus> | null = null;
  const ctx: ServiceContext = {
    rt: o.rt,
    hub,
    secrets: o.secrets,
    resolveFile: o.resolveFile,
    keychain: () => (keychain ??= o.secrets.probe()),
    notices: [...(o.notices ?? []), ...(o.rt.recoveryNotice ? [o.rt.recoveryNotice] : [])],
    version: o.version,
  };
  const { engine, store } = o.rt;
  // Lives as long as the engine: the service is made once per runtime and never torn down alone.
  engine.onDidChange((s: UploadSnapshot) => hub.emit('upload:changed', uploadView(s)));
  engine.onReachability((outages) =>
    hub.emit('network:changed', networkState(outages, store.accounts.list())),
  );
  engine.onNotice(({ message }) => hub.emit('notice', { level: 'warning', message }));

  const api: FirmdropApi = {
    ...accountCommands(ctx),
    ...uploadCommands(ctx),
    ...historyCommands(ctx),
    ...settingsCommands(ctx),
  };
  return { api, events: hub };
}
