import { describe, expect, it } from 'vitest';
import { abortableSleep, startDeadline } from '../../../src-main/dm/deadline';

describe('startDeadline', () => {
  it('fires as a timeout after timeoutMs', async () => {
    const d = startDeadline(undefined, 20);
    await new Promise((r) => setTimeout(r, 60));
    expect(d.signal.aborted).toBe(true);
    expect(d.abortedBy).toBe('timeout');
    d.dispose();
  });

  it('follows the caller’s signal as a cancel, and the first cause wins', async () => {
    const caller = new AbortController();
    const d = startDeadline(caller.signal, 20);
    caller.abort(new Error('user pressed cancel'));
    await new Promise((r) => setTimeout(r, 40));
    expect(d.abortedBy).toBe('cancelled');
    expect((d.signal.reason as Error).message).toBe('user pressed cancel');
    d.dispose();
  });

  it('is already aborted when the caller’s signal was', () => {
    const d = startDeadline(AbortSignal.abort(), 1000);
    expect(d.signal.aborted).toBe(true);
    expect(d.abortedBy).toBe('cancelled');
    d.dispose();
  });

  it('expire() ends it as a timeout at once; dispose() stops the timer and detaches', async () => {
    const a = startDeadline(undefined, 10_000);
    a.expire('stalled');
    expect(a.abortedBy).toBe('timeout');
    a.dispose();
    const caller = new AbortController();
    const b = startDeadline(caller.signal, 20);
    b.dispose();
    caller.abort();
    await new Promise((r) => setTimeout(r, 40));
    expect(b.signal.aborted).toBe(false);
  });
});

describe('abortableSleep', () => {
  it('sleeps, or rejects with the reason when aborted', async () => {
    const started = Date.now();
    await abortableSleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const c = new AbortController();
    setTimeout(() => c.abort(new Error('stop')), 10);
    await expect(abortableSleep(10_000, c.signal)).rejects.toThrow('stop');
    await expect(abortableSleep(10, AbortSignal.abort(new Error('early')))).rejects.toThrow(
      'early',
    );
  });
});
