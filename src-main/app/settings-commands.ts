import { networkState } from './network-state';
import { FirmdropError } from '../core/errors';
import type { FirmdropApi, Settings } from './contract';
import { attempt, type ServiceContext } from './service-context';

type SettingsCommands = Pick<FirmdropApi, 'settings:get' | 'settings:update' | 'app:info'>;

/** A proxy is http(s)://host:port, optionally with credentials; '' means none. */
function checkProxy(url: string): void {
  if (url === '') return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FirmdropError(
      'invalid-input',
      `"${url.slice(0, 80)}" is not a proxy URL. Use the form http://proxy.example.com:3128.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FirmdropError('invalid-input', 'The proxy URL must start with http:// or https://.');
  }
}

export function settingsCommands(ctx: ServiceContext): SettingsCommands {
  const { settings, accounts, engine } = ctx.rt;
  return {
    'settings:get': () => attempt(() => settings.all()),
    'settings:update': (patch) =>
      attempt(async () => {
        const next: Partial<Settings> = { ...patch };
        if (next.proxyUrl !== undefined) {
          next.proxyUrl = next.proxyUrl.trim();
          checkProxy(next.proxyUrl);
        }
        const proxyChanged =
          next.proxyUrl !== undefined && next.proxyUrl !== settings.get('proxyUrl');
        for (const [k, v] of Object.entries(next) as Array<[keyof Settings, never]>) {
          if (v !== undefined) settings.set(k, v);
        }
        // New connections go through the new proxy; uploads in flight finish on their client.
        if (proxyChanged) await accounts.closeClients();
        return settings.all();
      }),
    'app:info': () =>
      attempt(async () => ({
        version: ctx.version,
        ...networkState(engine.outages(), ctx.rt.store.accounts.list()),
        keychain: await ctx.keychain(),
        notices: [...ctx.notices],
      })),
  };
}
