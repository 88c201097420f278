import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { UploadPhase, UploadView } from '../../../src-main/app/contract';
import { ActiveUploads } from '../../../src-main/shells/electron/active-uploads';
import {
  UpdateFlow,
  updateMenuItem,
  type UpdateDialog,
} from '../../../src-main/shells/electron/update-flow';
import { EventHub } from '../../helpers/event-hub';

// Electron cannot run here: electron-updater's AppUpdater is an EventEmitter double whose check,
// download and install the test drives, and the native dialogs answer from a script.
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

class FakeUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  calls: string[] = [];
  checkResult: { isUpdateAvailable: boolean; updateInfo: { version: string } } | null = {
    isUpdateAvailable: true,
    updateInfo: { version: '2.0.0' },
  };
  checkError: Error | null = null;
  private download = deferred<string[]>();

  async checkForUpdates() {
    this.calls.push('check');
    if (this.checkError) throw this.checkError;
    return this.checkResult;
  }
  downloadUpdate() {
    this.calls.push('download');
    return this.download.promise;
  }
  quitAndInstall() {
    this.calls.push('install');
  }
  /** What electron-updater does when the file is in: the event, then the promise. */
  finishDownload(version = '2.0.0') {
    this.emit('update-downloaded', { version });
    this.download.resolve(['/tmp/update.exe']);
  }
  failDownload(err: Error) {
    this.emit('error', err);
    this.download.reject(err);
  }
}

function setup() {
  const hub = new EventHub();
  const active = new ActiveUploads(hub);
  const updater = new FakeUpdater();
  const shown: UpdateDialog[] = [];
  // A label, or a user who does something while the dialog is open and then answers.
  const answers: Array<string | (() => string)> = [];
  const dialogs = {
    show: async (d: UpdateDialog) => {
      shown.push(d);
      if (d.buttons.length === 1) return 0;
      const next = answers.shift();
      const answer = typeof next === 'function' ? next() : next;
      const index = answer === undefined ? -1 : d.buttons.indexOf(answer);
      if (index < 0) throw new Error(`No scripted answer among ${d.buttons.join(' / ')}`);
      return index;
    },
  };
  const flow = new UpdateFlow({ updater, uploads: active, dialogs, currentVersion: '1.0.0' });
  const labels: string[] = [];
  flow.onChange((s) => labels.push(updateMenuItem(s).label));
  const upload = (id: string, phase: UploadPhase) =>
    hub.emit('upload:changed', { id, phase } as UploadView);
  return { hub, updater, flow, shown, answers, labels, upload };
}

