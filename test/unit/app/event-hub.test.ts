import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src-main/app/event-hub';

describe('EventHub', () => {
  it('delivers each event only to the listeners of that event', () => {
    const hub = new EventHub();
    const heard: string[] = [];
    hub.on('network:changed', ({ online }) => heard.push(`network:${online}`));
    hub.on('upload:removed', ({ id }) => heard.push(`removed:${id}`));
    hub.emit('upload:removed', { id: 'u1' });
    hub.emit('network:changed', { online: false, outages: [] });
    expect(heard).toEqual(['removed:u1', 'network:false']);
  });

  it('on returns a Disposable that unsubscribes that listener only', () => {
    const hub = new EventHub();
    const heard: string[] = [];
    const a = hub.on('notice', ({ message }) => heard.push(`a:${message}`));
    hub.on('notice', ({ message }) => heard.push(`b:${message}`));
    a.dispose();
    hub.emit('notice', { level: 'info', message: 'hi' });
    expect(heard).toEqual(['b:hi']);
    expect(hub.hasListeners('notice')).toBe(true);
    expect(hub.hasListeners('accounts:changed')).toBe(false);
  });

  it('keeps delivering to the others when one listener throws', () => {
    const hub = new EventHub();
    const heard: boolean[] = [];
    hub.on('network:changed', () => {
      throw new Error('window gone');
    });
    hub.on('network:changed', ({ online }) => heard.push(online));
    expect(() => hub.emit('network:changed', { online: true, outages: [] })).not.toThrow();
    expect(heard).toEqual([true]);
  });
});
