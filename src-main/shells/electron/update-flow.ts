import {
  DisposableStore,
  Emitter,
  toDisposable,
  type Disposable,
  type Event,
} from '../../core/event';

/**
 * The part of electron-updater's AppUpdater the flow uses. Kept narrow (and free of any Electron
 * import) so the flow runs in tests against a fake updater and fake dialogs.
 */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  /** null when the updater is inactive: an unpackaged app (`npm start`) has nothing to update. */
  checkForUpdates(): Promise<{
    isUpdateAvailable: boolean;
    updateInfo: { version: string };
  } | null>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'download-progress', listener: (progress: { percent: number }) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(
    event: 'download-progress',
    listener: (progress: { percent: number }) => void,
  ): unknown;
  removeListener(
    event: 'update-downloaded',
    listener: (info: { version: string }) => void,
  ): unknown;
  removeListener(event: 'error', listener: (err: Error) => void): unknown;
}

/** How many uploads are moving (ActiveUploads). */
export interface UploadCount {
  readonly count: number;
  readonly onChange: Event<number>;
}

export interface UpdateDialog {
  type: 'info' | 'question' | 'error';
  message: string;
  detail: string;
  /** The first is the default; the last is what closing the dialog (Esc) means. */
  buttons: string[];
}

/** Shows a dialog; resolves the index of the button chosen. */
export interface Dialogs {
  show(dialog: UpdateDialog): Promise<number>;
}

export type UpdateState =
  | { phase: 'idle' }
  | { phase: 'checking' }
  | { phase: 'downloading'; version: string; percent: number }
  | { phase: 'ready'; version: string }
  /** Downloaded, and the user chose "Restart when uploads finish". */
  | { phase: 'after-uploads'; version: string }
  | { phase: 'installing'; version: string };

export interface UpdateFlowOptions {
  updater: UpdaterPort;
  uploads: UploadCount;
  dialogs: Dialogs;
  /** The running app's version, for "you have …". */
  currentVersion: string;
}

const AGAIN = 'Choose Help › Check for updates… to try again.';
const RESTART_AGAIN =
  'The update is still downloaded: choose Help › Restart to update to try again, or quit and reinstall Firmdrop.';

/** The Help menu's update item for a state: it is the flow's progress bar and its button. */
export function updateMenuItem(state: UpdateState): { label: string; enabled: boolean } {
  switch (state.phase) {
    case 'idle':
      return { label: 'Check for updates…', enabled: true };
    case 'checking':
      return { label: 'Checking for updates…', enabled: false };
    case 'downloading':
      return { label: `Downloading update… ${state.percent} %`, enabled: false };
    case 'ready':
      return { label: 'Restart to update', enabled: true };
    case 'after-uploads':
      return { label: 'Restart to update (waiting for uploads)…', enabled: true };
    case 'installing':
      return { label: 'Restarting to update…', enabled: false };
  }
}

/**
 * Check → offer the download → download with progress → "Restart to update". An update never
 * competes with an upload: no check or download starts while one moves, and the restart waits for
 * the last one to stop ("Restart when uploads finish"). Every failure is shown, with what to do.
 */
export class UpdateFlow implements Disposable {
  private current: UpdateState = { phase: 'idle' };
  private readonly changed = new Emitter<UpdateState>();
  private readonly subs = new DisposableStore();
  private waiting: Disposable | null = null;
  /** Fires every new state (the menu label follows it). */
  readonly onChange: Event<UpdateState> = this.changed.event;

  constructor(private readonly o: UpdateFlowOptions) {
    // Downloads start only when the user says so (and no upload moves); installs happen only
    // through this flow, never behind the user's back at quit.
    o.updater.autoDownload = false;
    o.updater.autoInstallOnAppQuit = false;
    const progressed = (p: { percent: number }): void => this.progressed(p.percent);
    const downloaded = (info: { version: string }): void => void this.downloaded(info.version);
    // Also keeps the emitter from throwing: an 'error' with no listener is an uncaught exception.
    const failed = (err: Error): void => void this.failedOutsideACall(err);
    o.updater.on('download-progress', progressed);
    o.updater.on('update-downloaded', downloaded);
    o.updater.on('error', failed);
    this.subs.add(
      toDisposable(() => {
        o.updater.removeListener('download-progress', progressed);
        o.updater.removeListener('update-downloaded', downloaded);
        o.updater.removeListener('error', failed);
      }),
    );
  }

  get state(): UpdateState {
    return this.current;
  }

  /** The menu item's click: check when idle, offer the restart once downloaded. */
  async activate(): Promise<void> {
    const s = this.current;
    if (s.phase === 'idle') return this.check();
    if (s.phase === 'ready' || s.phase === 'after-uploads') return this.offerRestart(s.version);
  }

