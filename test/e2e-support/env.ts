/**
 * What the global setup started, handed to the test workers through one environment variable
 * (workers are spawned after the global setup and inherit its environment).
 */
export interface E2eEnv {
  /** The app every test but the first-run one uses (with ?token=…). */
  appUrl: string;
  /** A second app on its own fresh data folder, seen only by the first-run test. */
  freshAppUrl: string;
  /** The standalone sandbox that stands in for the real service. */
  sandboxUrl: string;
  sandboxAdminToken: string;
  /** Its commercial account's API key. */
  sandboxKey: string;
  /** The name the shared account gets in Firmdrop (added through the UI by the first test needing it). */
  accountName: string;
  /** Where tests write the files they upload. */
  filesDir: string;
  /** Where screenshots go (test/artifacts/screens). */
  screensDir: string;
}

export const E2E_ENV_VAR = 'FIRMDROP_E2E';

export function e2eEnv(): E2eEnv {
  const raw = process.env[E2E_ENV_VAR];
  if (!raw) {
    throw new Error(
      `${E2E_ENV_VAR} is not set: run the end-to-end tests with \`npx playwright test\`, whose global setup (test/e2e-support/global-setup.ts) starts the app and the sandbox.`,
    );
  }
  return JSON.parse(raw) as E2eEnv;
}
