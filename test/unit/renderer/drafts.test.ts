import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FieldProblem, UploadDraft } from '../../../src-main/app/contract';
import { ApiError } from '../../../src-renderer/lib/api';
import { mergeProblems } from '../../../src-renderer/lib/problems';
import {
  Draft,
  DraftsState,
  VALIDATE_DELAY_MS,
} from '../../../src-renderer/lib/state/drafts.svelte';
import { uploads } from '../../../src-renderer/lib/state/uploads.svelte';
import { installFakeBridge, ok } from './fake-bridge';
import { uploadView } from './uploads-fixture';

const file = { ref: 'stg_1', fileName: 'fw-1.2.bin', size: 42 };

/** A validator that answers when told to, so tests control the order of answers. */
function scriptedValidator() {
  const seen: UploadDraft[] = [];
  const pending: Array<(p: FieldProblem[]) => void> = [];
  const validate = (d: UploadDraft) => {
    seen.push(d);
    return new Promise<FieldProblem[]>((resolve) => pending.push(resolve));
  };
  return { seen, pending, validate };
}

describe('upload drafts: validation as you type', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('defaults the name to the file name and is ready without problems', async () => {
    const v = scriptedValidator();
    const d = new Draft(file, 'acc-1', { validate: v.validate });
    expect(d.name).toBe('fw-1.2.bin');
    const done = d.validateNow();
    v.pending[0]?.([]);
    await done;
    expect(d.canStart).toBe(true);
  });

  it('asks the service once after typing pauses, with the latest values', async () => {
    const v = scriptedValidator();
    const d = new Draft(file, 'acc-1', { validate: v.validate });
    for (const name of ['f', 'fw', 'fw-', 'fw-1', 'fw-1.2']) {
      d.setName(name);
      await vi.advanceTimersByTimeAsync(VALIDATE_DELAY_MS - 50);
    }
    expect(v.seen).toHaveLength(0);
    expect(d.validating).toBe(true);
    expect(d.canStart).toBe(false); // never startable while a check is pending
    await vi.advanceTimersByTimeAsync(60);
    expect(v.seen).toEqual([
      { accountId: 'acc-1', name: 'fw-1.2', description: '', fileName: 'fw-1.2.bin' },
    ]);
  });

  it('ignores an answer about values the user has since changed', async () => {
    const v = scriptedValidator();
    const d = new Draft(file, 'acc-1', { validate: v.validate });
    d.setName('taken');
    await vi.advanceTimersByTimeAsync(VALIDATE_DELAY_MS);
    d.setName('free');
    await vi.advanceTimersByTimeAsync(VALIDATE_DELAY_MS);
    expect(v.seen.map((s) => s.name)).toEqual(['taken', 'free']);
    v.pending[1]?.([]); // the newer answer arrives first
    v.pending[0]?.([{ field: 'name', message: 'Name taken', suggestion: 'taken (2)' }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(d.problems).toEqual([]);
    expect(d.validating).toBe(false);
  });

  it('shows a taken name with its suggestion and fixes it in one click', async () => {
    const v = scriptedValidator();
    const d = new Draft(file, 'acc-1', { validate: v.validate });
    d.setName('fw-1.2');
    await vi.advanceTimersByTimeAsync(VALIDATE_DELAY_MS);
    v.pending[0]?.([{ field: 'name', message: 'Name taken', suggestion: 'fw-1.2 (2)' }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(d.problemFor('name')).toMatchObject({ suggestion: 'fw-1.2 (2)' });
    expect(d.canStart).toBe(false);

    d.applySuggestion();
    expect(d.name).toBe('fw-1.2 (2)');
    expect(v.seen.at(-1)?.name).toBe('fw-1.2 (2)'); // checked at once, no debounce
    v.pending[1]?.([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(d.canStart).toBe(true);
  });

  it('refuses two drafts of one batch under the same name, for the same account', () => {
    const all: Draft[] = [];
    const never = () => new Promise<FieldProblem[]>(() => {});
    const a = new Draft(file, 'acc-1', { validate: never, siblings: () => all });
    const b = new Draft({ ...file, ref: 'stg_2', fileName: 'copy.bin' }, 'acc-1', {
      validate: never,
      siblings: () => all,
    });
    all.push(a, b);
    b.setName('fw-1.2.bin');
    expect(b.problemFor('name')?.message).toBe(
      '"fw-1.2.bin" in this batch has the same name. Give each file its own name.',
    );
    expect(a.problemFor('name')?.message).toMatch(/"copy\.bin" in this batch/);
    b.accountId = 'acc-2';
    expect(b.problemFor('name')).toBeUndefined();
    b.dispose();
    a.dispose();
  });

  it('counts lengths locally, before the service answers', () => {
    const d = new Draft(file, 'acc-1', { validate: () => new Promise(() => {}) });
    d.setName('n'.repeat(129));
    d.setDescription('d'.repeat(2001));
    expect(d.problemFor('name')?.message).toMatch(/129 characters; the service allows 128/);
    expect(d.problemFor('description')?.message).toMatch(
      /2001 characters; the service allows 2000/,
    );
    d.setName('   ');
    expect(d.problemFor('name')?.message).toBe('Give the image a name.');
  });

  it('lets the local finding win for its field, keeping the service’s for others', () => {
    const merged = mergeProblems(
      [{ field: 'name', message: 'too long' }],
      [
        { field: 'name', message: 'taken' },
        { field: 'account', message: 'full' },
      ],
    );
    expect(merged.map((p) => p.message)).toEqual(['too long', 'full']);
  });

  it('stops checking once a draft is removed', async () => {
    const v = scriptedValidator();
    const d = new Draft(file, 'acc-1', { validate: v.validate });
    d.setName('x');
    d.dispose();
    await vi.advanceTimersByTimeAsync(VALIDATE_DELAY_MS * 2);
    expect(v.seen).toHaveLength(0);
  });
});

describe('upload drafts: staging and starting', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    uploads.items = [];
  });

  it('stages picked files, validates each, and starts the ready ones as one batch', async () => {
    const fake = installFakeBridge({
      'uploads:validate': () => ok([]),
      'uploads:add': ({ uploads: batch }) =>
        ok(batch.map((n, i) => uploadView({ id: `u${i}`, name: n.name ?? '' }))),
    });
    const state = new DraftsState();
    await state.addFiles([new File(['abc'], 'a.bin'), new File(['de'], 'b.bin')], 'acc-9');
    expect(state.items.map((d) => [d.file.fileName, d.accountId])).toEqual([
      ['a.bin', 'acc-9'],
      ['b.bin', 'acc-9'],
    ]);
    await vi.waitFor(() => expect(state.ready).toHaveLength(2));
    state.items[1]?.setDescription('second');
    await state.items[1]?.validateNow();
    if (state.items[0]) state.items[0].encrypt = true;
    await state.start();
    expect(fake.callsTo('uploads:add')).toEqual([
      {
        uploads: [
          {
            file: { ref: 'stg_0', fileName: 'a.bin', size: 3 },
            accountId: 'acc-9',
            name: 'a.bin',
            description: '',
            encrypt: true,
          },
          {
            file: { ref: 'stg_1', fileName: 'b.bin', size: 2 },
            accountId: 'acc-9',
            name: 'b.bin',
            description: 'second',
            encrypt: false,
          },
        ],
      },
    ]);
    expect(state.items).toEqual([]);
    expect(uploads.items.map((u) => u.id)).toEqual(['u0', 'u1']);
  });

  it('puts a field error from uploads:add on the draft, with its suggestion', async () => {
    installFakeBridge({
      'uploads:validate': () => ok([]),
      'uploads:add': () => ({
        ok: false,
        error: {
          code: 'name-taken',
          message: 'Taken just now',
          field: 'name',
          suggestion: 'a (2)',
        },
      }),
    });
    const state = new DraftsState();
    await state.addFiles([new File(['x'], 'a')], 'acc-1');
    await vi.waitFor(() => expect(state.ready).toHaveLength(1));
    await state.start();
    expect(state.items).toHaveLength(1);
    expect(state.items[0]?.problemFor('name')).toEqual({
      field: 'name',
      message: 'Taken just now',
      suggestion: 'a (2)',
    });
    expect(state.error).toBeNull();
  });

  it('in the web shell, stages a refused draft’s file again before starting it again', async () => {
    let refuse = true;
    const fake = installFakeBridge({
      'uploads:validate': () => ok([]),
      'uploads:add': ({ uploads: batch }) =>
        refuse
          ? { ok: false, error: { code: 'name-taken', message: 'Taken', field: 'name' } }
          : ok(batch.map((n, i) => uploadView({ id: `r${i}`, name: n.name ?? '' }))),
    });
    let stagings = 0;
    const stagedNames: string[][] = [];
    fake.staged = async (files) => {
      stagings++;
      stagedNames.push(files.map((f) => f.name));
      return {
        ok: true,
        value: files.map((f) => ({ ref: `stg_${stagings}`, fileName: f.name, size: f.size })),
      };
    };
    const state = new DraftsState();
    await state.addFiles([new File(['x'], 'a')], 'acc-1');
    await vi.waitFor(() => expect(state.ready).toHaveLength(1));
    await state.start();
    // The shell removed its copy of the refused batch; the draft stays, with what was typed.
    expect(state.items[0]?.restage).toBe(true);
    state.items[0]?.setName('a-2');
    await state.items[0]?.validateNow();
    refuse = false;
    await state.start();
    expect(stagedNames).toEqual([['a'], ['a']]);
    expect(
      fake
        .callsTo('uploads:add')
        .map((a) => (a as { uploads: Array<{ file: { ref: string }; name: string }> }).uploads[0]),
    ).toMatchObject([
      { file: { ref: 'stg_1' }, name: 'a' },
      { file: { ref: 'stg_2' }, name: 'a-2' },
    ]);
    expect(state.items).toEqual([]);
    expect(state.preparing).toBe(0);
  });

  it('says so when staging fails, and keeps nothing half-added', async () => {
    const fake = installFakeBridge();
    fake.staged = async () => ({
      ok: false,
      error: { code: 'file-unreadable', message: 'Copying "a" stopped part-way: drop it again.' },
    });
    const state = new DraftsState();
    await state.addFiles([new File(['x'], 'a')], 'acc-1');
    expect(state.items).toEqual([]);
    expect(state.preparing).toBe(0);
    expect(state.error).toBe('Copying "a" stopped part-way: drop it again.');
  });
});

describe('upload drafts: a host that does not answer', () => {
  afterEach(() => vi.unstubAllGlobals());

  const REFUSED =
    'Could not reach 127.0.0.1:4000 to check the name (connection refused). Check the network or proxy.';

  it('may start while the name check is still out, when the host is known down', () => {
    const never = () => new Promise<FieldProblem[]>(() => {});
    const up = new Draft(file, 'acc-1', { validate: never, hostDown: () => null });
    const down = new Draft(file, 'acc-1', {
      validate: never,
      hostDown: (id) => (id === 'acc-1' ? { host: '127.0.0.1:4000', reason: REFUSED } : null),
    });
    void up.validateNow();
    void down.validateNow();
    expect([up.validating, down.validating]).toEqual([true, true]);
    expect(up.canStart).toBe(false);
    expect(up.waitNote).toBeNull();
    expect(down.canStart).toBe(true);
    expect(down.waitNote).toMatch(
      /^Can't reach 127\.0\.0\.1:4000 right now: connection refused\. You can start anyway/,
    );
    // Real problems still block.
    down.name = '';
    expect(down.canStart).toBe(false);
    // Another account, on a host that answers: the check is waited for again.
    down.name = 'fw';
    down.accountId = 'acc-2';
    expect(down.canStart).toBe(false);
    expect(down.waitNote).toBeNull();
    up.dispose();
    down.dispose();
  });

  it('does not refuse a draft whose name check could not get through', async () => {
    const d = new Draft(file, 'acc-1', {
      validate: () => Promise.reject(new ApiError({ code: 'network', message: REFUSED })),
    });
    await d.validateNow();
    expect(d.problems).toEqual([]);
    expect(d.canStart).toBe(true);
    expect(d.waitNote).toMatch(/the upload waits for the network/);
    expect(d.waitNote).not.toMatch(/Could not reach/);
  });

  it('still refuses a draft whose check failed for any other reason', async () => {
    const d = new Draft(file, 'acc-1', {
      validate: () =>
        Promise.reject(new ApiError({ code: 'keychain-locked', message: 'Unlock the keychain.' })),
    });
    await d.validateNow();
    expect(d.problemFor('account')?.message).toBe('Unlock the keychain.');
    expect(d.canStart).toBe(false);
    expect(d.waitNote).toBeNull();
  });
});

/** File checks that answer when told to, and remember what was forgotten. */
function scriptedChecks(digest: () => Promise<{ size: number; sha256: string }>) {
  const forgotten: string[] = [];
  const asked: Array<[string, string]> = [];
  const sameFile = new Map<string, Array<{ id: string; name: string }>>();
  return {
    forgotten,
    asked,
    sameFile,
    checks: {
      digest,
      sameFile: async (accountId: string, sha256: string) => {
        asked.push([accountId, sha256]);
        return sameFile.get(accountId) ?? [];
      },
      forget: (ref: string) => void forgotten.push(ref),
    },
  };
}

const SHA = 'a'.repeat(64);

describe('upload drafts: the file checked before Start', () => {
  it('warns when the chosen account already holds the same SHA-256, and follows the account', async () => {
    const s = scriptedChecks(async () => ({ size: 42, sha256: SHA }));
    s.sameFile.set('acc-1', [{ id: 'img-1', name: 'fw-1.1.bin' }]);
    const d = new Draft(file, 'acc-1', { validate: async () => [], checks: s.checks });
    await d.inspect();
    expect(d.sha256).toBe(SHA);
    expect(d.sameFile).toEqual([{ id: 'img-1', name: 'fw-1.1.bin' }]);
    // A warning, never a refusal.
    expect(d.problems).toEqual([]);
    d.setAccount('acc-2');
    await vi.waitFor(() => expect(s.asked.at(-1)).toEqual(['acc-2', SHA]));
    await vi.waitFor(() => expect(d.sameFile).toEqual([]));
    d.dispose();
  });

  it('refuses an empty file at once, without hashing it', async () => {
    const digest = vi.fn(async () => ({ size: 0, sha256: SHA }));
    const d = new Draft({ ...file, size: 0 }, 'acc-1', {
      validate: async () => [],
      checks: scriptedChecks(digest).checks,
    });
    expect(d.problemFor('fileName')?.message).toBe(
      '"fw-1.2.bin" is empty (0 bytes). The service cannot hold an empty image: choose the built image file.',
    );
    expect(d.canStart).toBe(false);
    await d.inspect();
    expect(digest).not.toHaveBeenCalled();
  });

  it('blocks Start on a file the service cannot read, but not on a failed check', async () => {
    const unreadable = new Draft(file, 'acc-1', {
      validate: async () => [],
      checks: scriptedChecks(async () => {
        throw new ApiError({ code: 'file-missing', message: 'gone. Drop it again.' });
      }).checks,
    });
    await unreadable.inspect();
    expect(unreadable.problemFor('fileName')?.message).toBe('gone. Drop it again.');
    const busy = new Draft(file, 'acc-1', {
      validate: async () => [],
      checks: scriptedChecks(async () => {
        throw new ApiError({ code: 'internal', message: 'worker missing' });
      }).checks,
    });
    await busy.inspect();
    expect(busy.problems).toEqual([]);
  });

  it('stops the background hash when the draft is removed', async () => {
    const s = scriptedChecks(() => new Promise(() => undefined));
    const d = new Draft(file, 'acc-1', { validate: async () => [], checks: s.checks });
    void d.inspect();
    d.dispose();
    expect(s.forgotten).toEqual(['stg_1']);
  });
});

describe('upload drafts: batch actions', () => {
  afterEach(() => vi.unstubAllGlobals());

  function stateWith(names: string[], taken: Set<string>): DraftsState {
    const state = new DraftsState();
    const validate = async (d: UploadDraft): Promise<FieldProblem[]> =>
      taken.has(d.name) ? [{ field: 'name', message: 'taken', suggestion: `${d.name} (2)` }] : [];
    state.items = names.map(
      (n, i) =>
        new Draft({ ref: `stg_${i}`, fileName: n, size: 10 }, 'acc-1', {
          validate,
          siblings: () => state.items,
          checks: scriptedChecks(async () => ({ size: 10, sha256: SHA })).checks,
        }),
    );
    return state;
  }

  it('gives every draft one account and one description; an empty description keeps each own', async () => {
    const state = stateWith(['a.bin', 'b.bin'], new Set());
    state.items[0]?.setDescription('own');
    state.applyToAll({ accountId: 'acc-2', description: '' });
    expect(state.items.map((d) => [d.accountId, d.description])).toEqual([
      ['acc-2', 'own'],
      ['acc-2', ''],
    ]);
    state.applyToAll({ accountId: 'acc-2', description: 'Release 7' });
    expect(state.items.map((d) => d.description)).toEqual(['Release 7', 'Release 7']);
    for (const d of state.items) d.dispose();
  });

  it('takes every suggested name in one go, numbering past the names the batch already uses', async () => {
    // The service offers "fw.bin (2)" for the taken "fw.bin", not knowing the batch holds it.
    const state = stateWith(['fw.bin', 'fw.bin (2)', 'other.bin'], new Set(['fw.bin']));
    await Promise.all(state.items.map((d) => d.validateNow()));
    expect(state.withSuggestion).toHaveLength(1);
    state.applyAllSuggestions();
    expect(state.items.map((d) => d.name)).toEqual(['fw.bin (3)', 'fw.bin (2)', 'other.bin']);
    await Promise.all(state.items.map((d) => d.validateNow()));
    expect(state.withSuggestion).toHaveLength(0);
    expect(state.ready).toHaveLength(3);
    for (const d of state.items) d.dispose();
  });

  it('offers the later of two same-named drafts a numbered name, and the first keeps its own', async () => {
    const state = stateWith(['fw.bin', 'fw.bin'], new Set());
    expect(state.items[0]?.suggestion).toBeUndefined();
    expect(state.items[1]?.suggestion).toBe('fw.bin (2)');
    state.applyAllSuggestions();
    expect(state.items.map((d) => d.name)).toEqual(['fw.bin', 'fw.bin (2)']);
    await Promise.all(state.items.map((d) => d.validateNow()));
    expect(state.ready).toHaveLength(2);
    for (const d of state.items) d.dispose();
  });
});
