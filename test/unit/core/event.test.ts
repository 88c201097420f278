import { describe, expect, it } from 'vitest';
import {
  DisposableStore,
  Emitter,
  toDisposable,
  whenFired,
  type Disposable,
} from '../../../src-main/core/event';

describe('Emitter', () => {
  it('calls listeners in the order they subscribed, each with the fired value', () => {
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    emitter.event((n) => heard.push(`a${n}`));
    emitter.event((n) => heard.push(`b${n}`));
    emitter.event((n) => heard.push(`c${n}`));
    emitter.fire(1);
    emitter.fire(2);
    expect(heard).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
  });

  it('dispose unsubscribes exactly that one subscription, even of a function subscribed twice', () => {
    const emitter = new Emitter<string>();
    const heard: string[] = [];
    const twice = (v: string) => heard.push(`twice:${v}`);
    const first = emitter.event(twice);
    emitter.event(twice);
    emitter.event((v) => heard.push(`other:${v}`));
    emitter.fire('x');
    expect(heard).toEqual(['twice:x', 'twice:x', 'other:x']);

    heard.length = 0;
    first.dispose();
    first.dispose(); // a second dispose must not take the other subscription with it
    emitter.fire('y');
    expect(heard).toEqual(['twice:y', 'other:y']);
  });

  it('keeps calling the others when one listener throws, and reports that error', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>((err) => errors.push(err));
    const heard: number[] = [];
    const boom = new Error('window closed');
    emitter.event((n) => heard.push(n));
    emitter.event(() => {
      throw boom;
    });
    emitter.event((n) => heard.push(n * 10));
    expect(() => emitter.fire(3)).not.toThrow();
    expect(heard).toEqual([3, 30]);
    expect(errors).toEqual([boom]);
  });

  it('swallows a throwing listener when no error callback was given', () => {
    const emitter = new Emitter<void>();
    let after = 0;
    emitter.event(() => {
      throw new Error('ignored');
    });
    emitter.event(() => after++);
    expect(() => emitter.fire()).not.toThrow();
    expect(after).toBe(1);
  });

  it('tells whether anyone listens', () => {
    const emitter = new Emitter<number>();
    expect(emitter.hasListeners).toBe(false);
    const sub = emitter.event(() => undefined);
    expect(emitter.hasListeners).toBe(true);
    sub.dispose();
    expect(emitter.hasListeners).toBe(false);
  });

  it('once disposed, drops its listeners and ignores new subscriptions', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    const sub = emitter.event((n) => heard.push(n));
    emitter.dispose();
    expect(emitter.hasListeners).toBe(false);
    emitter.fire(1);
    const late = emitter.event((n) => heard.push(n));
    expect(emitter.hasListeners).toBe(false);
    emitter.fire(2);
    expect(heard).toEqual([]);
    // Disposing subscriptions after their emitter is harmless.
    sub.dispose();
    late.dispose();
  });
});

describe('toDisposable', () => {
  it('runs its function once however often it is disposed', () => {
    let runs = 0;
    const d = toDisposable(() => runs++);
    d.dispose();
    d.dispose();
    expect(runs).toBe(1);
  });
});

describe('DisposableStore', () => {
  const counted = () => {
    let count = 0;
    const d: Disposable = { dispose: () => void count++ };
    return { d, count: () => count };
  };

  it('disposes everything it holds, and add returns the item', () => {
    const store = new DisposableStore();
    const a = counted();
    const b = counted();
    expect(store.add(a.d)).toBe(a.d);
    store.add(b.d);
    expect([a.count(), b.count()]).toEqual([0, 0]);
    store.dispose();
    expect([a.count(), b.count()]).toEqual([1, 1]);
  });

  it('disposes an item added after the store was disposed at once', () => {
    const store = new DisposableStore();
    store.dispose();
    const late = counted();
    store.add(late.d);
    expect(late.count()).toBe(1);
  });

  it('is idempotent: a second dispose disposes nothing again', () => {
    const store = new DisposableStore();
    const a = counted();
    store.add(a.d);
    store.dispose();
    store.dispose();
    expect(a.count()).toBe(1);
  });

  it('unsubscribes every subscription it holds from an emitter', () => {
    const emitter = new Emitter<number>();
    const store = new DisposableStore();
    const heard: number[] = [];
    store.add(emitter.event((n) => heard.push(n)));
    store.add(emitter.event((n) => heard.push(-n)));
    emitter.fire(1);
    store.dispose();
    emitter.fire(2);
    expect(heard).toEqual([1, -1]);
    expect(emitter.hasListeners).toBe(false);
  });
});

describe('whenFired', () => {
  it('resolves with the first value the test accepts, then unsubscribes', async () => {
    const emitter = new Emitter<number>();
    const next = whenFired(emitter.event, (n) => n > 1);
    expect(emitter.hasListeners).toBe(true);
    emitter.fire(0);
    emitter.fire(1);
    expect(emitter.hasListeners).toBe(true);
    emitter.fire(2);
    expect(emitter.hasListeners).toBe(false);
    emitter.fire(3);
    await expect(next).resolves.toBe(2);
  });

  it('accepts the very first value when given no test', async () => {
    const emitter = new Emitter<string>();
    const next = whenFired(emitter.event);
    emitter.fire('first');
    emitter.fire('second');
    await expect(next).resolves.toBe('first');
    expect(emitter.hasListeners).toBe(false);
  });
});
