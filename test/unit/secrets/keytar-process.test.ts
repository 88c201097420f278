import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createKeytarStore, KEYCHAIN_MESSAGES, KeychainError } from '../../../src-main/secrets';
import { keytarInHelperProcess } from '../../../src-main/secrets/keytar-process';

// The helper process runs a stand-in keytar (fake-keytar.cjs). The real keychain, hung, is in
// test/integration/cli/keychain-hang.test.ts.
const FAKE = resolve(import.meta.dirname, 'fake-keytar.cjs');
const CHILD = resolve(import.meta.dirname, 'keytar-process-child.mjs');
const KEY = 'ak_helper_process_0123456789SECRET';

const alive = (pid: number): boolean => {
  try {
    // A zombie is as good as gone; a live process has state other than Z.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Our helpers: processes whose command line names the stand-in keytar. */
function helpers(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(FAKE);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function runChild(mode: 'idle' | 'stuck'): Promise<{ helper: number; ms: number }> {
  const started = Date.now();
  const { stdout } = await promisify(execFile)(process.execPath, [CHILD, mode, FAKE], {
    timeout: 20_000,
  });
  return { helper: Number(stdout.trim()), ms: Date.now() - started };
}

describe('keytar in a helper process', () => {
  it('set, get and delete go through the helper; the key is never on its command line', async () => {
    const store = createKeytarStore({
      service: 'svc',
      load: keytarInHelperProcess({ keytarPath: FAKE }),
    });
    await store.set('a', KEY);
    expect(await store.get('a')).toBe(KEY);
    const mine = helpers().filter((pid) =>
      readFileSync(`/proc/${pid}/stat`, 'utf8').includes(` ${process.pid} `),
    );
    expect(mine).toHaveLength(1);
    expect(readFileSync(`/proc/${mine[0]}/cmdline`, 'utf8')).not.toContain(KEY);
    expect(await store.delete('a')).toBe(true);
    expect(await store.get('a')).toBeNull();
  });

  it("keytar's errors arrive with their text, and are classified as before", async () => {
    const store = createKeytarStore({ load: keytarInHelperProcess({ keytarPath: FAKE }) });
    const err = await store.get('fail').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeychainError);
    expect(err).toMatchObject({ reason: 'unavailable', message: KEYCHAIN_MESSAGES.noBus });
  });

  it('a keytar that is not there (npm dropped it) says it is not installed and what to run', async () => {
    // The helper's own require() fails for real, as after an install whose keytar build failed.
    const load = keytarInHelperProcess({ keytarPath: '/nonexistent/keytar/lib/keytar.js' });
    const err = await createKeytarStore({ load })
      .get('a')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'unavailable', message: KEYCHAIN_MESSAGES.notInstalled });
    expect((err as Error).message).toContain(
      'sudo apt-get install -y libsecret-1-dev pkg-config build-essential python3 && npm install',
    );
  });

  it('an idle helper does not keep its process alive', async () => {
    const { helper } = await runChild('idle');
    expect(helper).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(helper)).toBe(false);
  });

  it('a helper stuck in a call is killed when its process exits', async () => {
    const { helper } = await runChild('stuck');
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(alive(helper)).toBe(false);
    } finally {
      if (alive(helper)) process.kill(helper, 'SIGKILL');
    }
  });
});
