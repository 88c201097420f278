import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { startSandbox } from '../../src-sandbox';
import { createKeytarStore } from '../../src-main/secrets';
import type { SecretStore } from '../../src-main/secrets';
import { launchWebApp } from '../../src-main/shells/web/launch';
import type { WebApp } from '../../src-main/shells/web/launch';
import { CHUNK_WORKER_ENV } from '../../src-main/upload/chunk-reader';
import { E2E_ENV_VAR } from './env';
import type { E2eEnv } from './env';

/**
 * Starts, in this (the runner's) process: a standalone sandbox with one commercial account — the
 * "real service" the tests add as an account — and the whole app twice behind the loopback web
 * shell (one shared by the tests, one left fresh for the first-run test), each on a new data
 * folder, with the real OS keychain under a service name of this run's own.
 * Returns the teardown, which Playwright runs after the last test.
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const root = config.configFile ? dirname(config.configFile) : process.cwd();
  const work = await mkdtemp(join(tmpdir(), 'firmdrop-e2e-'));
  const keychain = createKeytarStore({ service: `Firmdrop-e2e-${randomUUID()}` });
  const status = await keychain.probe();
  if (!status.ok) {
    await rm(work, { recursive: true, force: true });
    throw new Error(
      `The end-to-end tests need a working OS keychain; the probe said ${status.reason}: ${status.message} ` +
        'Run them through `npm test` (a private D-Bus session with an unlocked gnome-keyring).',
    );
  }

  // The apps run from the TypeScript sources, which have no built worker for the chunk reader
  // beside them: use the CLI build's, made with the renderer these tests serve (npm run build).
  process.env[CHUNK_WORKER_ENV] ||= join(root, 'out', 'cli', 'chunk-worker.cjs');

  const sandboxKey = `ak_e2e_${randomBytes(16).toString('hex')}`;
  const sandbox = await startSandbox({
    dataDir: join(work, 'service'),
    accounts: [{ key: sandboxKey, tier: '1', name: 'E2E Industries' }],
  });
  const apps: WebApp[] = [];
  const teardown = async (): Promise<void> => {
    for (const app of apps) {
      await forgetKeys(app, keychain);
      await app.close();
    }
    await sandbox.close();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const version = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const launch = async (name: string) => {
      const app = await launchWebApp({
        dataDir: join(work, name),
        rendererDir: join(root, 'out', 'renderer'),
        version,
        keychain,
      });
      apps.push(app);
      return app;
    };
    const shared = await launch('app');
    const fresh = await launch('fresh-app');
    const filesDir = join(work, 'files');
    const screensDir = join(root, 'test', 'artifacts', 'screens');
    await mkdir(filesDir, { recursive: true });
    await mkdir(screensDir, { recursive: true });
    const env: E2eEnv = {
      appUrl: shared.url,
      freshAppUrl: fresh.url,
      sandboxUrl: sandbox.url,
      sandboxAdminToken: sandbox.adminToken,
      sandboxKey,
      accountName: 'E2E Commercial',
      filesDir,
      screensDir,
    };
    process.env[E2E_ENV_VAR] = JSON.stringify(env);
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

/** The run's keychain entries go with it, even though the service name is never reused. */
async function forgetKeys(app: WebApp, keychain: SecretStore): Promise<void> {
  for (const account of app.app.runtime.accounts.list()) {
    if (!account.isSandbox) await keychain.delete(account.id).catch(() => false);
  }
}
