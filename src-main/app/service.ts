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
import { BatchWatch } from './batch-watch';
import { CancelWindow } from './cancel-window';
import { localHistoryCommands } from './local-history-commands';
import { manifestCommands } from './manifest-commands';

/** The start-up notice, while some of the uploads it names are still interrupted. */
function interruptedNotice(rt: Runtime, ids: string[]): string[] {
  const still = ids.filter((id) => rt.store.uploads.getUpload(id)?.state === 'interrupted').length;
  if (still === 0) return [];
  return [
    `${still} upload${still === 1 ? ' was' : 's were'} interrupted when Firmdrop last stopped. Resume them from the Upload screen; they continue from what the server holds.`,
  ];
}

export interface AppServiceOptions {
  rt: Runtime;
  secrets: SecretStore;
  version: string;
  /** StagedFile.ref → path. The desktop passes real paths through; the web shell maps spool ids. */
  resolveFile(ref: string): string | null;
  notices?: string[];
  /**
   * Uploads found interrupted at start: the start-up notice about them is given only while some
   * of them are still interrupted (not on every load after they were resumed or cancelled).
   */
  interruptedAtStart?: string[];
  /**
   * How long a Cancel can be undone before the server job is deleted (see CancelWindow). The
   * windowed shells get CANCEL_UNDO_MS through bootApp; 0 (the default) cancels at once.
   */
  cancelGraceMs?: number;
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
    notices: () => [
      ...interruptedNotice(o.rt, o.interruptedAtStart ?? []),
      ...(o.notices ?? []),
      ...(o.rt.recoveryNotice ? [o.rt.recoveryNotice] : []),
    ],
    version: o.version,
    view: (id) => {
      const holder = o.rt.engine.heldElsewhere(id);
      const snap = o.rt.engine.snapshot(id);
      // A run's reporter may still hold its row from before the service's own marks were written.
      const row = o.rt.store.uploads.getUpload(id);
      const marks = row ? { hiddenFromQueue: row.hiddenFromQueue, cancelAt: row.cancelAt } : {};
      return uploadView(
        { ...snap, upload: { ...snap.upload, ...marks } },
        holder ? describeOwner(holder) : null,
      );
    },
  };
  const { engine, store } = o.rt;
  const lifetime = new DisposableStore();
  const draftFiles = new DraftFiles(o.resolveFile);
  lifetime.add({ dispose: () => draftFiles.dispose() });
  const batches = new BatchWatch((e) => hub.emit('batch:ended', e));
  lifetime.add(
    engine.onDidChange((s: UploadSnapshot) => {
      const view = uploadView(s);
      hub.emit('upload:changed', view);
      batches.see(view.id, view.name, s.phase, view.error?.message ?? null);
    }),
  );
  const cancels = lifetime.add(
    new CancelWindow({
      rt: o.rt,
      graceMs: o.cancelGraceMs ?? 0,
      changed: (id) => hub.emit('upload:changed', ctx.view(id)),
      failed: (message) => hub.emit('notice', { level: 'error', message }),
    }),
  );
  cancels.restore();
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
    ...uploadCommands(ctx, cancels),
    ...draftCommands(ctx, draftFiles),
    ...historyCommands(ctx),
    ...localHistoryCommands(ctx),
    ...manifestCommands(ctx),
    ...settingsCommands(ctx),
  };
  return { api, events: hub, dispose: () => lifetime.dispose() };
}
