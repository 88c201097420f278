import { networkState } from './network-state';
import { FirmdropError } from '../core/errors';
import type { FirmdropApi, Settings, SettingsPatch } from './contract';
import { splitProxyLogin } from './proxy-login';
import { attempt, type ServiceContext } from './service-context';
import { CA_SETTING, type Runtime } from './runtime';
import { readTrustedCa } from './trusted-ca';

type SettingsCommands = Pick<FirmdropApi, 'settings:get' | 'settings:update' | 'app:info'>;

/** A proxy is http(s)://host:port, optionally with credentials; '' means none. */
function checkProxy(url: string): void {
  if (url === '') return;
  // The message may quote the URL, never the password in it.
  const shown = splitProxyLogin(url).url.slice(0, 80);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FirmdropError(
      'invalid-input',
      `"${shown}" is not a proxy URL. Use the form http://proxy.example.com:3128.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FirmdropError('invalid-input', 'The proxy URL must start with http:// or https://.');
  }
}

/** The renderer's Settings: the proxy without its login, and whether the keychain holds one. */
export function settingsView(rt: Runtime): Settings {
  const { proxyLoginInKeychain: _inKeychain, ...stored } = rt.settings.all();
  return { ...stored, ...rt.proxy.view() };
}

export function settingsCommands(ctx: ServiceContext): SettingsCommands {
  const { settings, accounts, engine, proxy } = ctx.rt;
  return {
    'settings:get': () => attempt(() => settingsView(ctx.rt)),
    'settings:update': (patch) =>
      attempt(async () => {
        const { proxyUrl, proxyCredentials, caCertFile, ...plain } = patch satisfies SettingsPatch;
        const url = proxyUrl?.trim();
        if (url !== undefined) checkProxy(url);
        const caFile = caCertFile?.trim();
        // Checked before anything is saved: a path that is not a certificate changes nothing.
        if (caFile) readTrustedCa(caFile, CA_SETTING);
        // The proxy first: when the keychain refuses its login, nothing else changes either.
        const proxyChanged = await proxy.update({
          ...(url !== undefined ? { url } : {}),
          ...(proxyCredentials !== undefined ? { login: proxyCredentials } : {}),
        });
        for (const [k, v] of Object.entries(plain) as Array<[keyof typeof plain, never]>) {
          if (v !== undefined) settings.set(k, v);
        }
        const caChanged = caFile !== undefined && caFile !== settings.get('caCertFile');
        if (caFile !== undefined) settings.set('caCertFile', caFile);
        // New connections go through the new proxy and trust the new CA; uploads in flight
        // finish on their client.
        if (proxyChanged || caChanged) await accounts.closeClients();
        return settingsView(ctx.rt);
      }),
    'app:info': () =>
      attempt(async () => ({
        version: ctx.version,
        ...networkState(engine.outages(), ctx.rt.store.accounts.list()),
        keychain: await ctx.keychain(),
        notices: ctx.notices(),
      })),
  };
}
