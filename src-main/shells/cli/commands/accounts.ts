import { FirmdropError } from '../../../core/errors';
import { formatCount } from '../../../core/format';
import { presetFor } from '../../../app/base-url';
import {
  ENV_ACCOUNT_PREFIX,
  accountDisplay,
  isEnvAccountId,
  type Account,
} from '../../../app/command-line';
import { expectPositionals, parseCommand, stringOption, type GlobalOptions } from '../args';
import { builtInSandbox } from '../choose-account';
import { openContext, parseRegion, type CliContext } from '../context';
import { formatFields, formatTable, formatTime, printJson, printLine } from '../output';
import { readApiKey } from '../prompt';
import { CliUsageError } from '../usage';

const SYNOPSIS =
  'firmdrop accounts add <NAME> --region us|eu|jp|URL | accounts list | accounts use <NAME> | accounts test [NAME] | accounts remove <NAME>';

const TIERS: Record<string, string> = { '0': 'free', '1': 'commercial', '2': 'partner' };

/** `firmdrop accounts`: stored accounts, their keys in the OS keychain. */
export async function accountsCommand(args: string[]): Promise<number> {
  const { global, values, positionals } = parseCommand(
    args,
    { region: { type: 'string' } },
    SYNOPSIS,
  );
  const [sub, ...rest] = positionals;
  const region = stringOption(values, 'region');
  if (region !== undefined && sub !== 'add') {
    throw new CliUsageError(`--region belongs to "accounts add". Usage: ${SYNOPSIS}`);
  }
  switch (sub) {
    case 'add':
      return add(global, expectPositionals(rest, ['NAME'], SYNOPSIS)[0] as string, region);
    case 'list':
    case undefined:
      expectPositionals(rest, [], SYNOPSIS);
      return list(global);
    case 'test':
      if (rest.length > 1) expectPositionals(rest, ['NAME'], SYNOPSIS);
      return test(global, rest[0]);
    case 'use':
      return use(global, expectPositionals(rest, ['NAME'], SYNOPSIS)[0] as string);
    case 'remove':
      return remove(global, expectPositionals(rest, ['NAME'], SYNOPSIS)[0] as string);
    default:
      throw new CliUsageError(`unknown accounts subcommand "${sub}". Usage: ${SYNOPSIS}`);
  }
}

