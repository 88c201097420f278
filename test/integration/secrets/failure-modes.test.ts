import { afterEach, describe, expect, it } from 'vitest';
import { KEYCHAIN_MESSAGES } from '../../../src-main/secrets';
import {
  KeychainHome,
  START_LOCKED,
  UNLOCK_KEYRING,
  runInSession,
  runWithoutSession,
} from './keychain-sessions';
import type { ChildRun, StepResult } from './keychain-sessions';

// Each case runs the real KeytarStore in a child process on its own D-Bus session (or none), with
// a real gnome-keyring where one is needed: what the user's machine does, reproduced.

const KEY = 'ak_FAILUREMODE_0123456789abcdefSECRET';
const homes: KeychainHome[] = [];
const home = () => {
  const h = new KeychainHome();
  homes.push(h);
  return h;
};
afterEach(() => {
  for (const h of homes.splice(0)) h.remove();
});

/** The key may come back as the value of a successful get, and nowhere else: no error, no log. */
function expectNoKey(run: ChildRun): void {
  expect(run.stderr).not.toContain(KEY);
  const rest = run.results.map((r) => (r.op === 'get' && r.ok ? { ...r, value: '(the key)' } : r));
  expect(JSON.stringify(rest)).not.toContain(KEY);
}

function expectFailure(r: StepResult | undefined, code: string, reason: string, message: string) {
  expect(r, 'step result').toBeDefined();
  expect(r).toMatchObject({ ok: false, name: 'KeychainError', code, reason, message });
}

function expectProbe(r: StepResult | undefined, reason: string, message: string) {
  expect(r).toMatchObject({ ok: true, value: { ok: false, reason, message } });
}

describe('keychain failure modes (real D-Bus, real gnome-keyring)', () => {
  it('no session bus (address points at no socket) → unavailable, for every call and the probe', async () => {
    const h = home();
    const run = await runWithoutSession(
      h,
      { DBUS_SESSION_BUS_ADDRESS: `unix:path=${h.run}/no-such-bus` },
      [
        { op: 'get', id: 'a' },
        { op: 'set', id: 'a', key: KEY },
        { op: 'delete', id: 'a' },
        { op: 'probe' },
      ],
    );
    const [get, set, del, probe] = run.results;
    for (const r of [get, set, del]) {
      expectFailure(r, 'keychain-unavailable', 'unavailable', KEYCHAIN_MESSAGES.noBus);
    }
    expectProbe(probe, 'unavailable', KEYCHAIN_MESSAGES.noBus);
    expectNoKey(run);
  });

  it('no bus address and no display (D-Bus cannot autolaunch) → unavailable', async () => {
    const run = await runWithoutSession(home(), {}, [
      { op: 'set', id: 'a', key: KEY },
      { op: 'probe' },
    ]);
    expectFailure(run.results[0], 'keychain-unavailable', 'unavailable', KEYCHAIN_MESSAGES.noBus);
    expect(run.results[0]?.cause).toMatch(/autolaunch/i);
    expectProbe(run.results[1], 'unavailable', KEYCHAIN_MESSAGES.noBus);
    expectNoKey(run);
  });

  it('a session bus without any Secret Service → unavailable ("install gnome-keyring or KWallet")', async () => {
    const h = home();
    const run = await runInSession(h, [{ op: 'set', id: 'a', key: KEY }, { op: 'probe' }], {
      busConfig: h.bareBusConfig(),
    });
    expectFailure(
      run.results[0],
      'keychain-unavailable',
      'unavailable',
      KEYCHAIN_MESSAGES.noService,
    );
    expectProbe(run.results[1], 'unavailable', KEYCHAIN_MESSAGES.noService);
    expectNoKey(run);
  });

  it('gnome-keyring running but no keyring created yet → locked; get answers null', async () => {
    const run = await runInSession(
      home(),
      [{ op: 'get', id: 'a' }, { op: 'set', id: 'a', key: KEY }, { op: 'probe' }],
      { before: START_LOCKED },
    );
    expect(run.results[0]).toMatchObject({ ok: true, value: null });
    expectFailure(run.results[1], 'keychain-locked', 'locked', KEYCHAIN_MESSAGES.locked);
    expectProbe(run.results[2], 'locked', KEYCHAIN_MESSAGES.locked);
    expectNoKey(run);
  });

  it('a locked keyring: get answers null although a key is stored — only the probe tells', async () => {
    const h = home();
    const stored = await runInSession(h, [{ op: 'set', id: 'acct-1', key: KEY }], {
      before: UNLOCK_KEYRING('pw'),
    });
    expect(stored.results[0]).toMatchObject({ ok: true });

    const locked = await runInSession(
      h,
      [
        { op: 'get', id: 'acct-1' },
        { op: 'set', id: 'acct-2', key: KEY },
        { op: 'delete', id: 'acct-1' },
        { op: 'probe' },
      ],
      { before: START_LOCKED },
    );
    const [get, set, del, probe] = locked.results;
    expect(get).toMatchObject({ ok: true, value: null });
    expectFailure(set, 'keychain-locked', 'locked', KEYCHAIN_MESSAGES.locked);
    expect(set?.cause).toMatch(/locked collection/);
    expect(del).toMatchObject({ ok: true, value: false });
    expectProbe(probe, 'locked', KEYCHAIN_MESSAGES.locked);
    expectNoKey(locked);

    // Unlocked again, the key is there: the null above was "locked", not "no key".
    const unlocked = await runInSession(h, [{ op: 'get', id: 'acct-1' }], {
      before: UNLOCK_KEYRING('pw'),
    });
    expect(unlocked.results[0]).toMatchObject({ ok: true, value: KEY });
  });

  it('a keychain that stops answering → timeout; later calls fail fast until the stuck call returns', async () => {
    const t = 400;
    const run = await runInSession(
      home(),
      [
        { op: 'set', id: 'a', key: KEY },
        { op: 'stop-daemon' }, // SIGSTOP: the daemon holds our request and never replies
        { op: 'get', id: 'a', timeoutMs: t },
        { op: 'set', id: 'b', key: KEY, timeoutMs: t },
        { op: 'probe', timeoutMs: t },
        { op: 'cont-daemon' },
        { op: 'sleep', ms: 500 },
        { op: 'get', id: 'a', timeoutMs: t },
        { op: 'probe', timeoutMs: t },
      ],
      { before: UNLOCK_KEYRING('pw') },
    );
    const [set, , hung, fast, probe, , , after, probeAfter] = run.results;
    expect(set).toMatchObject({ ok: true });
    const timeout = KEYCHAIN_MESSAGES.timeout(t);
    expectFailure(hung, 'keychain-locked', 'timeout', timeout);
    expect(hung?.ms).toBeGreaterThanOrEqual(t - 5);
    expect(hung?.ms).toBeLessThan(t + 1000);
    // While the first call is stuck no second native call is started.
    expectFailure(fast, 'keychain-locked', 'timeout', timeout);
    expect(fast?.ms).toBeLessThan(100);
    expectProbe(probe, 'timeout', timeout);
    expect(after).toMatchObject({ ok: true, value: KEY });
    expect(probeAfter).toMatchObject({ ok: true, value: { ok: true } });
    expectNoKey(run);
  });
});
