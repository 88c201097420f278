import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';

// Fuses and signatures only exist in a packaged build, which needs Electron downloads and signing
// certificates this machine does not have. So the checks run on what electron-builder would build
// from: the configuration as its own loader resolves it and its own schema accepts it.
const root = join(__dirname, '../../..');
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger(false));
});

describe('packaged app configuration', () => {
  it('flips the fuses that would let a local process run or inspect the app as plain Node', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // The renderer is served from app://, so file:// pages need none of their old privileges.
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names the Windows publisher, so electron-updater checks each update is signed by it', () => {
    expect(config.win?.signtoolOptions?.publisherName).toEqual(['Firmdrop']);
    // Not false: electron-builder then writes publisherName into app-update.yml, and the
    // installed app refuses an update whose Authenticode signer is anyone else.
    expect(config.win?.verifyUpdateCodeSignature).not.toBe(false);
    expect(config.win?.signtoolOptions?.signingHashAlgorithms).toEqual(['sha256']);
  });

  it('refuses to build an unsigned Windows or macOS package, with secrets from the environment', () => {
    expect(config.forceCodeSigning).toBe(true);
    // The certificate and its password come from CSC_LINK / CSC_KEY_PASSWORD (WIN_CSC_*), never
    // from this file, which is in git.
    const text = JSON.stringify(config);
    for (const key of ['cscLink', 'cscKeyPassword', 'certificateFile', 'certificatePassword']) {
      expect(text).not.toContain(`"${key}"`);
    }
    expect(config.mac?.identity).toBeUndefined();
  });

  it('signs macOS builds with the hardened runtime, minimal entitlements, and notarises them', () => {
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    expect(config.mac?.target).toContain('zip'); // electron-updater on macOS installs from the zip
    const entitlements = readFileSync(join(root, config.mac!.entitlements!), 'utf8');
    const granted = [...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
    expect(granted).toEqual(['com.apple.security.cs.allow-jit']);
    expect(config.mac?.entitlementsInherit).toBe(config.mac?.entitlements);
  });
});

describe('release environment check', () => {
  const check = (platform: string, env: Record<string, string>) => {
    try {
      execFileSync(
        process.execPath,
        [join(root, 'scripts/check-release-env.mjs'), '--platform', platform],
        { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' },
      );
      return { code: 0, stderr: '' };
    } catch (err) {
      const e = err as { status: number; stderr: Buffer };
      return { code: e.status, stderr: e.stderr.toString() };
    }
  };

  it('stops a macOS release that could not be notarised, and says what to set', () => {
    const missing = check('darwin', { APPLE_API_KEY: '/keys/AuthKey.p8' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/APPLE_API_KEY_ID and APPLE_API_ISSUER/);
    expect(
      check('darwin', {
        APPLE_API_KEY: '/keys/AuthKey.p8',
        APPLE_API_KEY_ID: 'ABC123',
        APPLE_API_ISSUER: '00000000-0000-0000-0000-000000000000',
      }).code,
    ).toBe(0);
    expect(check('win32', {}).code).toBe(0);
  });

  it('gives each installer the generated icon (npm run icons writes them from resources/icon.svg)', () => {
    expect(config.mac?.icon).toBe('resources/icon.icns');
    expect(config.win?.icon).toBe('resources/icon.ico');
    expect(config.linux?.icon).toBe('resources/icons');
    for (const file of ['icon.icns', 'icon.ico', 'icons/512x512.png', 'icons/16x16.png']) {
      expect(readFileSync(join(root, 'resources', file)).length).toBeGreaterThan(0);
    }
  });
});