async function add(
  global: GlobalOptions,
  name: string,
  region: string | undefined,
): Promise<number> {
  if (region === undefined) {
    throw new CliUsageError(
      `say where the account lives with --region us|eu|jp|URL. Usage: ${SYNOPSIS}`,
    );
  }
  if (name.trim().toLowerCase().startsWith(ENV_ACCOUNT_PREFIX)) {
    throw new CliUsageError(
      `account names starting with "${ENV_ACCOUNT_PREFIX}" are kept for FIRMDROP_API_KEY; choose another name.`,
    );
  }
  const { baseUrl } = parseRegion(region, '--region');
  const preset = presetFor(baseUrl);
  const apiKey = await readApiKey();
  const ctx = openContext(global);
  try {
    const account = await ctx.app.accounts.add({
      name,
      region: preset ?? 'custom',
      baseUrl: preset ? undefined : baseUrl,
      apiKey,
    });
    if (global.json) printJson(accountJson(account, ctx.app.defaultAccountId() === account.id));
    else {
      printLine(
        `Added account "${account.name}" (${describe(account)}) at ${account.baseUrl}; its API key is in the OS keychain.`,
      );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

async function list(global: GlobalOptions): Promise<number> {
  const ctx = openContext(global);
  try {
    const accounts = ctx.app.accounts.list();
    const isDefault = (a: Account) => a.id === ctx.app.defaultAccountId();
    if (global.json) printJson(accounts.map((a) => accountJson(a, isDefault(a))));
    else if (accounts.length === 0) {
      printLine('No accounts yet. Add one with: firmdrop accounts add NAME --region us|eu|jp|URL');
    } else {
      printLine(
        formatTable(
          [
            { header: 'NAME', max: 40 },
            { header: 'DEFAULT' },
            { header: 'API' },
            { header: 'TIER' },
            { header: 'DISPLAY NAME', max: 40 },
            { header: 'KEY' },
            { header: 'ADDED' },
          ],
          accounts.map((a) => [
            a.name,
            isDefault(a) ? '*' : '',
            a.baseUrl,
            tierName(a.tier),
            a.displayName ?? '',
            keyPlace(a),
            formatTime(a.createdAt),
          ]),
        ),
      );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

/** `accounts use NAME`: the default account, the same one the desktop app marks as default. */
async function use(global: GlobalOptions, name: string): Promise<number> {
  const ctx = openContext(global);
  try {
    const account = accountNamed(ctx, name);
    if (account.isSandbox) throw builtInSandbox(account);
    if (isEnvAccountId(account.id)) {
      throw new FirmdropError(
        'invalid-input',
        `"${account.name}" takes its key from FIRMDROP_API_KEY and cannot be the default: add the account with "firmdrop accounts add NAME --region URL" first.`,
      );
    }
    ctx.app.setDefaultAccount(account.id);
    if (global.json) printJson(accountJson(account, true));
    else {
      printLine(
        `"${account.name}" is now the default account (--account, FIRMDROP_ACCOUNT and FIRMDROP_API_URL/KEY still take precedence).`,
      );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

async function test(global: GlobalOptions, name: string | undefined): Promise<number> {
  const ctx = openContext(global);
  try {
    const chosen = await ctx.selectAccount(name);
    const account = await ctx.app.accounts.test(chosen.id);
    const quota = await ctx.app.accounts.quota(account.id);
    if (global.json) {
      printJson({
        ...accountJson(account, ctx.app.defaultAccountId() === account.id),
        images_used: quota.used,
        images_limit: quota.limit,
      });
    } else {
      printLine(`Account "${accountDisplay(account.name)}": the API key works.`);
      printLine(
        formatFields([
          ['display name', account.displayName ?? ''],
          ['tier', `${account.tier ?? '?'} (${tierName(account.tier)})`],
          ['images', `${formatCount(quota.used)} of ${formatCount(quota.limit)} used`],
          ['api', account.baseUrl],
          ['dm account id', account.dmAccountId ?? ''],
        ]),
      );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

async function remove(global: GlobalOptions, name: string): Promise<number> {
  const ctx = openContext(global);
  try {
    const account = accountNamed(ctx, name);
    await ctx.app.accounts.remove(account.id);
    if (global.json) printJson({ removed: account.name });
    else {
      printLine(
        isEnvAccountId(account.id)
          ? `Removed account "${account.name}" and its upload history.`
          : `Removed account "${account.name}", its upload history and its API key from the OS keychain.`,
      );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

/** The stored account by its exact name, or a not-found error that says where to look. */
function accountNamed(ctx: CliContext, name: string): Account {
  const account = ctx.app.accounts.byName(name);
  if (account) return account;
  throw new FirmdropError(
    'not-found',
    `There is no account named "${name}" ("firmdrop accounts list" shows them).`,
  );
}

function accountJson(a: Account, isDefault: boolean) {
  return {
    name: a.name,
    default: isDefault,
    id: a.id,
    base_url: a.baseUrl,
    region: a.region,
    tier: a.tier,
    tier_name: a.tier === null ? null : tierName(a.tier),
    display_name: a.displayName,
    dm_account_id: a.dmAccountId,
    sandbox: a.isSandbox,
    key: keyPlace(a),
    created_at: new Date(a.createdAt).toISOString(),
  };
}

function tierName(tier: string | null): string {
  if (tier === null) return 'unknown';
  return TIERS[tier] ?? `tier ${tier}`;
}

function keyPlace(a: Account): string {
  return isEnvAccountId(a.id) ? 'FIRMDROP_API_KEY' : 'keychain';
}

function describe(a: Account): string {
  const who = a.displayName ? `${a.displayName}, ` : '';
  return `${who}${tierName(a.tier)} tier`;
}
