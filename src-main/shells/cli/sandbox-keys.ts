import { readFileSync } from 'node:fs';
import { FirmdropError } from '../../core/errors';
import type { SandboxAccountSpec } from '../../../src-sandbox';
import { CliUsageError } from './usage';

/** Keys for `firmdrop sandbox` from the environment, as KEY:TIER entries. */
export const SANDBOX_KEYS_ENV = 'FIRMDROP_SANDBOX_KEYS';

const TIER_HINT = 'TIER free, commercial or partner (or 0, 1, 2)';

// The service's own tier values are "0", "1" and "2"; people say the words.
const TIERS: Readonly<Record<string, SandboxAccountSpec['tier']>> = {
  '0': '0',
  '1': '1',
  '2': '2',
  free: '0',
  commercial: '1',
  partner: '2',
};

/** KEY:TIER, or null when it is not one. The key may itself contain ":" (the last one splits). */
function keySpec(text: string): SandboxAccountSpec | null {
  const at = text.lastIndexOf(':');
  const key = at > 0 ? text.slice(0, at) : '';
  const word = text.slice(at + 1).toLowerCase();
  const tier = Object.hasOwn(TIERS, word) ? TIERS[word] : undefined;
  if (!key || !tier) return null;
  return { key, tier };
}

/** `--key KEY:TIER`: typed by the person, so it may be quoted back. */
export function keyOption(text: string): SandboxAccountSpec {
  const spec = keySpec(text);
  if (spec) return spec;
  throw new CliUsageError(`--key takes KEY:TIER with ${TIER_HINT}, got "${text}"`);
}

/**
 * `--key-file PATH`: one KEY:TIER per line; blank lines and lines starting with # are skipped.
 * A key in a file stays out of `ps`, shell history and CI logs. A bad line is named by its
 * number, never quoted: it may hold a key.
 */
export function keysFromFile(path: string): SandboxAccountSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new FirmdropError(
      'file-unreadable',
      `--key-file ${path} could not be read (${code}). Give a file with one KEY:TIER per line.`,
      { cause: err },
    );
  }
  const specs: SandboxAccountSpec[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const spec = keySpec(line);
    if (!spec) {
      throw new CliUsageError(
        `--key-file ${path}: line ${i + 1} is not KEY:TIER with ${TIER_HINT} (one key per line; # starts a comment)`,
      );
    }
    specs.push(spec);
  });
  if (specs.length === 0) {
    throw new CliUsageError(`--key-file ${path} holds no KEY:TIER line`);
  }
  return specs;
}

/** FIRMDROP_SANDBOX_KEYS: KEY:TIER entries separated by commas, spaces or new lines. */
export function keysFromEnv(env: NodeJS.ProcessEnv): SandboxAccountSpec[] {
  const value = env[SANDBOX_KEYS_ENV]?.trim() ?? '';
  if (value === '') return [];
  return value.split(/[\s,]+/).map((entry, i) => {
    const spec = keySpec(entry);
    if (spec) return spec;
    throw new CliUsageError(
      `${SANDBOX_KEYS_ENV}: entry ${i + 1} is not KEY:TIER with ${TIER_HINT} (entries are separated by commas or spaces)`,
    );
  });
}
