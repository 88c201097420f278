import { FirmdropError, isFirmdropError } from '../core/errors';
import type { SecretStore } from '../secrets';
import type { ProxyCredentials } from './contract';
import { joinProxyLogin, proxyHost, splitProxyLogin } from './proxy-login';
import type { AppSettings } from './settings';

/** The keychain entry of the proxy's login, beside the API keys (which are filed by account id). */
export const PROXY_SECRET_ID = 'proxy';

export interface ProxyChange {
  /** A new proxy URL; a `user:password@` in it goes to the keychain. */
  url?: string;
  /** A new login, or null to forget it. */
  login?: ProxyCredentials | null;
}

const SETTINGS_HINT = 'enter them again in Settings → Network';

function parseLogin(raw: string | null): ProxyCredentials | null {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<ProxyCredentials>;
    if (typeof v.username === 'string' && typeof v.password === 'string') {
      return { username: v.username, password: v.password };
    }
  } catch {
    // not an entry we wrote: treated as missing
  }
  return null;
}

/** A keychain failure while storing, said in the words of the proxy setting. */
function notStored(err: unknown): FirmdropError {
  const why = isFirmdropError(err) ? err.message : String(err);
  return new FirmdropError(
    isFirmdropError(err) ? err.code : 'internal',
    `The proxy's user name and password were not saved, and the proxy setting was not changed: ${why}`,
    { cause: err },
  );
}

/**
 * The proxy setting: its URL (without a login) in the settings table, its user name and password
 * in the OS keychain. The renderer sees the URL and whether a login is stored; only the HTTP
 * client, in this process, gets the two put together.
 */
export class ProxySettings {
  constructor(
    private readonly settings: AppSettings,
    private readonly secrets: SecretStore,
    /** Leaves no copy of an overwritten setting in the database's files (Store.foldWal). */
    private readonly scrub: () => void = () => {},
  ) {}

  /** What the renderer may see. A login an older version kept in the URL is never shown either. */
  view(): { proxyUrl: string; proxyHasCredentials: boolean } {
    const { url, login } = splitProxyLogin(this.settings.get('proxyUrl'));
    return { proxyUrl: url, proxyHasCredentials: this.hasLogin() || login !== null };
  }

  private hasLogin(): boolean {
    return this.settings.get('proxyLoginInKeychain');
  }

  /**
   * The URL for the HTTP client, login included ('' for none). The keychain is asked only when a
   * login is stored, so a machine without a keychain (a CI run with FIRMDROP_API_KEY) never is.
   */
  async clientUrl(): Promise<string> {
    const stored = this.settings.get('proxyUrl');
    if (stored === '') return '';
    if (splitProxyLogin(stored).login) {
      // Left in the URL by an older version: moved now if the keychain takes it; used either way.
      await this.moveLoginToKeychain();
      return stored;
    }
    if (!this.hasLogin()) return stored;
    let raw: string | null;
    try {
      raw = await this.secrets.get(PROXY_SECRET_ID);
    } catch (err) {
      const why = isFirmdropError(err) ? err.message : String(err);
      throw new FirmdropError(
        isFirmdropError(err) ? err.code : 'keychain-unavailable',
        `The proxy's user name and password are kept in the OS keychain, which could not give them: ${why}`,
        { cause: err },
      );
    }
    const login = parseLogin(raw);
    if (!login) {
      const fact =
        'The proxy needs a user name and password, but the OS keychain has none for it (the entry is missing, or the keychain is locked).';
      throw new FirmdropError('unauthorized', `${fact} Unlock the keychain, or ${SETTINGS_HINT}.`, {
        // The command line uses the app's proxy setting and has no Settings of its own.
        cli: `${fact} Unlock the keychain, or enter them again in the Firmdrop app's Settings → Network.`,
      });
    }
    return joinProxyLogin(stored, login);
  }

  /**
   * Applies a change from settings:update. The login goes to the keychain first: when that fails
   * nothing changes, so a password is never left in the settings table. True when the client
   * must be rebuilt.
   */
  async update(change: ProxyChange): Promise<boolean> {
    const before = { url: this.settings.get('proxyUrl'), login: this.hasLogin() };
    if (change.url !== undefined) await this.setUrl(change.url);
    if (change.login !== undefined) await this.setLogin(change.login);
    return before.url !== this.settings.get('proxyUrl') || before.login !== this.hasLogin();
  }

  private async setUrl(next: string): Promise<void> {
    const { url, login } = splitProxyLogin(next);
    if (url === '') {
      await this.forgetLogin();
    } else if (login) {
      await this.storeLogin(login);
    } else if (this.hasLogin() && proxyHost(url) !== proxyHost(this.settings.get('proxyUrl'))) {
      // A login belongs to its proxy: another proxy host must not receive it.
      await this.forgetLogin();
    }
    this.settings.set('proxyUrl', url);
  }

  private async setLogin(login: ProxyCredentials | null): Promise<void> {
    if (login === null) {
      await this.forgetLogin();
      return;
    }
    if (this.settings.get('proxyUrl') === '') {
      throw new FirmdropError(
        'invalid-input',
        'Enter the proxy URL first, then its user name and password.',
      );
    }
    if (login.username.trim() === '') {
      throw new FirmdropError('invalid-input', 'Enter the proxy user name.');
    }
    await this.storeLogin(login);
  }

  private async storeLogin(login: ProxyCredentials): Promise<void> {
    try {
      await this.secrets.set(PROXY_SECRET_ID, JSON.stringify(login));
    } catch (err) {
      throw notStored(err);
    }
    this.settings.set('proxyLoginInKeychain', true);
  }

  private async forgetLogin(): Promise<void> {
    const had = this.hasLogin();
    this.settings.set('proxyLoginInKeychain', false);
    // Unused from now on whatever happens; a keychain that cannot delete it right now keeps an
    // entry nothing reads, which is no leak (the keychain is where secrets belong).
    if (had) await this.secrets.delete(PROXY_SECRET_ID).catch(() => false);
  }

  /**
   * At start: an older version kept the login inside the proxy URL, in plain text. Moves it to
   * the keychain and strips it from the settings. Returns a notice when the keychain refused
   * (the login then stays where it was, so the proxy keeps working, and moves at a later start).
   */
  async moveLoginToKeychain(): Promise<string | null> {
    const { url, login } = splitProxyLogin(this.settings.get('proxyUrl'));
    if (!login) return null;
    try {
      await this.secrets.set(PROXY_SECRET_ID, JSON.stringify(login));
    } catch (err) {
      const why = isFirmdropError(err) ? err.message : String(err);
      return `The proxy's user name and password are still in Firmdrop's settings file, because the OS keychain did not take them (${why}). Firmdrop moves them at its next start once the keychain works; or ${SETTINGS_HINT}.`;
    }
    this.settings.set('proxyLoginInKeychain', true);
    this.settings.set('proxyUrl', url);
    this.scrub();
    return null;
  }
}
