import type { KeychainStatus, SecretStore } from '../secrets';
import type { UploadSnapshot } from '../upload/types';
import { accountCommands } from './accounts-commands';
import { draftCommands } from './draft-commands';
import { DraftFiles } from './draft-files';
import type { FirmdropApi } from './contract';
import { EventHub, type EventFeed } from './event-hub';
import { historyCommands } from './history-commands';
import type { Runtime } from './runtime';
import type { ServiceContext } from './service-context';
import { settingsCommands } from './settings-commands';
import { uploadCommands } from './upload-commands';
import { DisposableStore } from '../core/event';
import { describeOwner } from '../upload/ownership';
import { watchJournal } from './journal-watch';
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
  /** Stops watching the shared journal; the runtime is closed by its owner. */
  dispose(): void;
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
    view: (id) => {
      const holder = o.rt.engine.heldElsewhere(id);
      return uploadView(o.rt.engine.snapshot(id), holder ? describeOwner(holder) : null);
    },
  };
  const { engine, store } = o.rt;
  const lifetime = new DisposableStore();
  const draftFiles = new DraftFiles(o.resolveFile);
  lifetime.add({ dispose: () => draftFiles.dispose() });
  lifetime.add(
    engine.onDidChange((s: UploadSnapshot) => hub.emit('upload:changed', uploadView(s))),
  );
  lifetime.add(
    engine.onReachability((outages) =>
      hub.emit('network:changed', networkState(outages, store.accounts.list())),
    ),
  );
  lifetime.add(engine.onNotice(({ message }) => hub.emit('notice', { level: 'warning', message })));
  lifetime.add(
    watchJournal({
      store,
      hub,
      view: ctx.view,
      ownRun: (id) => engine.works(id),
      now: () => Date.now(),
    }),
  );

  const api: FirmdropApi = {
    ...accountCommands(ctx),
    ...uploadCommands(ctx),
    ...draftCommands(ctx, draftFiles),
    ...historyCommands(ctx),
    ...settingsCommands(ctx),
  };
  return { api, events: hub, dispose: () => lifetime.dispose() };
}
