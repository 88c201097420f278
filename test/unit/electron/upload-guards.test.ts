import { describe, expect, it } from 'vitest';
import type { UploadPhase, UploadView } from '../../../src-main/app/contract';
import { ActiveUploads } from '../../../src-main/shells/electron/active-uploads';
import { keepAwakeDuringUploads } from '../../../src-main/shells/electron/power';
import { quitMessage, shouldPreventQuit } from '../../../src-main/shells/electron/quit-guard';
import { EventHub } from '../../helpers/event-hub';

const upload = (id: string, phase: UploadPhase) => ({ id, phase }) as UploadView;

function tracker() {
  const hub = new EventHub();
  return { hub, active: new ActiveUploads(hub) };
}

describe('active uploads', () => {
  it('stops following the service once disposed', () => {
    const { hub, active } = tracker();
    hub.emit('upload:changed', upload('a', 'uploading'));
    active.dispose();
    expect(hub.hasListeners('upload:changed') || hub.hasListeners('upload:removed')).toBe(false);
    hub.emit('upload:changed', upload('b', 'uploading'));
    expect(active.count).toBe(1);
  });
});

describe('power save blocker', () => {
  it('holds one blocker while any upload moves, and releases it after the last', () => {
    const { hub, active } = tracker();
    const log: string[] = [];
    keepAwakeDuringUploads(active, {
      start: (type) => (log.push(`start:${type}`), 7),
      stop: (id) => (log.push(`stop:${id}`), true),
    });
    hub.emit('upload:changed', upload('a', 'uploading'));
    hub.emit('upload:changed', upload('b', 'hashing'));
    hub.emit('upload:changed', upload('a', 'done'));
    expect(log).toEqual(['start:prevent-app-suspension']);
    hub.emit('upload:changed', upload('b', 'paused'));
    expect(log).toEqual(['start:prevent-app-suspension', 'stop:7']);
  });

  it('releases the blocker when disposed, and stops following the uploads', () => {
    const { hub, active } = tracker();
    const log: string[] = [];
    const keeping = keepAwakeDuringUploads(active, {
      start: () => (log.push('start'), 7),
      stop: (id) => (log.push(`stop:${id}`), true),
    });
    hub.emit('upload:changed', upload('a', 'uploading'));
    keeping.dispose();
    hub.emit('upload:changed', upload('b', 'uploading'));
    expect(log).toEqual(['start', 'stop:7']);
  });
});

describe('quit guard', () => {
  it('asks only when uploads run, and respects the answer', () => {
    const { hub, active } = tracker();
    const asked: number[] = [];
    const prompt = (answer: boolean) => ({ confirmQuit: (n: number) => (asked.push(n), answer) });
    expect(shouldPreventQuit(active, prompt(false))).toBe(false);
    hub.emit('upload:changed', upload('a', 'uploading'));
    expect(shouldPreventQuit(active, prompt(false))).toBe(true);
    expect(shouldPreventQuit(active, prompt(true))).toBe(false);
    expect(asked).toEqual([1, 1]);
    expect(quitMessage(2).message).toBe('2 uploads are still running. Quit Firmdrop?');
  });
});
