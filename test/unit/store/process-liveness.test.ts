import { afterEach, describe, expect, it, vi } from 'vitest';
import { isProcessAlive, leaseHolderDead } from '../../../src-main/store';

const coded = (code: string) => Object.assign(new Error(code), { code });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('isProcessAlive', () => {
  it('asks with signal 0: ESRCH is gone, EPERM (another user) and anything unknown are alive', () => {
    const kill = vi.spyOn(process, 'kill');
    kill.mockImplementation(() => true);
    expect(isProcessAlive(4242)).toBe(true);
    expect(kill).toHaveBeenLastCalledWith(4242, 0);
    kill.mockImplementation(() => {
      throw coded('ESRCH');
    });
    expect(isProcessAlive(4242)).toBe(false);
    kill.mockImplementation(() => {
      throw coded('EPERM');
    });
    expect(isProcessAlive(4242)).toBe(true);
    kill.mockImplementation(() => {
      throw coded('EINVAL');
    });
    expect(isProcessAlive(4242)).toBe(true);
  });

  it('never signals a process group: pids that are not positive whole numbers count as alive', () => {
    const kill = vi.spyOn(process, 'kill');
    for (const pid of [0, -1, -4242, 1.5, Number.NaN]) expect(isProcessAlive(pid)).toBe(true);
    expect(kill).not.toHaveBeenCalled();
  });

  it('this process is alive', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
  });
});

describe('leaseHolderDead', () => {
  const holder = { pid: 4242, host: 'bench-1', expiresAt: 1000 };
  const here = { host: 'bench-1' };
  const notRunning = () => false;
  const running = () => true;

  it('an expired holder is gone, wherever it runs and whatever its pid', () => {
    expect(leaseHolderDead(holder, here, 1000, running)).toBe(true);
    expect(leaseHolderDead({ ...holder, host: 'bench-2' }, here, 1000, running)).toBe(true);
    expect(leaseHolderDead(holder, here, 999, running)).toBe(false);
  });

  it('before expiry only a pid on this host that no longer runs counts', () => {
    expect(leaseHolderDead(holder, here, 999, notRunning)).toBe(true);
    expect(leaseHolderDead({ ...holder, host: 'bench-2' }, here, 999, notRunning)).toBe(false);
  });
});