  async check(): Promise<void> {
    if (this.current.phase !== 'idle') return;
    if (this.o.uploads.count > 0) {
      await this.tell(
        'Uploads are running. Check for updates when they finish.',
        'Firmdrop never downloads an update while an upload is moving, so the upload keeps the whole connection.',
      );
      return;
    }
    this.set({ phase: 'checking' });
    let result: Awaited<ReturnType<UpdaterPort['checkForUpdates']>>;
    try {
      result = await this.o.updater.checkForUpdates();
    } catch (err) {
      this.set({ phase: 'idle' });
      await this.fail(
        'Firmdrop could not check for updates.',
        err,
        `Check the network, then ${lc(AGAIN)}`,
      );
      return;
    }
    this.set({ phase: 'idle' });
    if (result === null) {
      await this.tell(
        'Updates come only to the installed app.',
        'This copy runs from source (npm start): update it with git, then start it again.',
      );
      return;
    }
    const version = result.updateInfo.version;
    if (!result.isUpdateAvailable) {
      await this.tell(`Firmdrop ${this.o.currentVersion} is the latest version.`, 'Nothing to do.');
      return;
    }
    const choice = await this.ask(
      `Firmdrop ${version} is available.`,
      `You have ${this.o.currentVersion}. Download it now? It is installed only when you restart Firmdrop, never during an upload.`,
      ['Download', 'Later'],
    );
    if (choice === 0) await this.download(version);
  }

  dispose(): void {
    this.stopWaiting();
    this.subs.dispose();
    this.changed.dispose();
  }

  private async download(version: string): Promise<void> {
    if (this.o.uploads.count > 0) {
      await this.tell(
        'An upload started meanwhile, so the update was not downloaded.',
        `Download it when the uploads finish: ${lc(AGAIN)}`,
      );
      return;
    }
    this.set({ phase: 'downloading', version, percent: 0 });
    try {
      // Resolves after 'update-downloaded' has moved the flow on (or, on macOS, may resolve
      // first): the event, not this promise, says the update is ready.
      await this.o.updater.downloadUpdate();
    } catch (err) {
      // Includes a Windows installer whose signer is not our publisherName: electron-updater
      // refuses it here, before anything is installed.
      if (this.current.phase === 'downloading') this.set({ phase: 'idle' });
      await this.fail(
        `The update to ${version} could not be downloaded.`,
        err,
        `Nothing was installed. ${AGAIN}`,
      );
    }
  }

  private progressed(percent: number): void {
    const s = this.current;
    if (s.phase !== 'downloading') return;
    const whole = Math.max(0, Math.min(100, Math.floor(percent)));
    // Whole percents only: the menu is rebuilt on each change.
    if (whole !== s.percent) this.set({ ...s, percent: whole });
  }

  private async downloaded(version: string): Promise<void> {
    if (this.current.phase === 'installing') return;
    this.set({ phase: 'ready', version });
    await this.offerRestart(version);
  }

  private async offerRestart(version: string): Promise<void> {
    const uploads = this.o.uploads.count;
    const choice =
      uploads === 0
        ? await this.ask(
            `Firmdrop ${version} is ready to install.`,
            'Restart Firmdrop now to finish the update? It takes a few seconds.',
            ['Restart now', 'Later'],
          )
        : await this.ask(
            `Firmdrop ${version} is ready to install.`,
            `${uploads === 1 ? '1 upload is' : `${uploads} uploads are`} running, and Firmdrop never restarts during an upload. It can restart by itself as soon as the last one finishes.`,
            ['Restart when uploads finish', 'Later'],
          );
    if (choice === 0) {
      this.installWhenIdle(version);
    } else if (this.current.phase === 'after-uploads') {
      // "Later" while waiting calls the wait off; the menu still offers the restart.
      this.stopWaiting();
      this.set({ phase: 'ready', version });
    }
  }

  /** Installs now if no upload moves (one may have started while the dialog was open), else waits. */
  private installWhenIdle(version: string): void {
    if (this.o.uploads.count === 0) {
      this.install(version);
      return;
    }
    this.set({ phase: 'after-uploads', version });
    this.stopWaiting();
    this.waiting = this.o.uploads.onChange((count) => {
      if (count === 0 && this.current.phase === 'after-uploads') this.install(version);
    });
  }

  private install(version: string): void {
    this.stopWaiting();
    this.set({ phase: 'installing', version });
    try {
      this.o.updater.quitAndInstall();
    } catch (err) {
      this.set({ phase: 'ready', version });
      void this.fail('Firmdrop could not restart to install the update.', err, RESTART_AGAIN);
    }
  }

  /**
   * Failures of a check or a download reach their own call (and are shown there). The updater
   * reports an install that could not start only through 'error', so that one is shown here.
   */
  private async failedOutsideACall(err: Error): Promise<void> {
    const s = this.current;
    if (s.phase !== 'installing') return;
    this.set({ phase: 'ready', version: s.version });
    await this.fail('Firmdrop could not restart to install the update.', err, RESTART_AGAIN);
  }

  private stopWaiting(): void {
    this.waiting?.dispose();
    this.waiting = null;
  }

  private set(state: UpdateState): void {
    this.current = state;
    this.changed.fire(state);
  }

  private async tell(message: string, detail: string): Promise<void> {
    await this.o.dialogs.show({ type: 'info', message, detail, buttons: ['OK'] });
  }

  private ask(message: string, detail: string, buttons: string[]): Promise<number> {
    return this.o.dialogs.show({ type: 'question', message, detail, buttons });
  }

  private async fail(message: string, err: unknown, whatToDo: string): Promise<void> {
    await this.o.dialogs.show({
      type: 'error',
      message,
      detail: `${reasonOf(err)}\n\n${whatToDo}`,
      buttons: ['OK'],
    });
  }
}

/** The first line of the cause, short: updater errors can carry whole stack traces. */
function reasonOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n')[0]?.trim() || 'No reason was given.';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

function lc(sentence: string): string {
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}
