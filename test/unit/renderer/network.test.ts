import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostOutage } from '../../../src-main/app/contract';
import {
  draftWaitNote,
  networkProblem,
  nextTryPhrase,
  outageLine,
  outageText,
  waitLine,
  waitText,
} from '../../../src-renderer/lib/network';
import { actionLabel } from '../../../src-renderer/lib/upload-actions';
import { app } from '../../../src-renderer/lib/state/app.svelte';
import { startApp } from '../../../src-renderer/lib/state/bootstrap';
import { Clock } from '../../../src-renderer/lib/state/clock.svelte';
import { network, NetworkStatus } from '../../../src-renderer/lib/state/network.svelte';
import { UploadsState } from '../../../src-renderer/lib/state/uploads.svelte';
import { installFakeBridge, ok } from './fake-bridge';
import { uploadView } from './uploads-fixture';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

// What src-main/dm/network-errors.ts says when a host does not answer.
const REFUSED =
  'Could not reach api.eu-west-1.mbedcloud.com to check the name (connection refused). Check the network or proxy.';
const TIMED_OUT =
  'api.us-east-1.mbedcloud.com did not answer within 30 s while trying to list images. Check the network or proxy.';

function outage(partial: Partial<HostOutage> = {}): HostOutage {
  return {
    host: 'api.eu-west-1.mbedcloud.com',
    accounts: ['EU production'],
    reason: REFUSED,
    nextTryAt: at(12_000),
    uploads: 2,
    ...partial,
  };
}

describe('network wording', () => {
  it('takes the short reason and the host out of the service’s transport errors', () => {
    expect(networkProblem(REFUSED)).toEqual({
      host: 'api.eu-west-1.mbedcloud.com',
      reason: 'connection refused',
      short: true,
    });
    expect(networkProblem(TIMED_OUT)).toEqual({
      host: 'api.us-east-1.mbedcloud.com',
      reason: 'no answer within 30 s',
      short: true,
    });
    // Anything else is shown whole rather than guessed at.
    expect(networkProblem('The proxy asked for a password. ')).toEqual({
      host: null,
      reason: 'The proxy asked for a password.',
      short: false,
    });
  });

  it('counts down in whole seconds, rounded up, and says when it is trying', () => {
    expect(nextTryPhrase(at(12_000), T0)).toBe('next try in 12 s');
    expect(nextTryPhrase(at(11_200), T0)).toBe('next try in 12 s');
    expect(nextTryPhrase(at(500), T0)).toBe('next try in 1 s');
    expect(nextTryPhrase(at(125_000), T0)).toBe('next try in 2 min 5 s');
    expect(nextTryPhrase(at(120_000), T0)).toBe('next try in 2 min');
    expect(nextTryPhrase(at(0), T0)).toBe('trying now…');
    expect(nextTryPhrase(at(-3000), T0)).toBe('trying now…');
    expect(nextTryPhrase(null, T0)).toBe('trying now…');
  });

  it('names the host, its accounts, the reason and the countdown in one banner line', () => {
    const line = outageLine(outage(), T0);
    expect(outageText(line)).toBe(
      "Can't reach api.eu-west-1.mbedcloud.com (EU production): connection refused. 2 uploads wait and go on by themselves — next try in 12 s.",
    );
    expect(line.detail).toBe(REFUSED);
    const one = outageLine(
      outage({ accounts: ['EU production', 'EU staging'], uploads: 1, nextTryAt: null }),
      T0,
    );
    expect(outageText(one)).toBe(
      "Can't reach api.eu-west-1.mbedcloud.com (EU production, EU staging): connection refused. 1 upload waits and goes on by itself — trying now…",
    );
    const unparsed = outageLine(outage({ reason: 'Something odd.', accounts: [] }), T0);
    expect(outageText(unparsed)).toBe(
      "Can't reach api.eu-west-1.mbedcloud.com: Something odd. 2 uploads wait and go on by themselves — next try in 12 s.",
    );
  });

  it('gives a waiting upload its reason and countdown, and nothing to one at rest', () => {
    const waiting = uploadView({
      id: 'w',
      phase: 'waiting-network',
      error: { code: 'network', message: REFUSED },
      retryAt: at(9_000),
    });
    expect(waitText(waitLine(waiting, T0)!)).toBe(
      "Waiting for network — can't reach api.eu-west-1.mbedcloud.com: connection refused. Next try in 9 s.",
    );
    expect(waitText(waitLine({ ...waiting, retryAt: null }, T0)!)).toBe(
      "Waiting for network — can't reach api.eu-west-1.mbedcloud.com: connection refused. Trying now…",
    );
    // A transient trouble while under way: it waits too, but not necessarily for the network.
    const busy = uploadView({
      id: 'b',
      phase: 'uploading',
      error: { code: 'server-error', message: 'The service answered 503 (busy).' },
      retryAt: at(4_000),
    });
    expect(waitText(waitLine(busy, T0)!)).toBe(
      'Waiting to try again — The service answered 503 (busy). Next try in 4 s.',
    );
    expect(waitLine({ ...busy, error: { code: 'timeout', message: TIMED_OUT } }, T0)?.title).toBe(
      'Waiting for network',
    );
    expect(waitLine({ ...busy, phase: 'failed' }, T0)).toBeNull();
    expect(waitLine({ ...busy, phase: 'paused' }, T0)).toBeNull();
    expect(waitLine({ ...busy, retryAt: null }, T0)).toBeNull();
    expect(waitLine({ ...busy, error: null }, T0)).toBeNull();
  });

  it('words a draft on an unreachable host as one that will wait, not as a refusal', () => {
    const note = draftWaitNote(REFUSED);
    expect(note).toMatch(
      /^Can't reach api\.eu-west-1\.mbedcloud\.com right now: connection refused\./,
    );
    expect(note).toMatch(/You can start anyway: the upload waits for the network/);
    expect(note).not.toMatch(/Could not reach/);
  });

  it('calls the retry button of a waiting upload "Try now"', () => {
    expect(actionLabel('retry', 'waiting-network')).toBe('Try now');
    expect(actionLabel('retry', 'failed')).toBe('Retry');
    expect(actionLabel('cancel', 'failed')).toBe('Discard');
    expect(actionLabel('pause', 'waiting-network')).toBe('Pause');
  });
});