describe('update flow', () => {
  it('leaves downloads and installs to the flow, never to electron-updater on its own', () => {
    const { updater } = setup();
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('checks, offers the download, shows its progress, then restarts to update', async () => {
    const { updater, flow, shown, answers, labels } = setup();
    answers.push('Download', 'Restart now');
    const running = flow.activate();
    await vi.waitFor(() => expect(flow.state.phase).toBe('downloading'));
    expect(shown[0]).toMatchObject({
      type: 'question',
      message: 'Firmdrop 2.0.0 is available.',
      buttons: ['Download', 'Later'],
    });
    expect(updateMenuItem(flow.state)).toEqual({
      label: 'Downloading update… 0 %',
      enabled: false,
    });
    updater.emit('download-progress', { percent: 41.7 });
    updater.emit('download-progress', { percent: 41.9 });
    expect(updateMenuItem(flow.state).label).toBe('Downloading update… 41 %');
    updater.finishDownload();
    await running;
    await vi.waitFor(() => expect(updater.calls).toEqual(['check', 'download', 'install']));
    expect(shown[1]).toMatchObject({ buttons: ['Restart now', 'Later'] });
    expect(labels).toEqual([
      'Checking for updates…',
      'Check for updates…',
      'Downloading update… 0 %',
      'Downloading update… 41 %',
      'Restart to update',
      'Restarting to update…',
    ]);
  });

  it('keeps "Restart to update" in the menu when the user says Later', async () => {
    const { updater, flow, answers } = setup();
    answers.push('Download', 'Later');
    const running = flow.activate();
    await vi.waitFor(() => expect(flow.state.phase).toBe('downloading'));
    updater.finishDownload();
    await running;
    await vi.waitFor(() => expect(flow.state).toEqual({ phase: 'ready', version: '2.0.0' }));
    expect(updateMenuItem(flow.state)).toEqual({ label: 'Restart to update', enabled: true });
    answers.push('Restart now');
    await flow.activate();
    expect(updater.calls).toEqual(['check', 'download', 'install']);
  });

  it('never checks while an upload moves', async () => {
    const { updater, flow, shown, upload } = setup();
    upload('a', 'uploading');
    await flow.activate();
    expect(updater.calls).toEqual([]);
    expect(shown[0]?.message).toBe('Uploads are running. Check for updates when they finish.');
  });

  it('does not start the download when an upload started while the offer was open', async () => {
    const { updater, flow, shown, answers, upload } = setup();
    answers.push(() => (upload('a', 'queued'), 'Download'));
    await flow.activate();
    expect(updater.calls).toEqual(['check']);
    expect(shown.at(-1)?.message).toBe(
      'An upload started meanwhile, so the update was not downloaded.',
    );
  });

  it('never restarts during an upload: offers to restart when they finish, then does', async () => {
    const { updater, flow, shown, answers, upload } = setup();
    answers.push('Download', 'Restart when uploads finish');
    const running = flow.activate();
    await vi.waitFor(() => expect(flow.state.phase).toBe('downloading'));
    upload('a', 'uploading');
    upload('b', 'queued');
    updater.finishDownload();
    await running;
    await vi.waitFor(() => expect(flow.state.phase).toBe('after-uploads'));
    expect(shown.at(-1)).toMatchObject({
      buttons: ['Restart when uploads finish', 'Later'],
      detail: expect.stringMatching(/^2 uploads are running, and Firmdrop never restarts/),
    });
    upload('a', 'done');
    expect(updater.calls).not.toContain('install');
    upload('b', 'paused');
    expect(updater.calls).toEqual(['check', 'download', 'install']);
    expect(flow.state.phase).toBe('installing');
  });

  it('waits when an upload started while "Restart now" was on screen; Later calls the wait off', async () => {
    const { updater, flow, answers, upload } = setup();
    answers.push('Download', () => (upload('a', 'uploading'), 'Restart now'));
    const running = flow.activate();
    await vi.waitFor(() => expect(flow.state.phase).toBe('downloading'));
    updater.finishDownload();
    await running;
    await vi.waitFor(() => expect(flow.state.phase).toBe('after-uploads'));
    expect(updateMenuItem(flow.state)).toEqual({
      label: 'Restart to update (waiting for uploads)…',
      enabled: true,
    });
    expect(updater.calls).not.toContain('install');
    answers.push('Later');
    await flow.activate();
    expect(flow.state.phase).toBe('ready');
    upload('a', 'done');
    expect(updater.calls).not.toContain('install');
  });

  it('shows a failed check with its reason and what to do, and can check again', async () => {
    const { updater, flow, shown } = setup();
    updater.checkError = new Error('net::ERR_NAME_NOT_RESOLVED\n    at stack line');
    await flow.activate();
    expect(shown[0]).toMatchObject({
      type: 'error',
      message: 'Firmdrop could not check for updates.',
      detail:
        'net::ERR_NAME_NOT_RESOLVED\n\nCheck the network, then choose Help › Check for updates… to try again.',
    });
    expect(updateMenuItem(flow.state)).toEqual({ label: 'Check for updates…', enabled: true });
  });

  it('shows a download refused for its signature, and installs nothing', async () => {
    const { updater, flow, shown, answers } = setup();
    answers.push('Download');
    const running = flow.activate();
    await vi.waitFor(() => expect(flow.state.phase).toBe('downloading'));
    updater.failDownload(
      new Error(
        'New version 2.0.0 is not signed by the application owner: publisherNames: Firmdrop',
      ),
    );
    await running;
    expect(shown.at(-1)).toMatchObject({
      type: 'error',
      message: 'The update to 2.0.0 could not be downloaded.',
      detail: expect.stringMatching(
        /not signed by the application owner[\s\S]*Nothing was installed/,
      ),
    });
    expect(flow.state.phase).toBe('idle');
    expect(updater.calls).toEqual(['check', 'download']);
  });

  it('shows an install that could not start, and offers the restart again', async () => {
    const { updater, flow, shown, answers } = setup();
    answers.push('Download', 'Restart now');
    const running = flow.activate();
    await vi.waitFor(() => expect(flow.state.phase).toBe('downloading'));
    updater.finishDownload();
    await running;
    await vi.waitFor(() => expect(flow.state.phase).toBe('installing'));
    updater.emit('error', new Error("No update filepath provided, can't quit and install"));
    await vi.waitFor(() => expect(shown.at(-1)?.type).toBe('error'));
    expect(shown.at(-1)?.message).toBe('Firmdrop could not restart to install the update.');
    expect(flow.state).toEqual({ phase: 'ready', version: '2.0.0' });
  });

  it('says when there is nothing to update', async () => {
    const { updater, flow, shown } = setup();
    updater.checkResult = { isUpdateAvailable: false, updateInfo: { version: '1.0.0' } };
    await flow.activate();
    updater.checkResult = null; // electron-updater's answer in an unpackaged app
    await flow.activate();
    expect(shown.map((d) => d.message)).toEqual([
      'Firmdrop 1.0.0 is the latest version.',
      'Updates come only to the installed app.',
    ]);
    expect(updater.calls).toEqual(['check', 'check']);
  });

  it('stops listening to the updater when disposed', () => {
    const { updater, flow } = setup();
    flow.dispose();
    expect(updater.eventNames()).toEqual([]);
  });
});
