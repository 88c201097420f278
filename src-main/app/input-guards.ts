import * as v from 'valibot';
import { FirmdropError } from '../core/errors';
import type { Channel, ContractError, FirmdropApi, Result } from './contract';
import { TargetsRefused } from './targets-refused';

/**
 * Shape checks for every channel's input, applied in the main process before a command runs,
 * whichever shell the call came from. They reject what no honest renderer sends (wrong types,
 * unknown fields, absurd sizes); the friendlier rules (128-character names…) live in the
 * commands, which phrase their own messages.
 */
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const count = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const none = v.optional(v.undefined());

const pageQuery = v.strictObject({
  accountId: id,
  after: v.optional(id),
  limit: v.optional(count(2, 1000)),
  search: v.optional(text(256)),
});
const byId = v.strictObject({ id });
const accountAndId = v.strictObject({ accountId: id, id });
const stagedFile = v.strictObject({
  ref: text(4096),
  fileName: text(1024),
  size: count(0, Number.MAX_SAFE_INTEGER),
});

const guards: { [C in Channel]: v.GenericSchema } = {
  'app:info': none,
  'accounts:list': none,
  'accounts:add': v.strictObject({
    name: text(200),
    region: v.picklist(['us', 'eu', 'jp', 'custom']),
    baseUrl: v.optional(text(2048)),
    apiKey: text(4096),
  }),
  'accounts:rename': v.strictObject({ id, name: text(200) }),
  'accounts:remove': byId,
  'accounts:test': byId,
  'accounts:quota': byId,
  'accounts:default': none,
  'accounts:set-default': byId,
  'uploads:validate': v.strictObject({
    accountId: text(200),
    name: text(4096),
    description: text(100_000),
    fileName: text(4096),
  }),
  'drafts:digest': v.strictObject({ ref: text(4096) }),
  'drafts:forget': v.strictObject({ ref: text(4096) }),
  'images:same-file': v.strictObject({
    accountId: id,
    sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  }),
  'uploads:add': v.strictObject({
    uploads: v.pipe(
      v.array(
        v.strictObject({
          file: stagedFile,
          accountId: id,
          name: v.optional(text(4096)),
          description: v.optional(text(100_000)),
          encrypt: v.optional(v.boolean()),
        }),
      ),
      v.minLength(1),
      v.maxLength(1000),
    ),
    partial: v.optional(v.boolean()),
  }),
  'uploads:list': none,
  'uploads:pause': byId,
  'uploads:resume': byId,
  'uploads:cancel': byId,
  'uploads:undo-cancel': byId,
  'uploads:retry': v.strictObject({ id, name: v.optional(text(4096)) }),
  'uploads:clear-finished': none,
  'history:delete': v.strictObject({ accountId: v.optional(id) }),
  'history:export': v.strictObject({
    accountId: v.optional(id),
    format: v.picklist(['csv', 'json']),
  }),
  'images:list': pageQuery,
  'images:get': accountAndId,
  'images:delete': accountAndId,
  'images:manifest-payload': v.union([
    accountAndId,
    v.strictObject({ uploadId: id }),
    v.strictObject({ groupId: id }),
  ]),
  'jobs:list': pageQuery,
  'jobs:rename': v.strictObject({ accountId: id, id, name: text(4096) }),
  'jobs:delete': accountAndId,
  'settings:get': none,
  'settings:update': v.strictObject({
    chunkSizeMiB: v.optional(count(5, 100)),
    filesAtOnce: v.optional(count(1, 16)),
    smallThresholdMiB: v.optional(count(0, 99)),
    keepCompletedJobs: v.optional(v.boolean()),
    limitRateKiB: v.optional(count(0, 16 * 1024 * 1024)),
    proxyUrl: v.optional(text(2048)),
    caCertFile: v.optional(text(4096)),
    proxyCredentials: v.optional(
      v.nullable(v.strictObject({ username: text(1024), password: text(4096) })),
    ),
    theme: v.optional(v.picklist(['system', 'light', 'dark'])),
  }),
};

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(guards, name);
}

/** Checks one call's input; the error never echoes the input back (it may hold an API key). */
export function checkInput(channel: Channel, input: unknown): Result<unknown> {
  const parsed = v.safeParse(guards[channel], input);
  if (parsed.success) return { ok: true, value: parsed.output };
  const where = parsed.issues[0]?.path?.map((p) => String(p.key)).join('.') || 'input';
  return {
    ok: false,
    error: {
      code: 'invalid-input',
      message: `Firmdrop refused a malformed "${channel}" request (problem at ${where}). This is a bug in the app, not in your data: please report it.`,
    },
  };
}

/**
 * Every shell calls the service through this: unknown channels and malformed inputs are turned
 * away, and an exception is turned into a Result so nothing but data crosses the boundary.
 */
export async function dispatch(
  api: FirmdropApi,
  channel: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: {
        code: 'invalid-input',
        message: `Unknown command "${String(channel).slice(0, 60)}".`,
      },
    };
  }
  const checked = checkInput(channel, input);
  if (!checked.ok) return checked;
  try {
    const handler = api[channel] as (arg: unknown) => Promise<Result<unknown>>;
    return await handler.call(api, checked.value);
  } catch (err) {
    return { ok: false, error: toContractError(err) };
  }
}

export function toContractError(err: unknown): ContractError {
  if (err instanceof FirmdropError) {
    return {
      code: err.code,
      message: err.message,
      ...(err.suggestion ? { suggestion: err.suggestion } : {}),
      ...(err instanceof TargetsRefused ? { targets: err.targets } : {}),
    };
  }
  // First line only: a message that smuggles a stack trace or a path list stays on this side.
  const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 300);
  return { code: 'internal', message: `Something went wrong inside Firmdrop: ${detail}` };
}