describe('the app clock', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }));
  afterEach(() => vi.useRealTimers());

  it('ticks once a second from one timer, however many start it, until the last stops', () => {
    const clock = new Clock();
    expect(clock.running).toBe(false);
    const stopA = clock.start();
    const stopB = clock.start();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(3000);
    expect(clock.now).toBe(T0 + 3000);
    stopA();
    stopA(); // a second stop of the same share changes nothing
    expect(clock.running).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(clock.now).toBe(T0 + 4000);
    stopB();
    expect(clock.running).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(clock.now).toBe(T0 + 4000);
  });
});

describe('network state', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    network.set({ online: true, outages: [] });
  });

  it('keeps the outages, finds an account’s, and moves its countdown with the clock', () => {
    let t = T0;
    const clock = new Clock(1000, () => t);
    const state = new NetworkStatus(clock);
    state.set({ online: false, outages: [outage()] });
    expect(state.lines.map((l) => l.waiting)).toEqual([
      '2 uploads wait and go on by themselves — next try in 12 s.',
    ]);
    t += 5000;
    clock.tick();
    expect(state.lines[0]?.waiting).toBe(
      '2 uploads wait and go on by themselves — next try in 7 s.',
    );

    const eu = { baseUrl: 'https://api.eu-west-1.mbedcloud.com' };
    const us = { baseUrl: 'https://api.us-east-1.mbedcloud.com' };
    expect(state.outageOf(eu)?.host).toBe('api.eu-west-1.mbedcloud.com');
    expect(state.outageOf(us)).toBeUndefined();
    expect(state.outageOf(undefined)).toBeUndefined();
    expect(state.othersGoOn([eu, us])).toBe(true);
    expect(state.othersGoOn([eu])).toBe(false);

    state.set({ online: true, outages: [] });
    expect(state.lines).toEqual([]);
    expect(state.outageOf(eu)).toBeUndefined();
  });

  it('takes the outages from app:info at start and from network:changed afterwards', async () => {
    const fake = installFakeBridge({
      'app:info': () =>
        ok({
          version: '0.1.0',
          online: false,
          outages: [outage()],
          keychain: { ok: true },
          notices: [],
        }),
      'accounts:list': () => ok([]),
      'uploads:list': () => ok([]),
    });
    const stop = await startApp();
    try {
      expect(app.info?.version).toBe('0.1.0');
      expect(network.online).toBe(false);
      expect(network.outages.map((o) => o.host)).toEqual(['api.eu-west-1.mbedcloud.com']);
      fake.emit('network:changed', {
        online: false,
        outages: [outage({ host: '127.0.0.1:4000', accounts: ['Bench'] })],
      });
      expect(network.outages.map((o) => o.host)).toEqual(['127.0.0.1:4000']);
      fake.emit('network:changed', { online: true, outages: [] });
      expect(network.online).toBe(true);
      expect(network.outages).toEqual([]);
    } finally {
      stop();
    }
  });
});

describe('uploads another Firmdrop process works on', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are not offered for "resume all", nor resumed by it', async () => {
    const fake = installFakeBridge({
      'uploads:list': () =>
        ok([
          uploadView({ id: 'mine', phase: 'interrupted' }),
          uploadView({
            id: 'cli',
            phase: 'paused',
            workedElsewhere: 'the firmdrop command (process 4242)',
          }),
        ]),
      'uploads:resume': () => ok(undefined),
    });
    const state = new UploadsState();
    await state.load();
    state.detectInterrupted();
    expect(state.interrupted).toEqual(['mine']);
    state.interrupted = ['mine', 'cli'];
    await state.resumeInterrupted();
    expect(fake.callsTo('uploads:resume')).toEqual([{ id: 'mine' }]);
  });
});
