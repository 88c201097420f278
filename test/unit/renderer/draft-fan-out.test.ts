import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FieldProblem, UploadDraft } from '../../../src-main/app/contract';
import { Draft, DraftsState } from '../../../src-renderer/lib/state/drafts.svelte';
import type { FileChecks } from '../../../src-renderer/lib/state/drafts.svelte';
import { notices } from '../../../src-renderer/lib/state/notices.svelte';
import { uploads } from '../../../src-renderer/lib/state/uploads.svelte';
import { installFakeBridge, ok } from './fake-bridge';
import { uploadView } from './uploads-fixture';

const file = { ref: 'stg_1', fileName: 'fw-2.3.1.bin', size: 42 };
const SHA = 'ab'.repeat(32);

/** The service's name check: a name is taken on the accounts listed for it. */
function validator(takenOn: Record<string, string[]>) {
  const seen: UploadDraft[] = [];
  const validate = async (d: UploadDraft): Promise<FieldProblem[]> => {
    seen.push(d);
    return takenOn[d.accountId]?.includes(d.name)
      ? [{ field: 'name', message: `"${d.name}" is taken`, suggestion: `${d.name} (2)` }]
      : [];
  };
  return { seen, validate };
}

function checks() {
  const digests: string[] = [];
  const asked: Array<[string, string]> = [];
  const forgotten: string[] = [];
  const c: FileChecks = {
    digest: async (ref) => {
      digests.push(ref);
      return { size: 42, sha256: SHA };
    },
    sameFile: async (accountId, sha256) => {
      asked.push([accountId, sha256]);
      return accountId === 'acc-2' ? [{ id: 'img-9', name: 'fw-old' }] : [];
    },
    forget: (ref) => forgotten.push(ref),
  };
  return { digests, asked, forgotten, checks: c };
}

describe('a draft sent to several accounts (fan-out)', () => {
  it('checks the name on every target; one taken refuses the card, not the others', async () => {
    const v = validator({ 'acc-2': ['fw-2.3.1.bin'] });
    const d = new Draft(file, 'acc-1', { validate: v.validate, delayMs: 0 });
    await d.validateNow();
    d.setTarget('acc-2', true);
    d.setTarget('acc-3', true);
    await vi.waitFor(() => expect(d.targets.every((t) => !t.validating)).toBe(true));
    expect(v.seen.map((s) => s.accountId).sort()).toEqual(['acc-1', 'acc-2', 'acc-3']);
    expect(d.targets.map((t) => t.canStart)).toEqual([true, false, true]);
    expect(d.allReady).toBe(false);
    // The free name is taken on that target only; the card's name stays for the others.
    const second = d.others[0] as Draft;
    expect(second.suggestion).toBe('fw-2.3.1.bin (2)');
    second.applySuggestion();
    await vi.waitFor(() => expect(d.allReady).toBe(true));
    expect(d.targets.map((t) => t.name)).toEqual([
      'fw-2.3.1.bin',
      'fw-2.3.1.bin (2)',
      'fw-2.3.1.bin',
    ]);
    // The card's name goes on to every target that has none of its own.
    d.setName('fw-2.3.2');
    expect(d.targets.map((t) => t.name)).toEqual(['fw-2.3.2', 'fw-2.3.1.bin (2)', 'fw-2.3.2']);
    d.dispose();
  });

  it('hashes the file once and asks each account whether it already holds it', async () => {
    const c = checks();
    const d = new Draft(file, 'acc-1', { validate: async () => [], checks: c.checks });
    d.setTarget('acc-2', true);
    await d.inspect();
    expect(c.digests).toEqual(['stg_1']);
    expect(c.asked.map(([a]) => a).sort()).toEqual(['acc-1', 'acc-2']);
    expect(d.targets.map((t) => t.sameFile.map((i) => i.name))).toEqual([[], ['fw-old']]);
    // A target added after the hash asks its account straight away.
    d.setTarget('acc-3', true);
    await vi.waitFor(() => expect(c.asked.map(([a]) => a)).toContain('acc-3'));
    // Dropping a target leaves the file alone; removing the card stops its hash.
    d.setTarget('acc-2', false);
    expect(d.targets.map((t) => t.accountId)).toEqual(['acc-1', 'acc-3']);
    expect(c.forgotten).toEqual([]);
    d.dispose();
    expect(c.forgotten).toEqual(['stg_1']);
  });

  it('checks each target’s quota: a full one refuses that target', () => {
    const d = new Draft(file, 'acc-1', {
      validate: async () => [],
      quotaProblem: (id) => (id === 'acc-2' ? 'acc-2 is full' : null),
    });
    d.setTarget('acc-2', true);
    expect(d.problemFor('account')).toBeUndefined();
    expect(d.others[0]?.problemFor('account')?.message).toBe('acc-2 is full');
    d.dispose();
  });

  it('keeps each account once: choosing a further target as the main account drops it there', () => {
    const d = new Draft(file, 'acc-1', { validate: async () => [] });
    d.setTarget('acc-2', true);
    d.setTarget('acc-2', true);
    d.setTarget('acc-1', true);
    expect(d.targets.map((t) => t.accountId)).toEqual(['acc-1', 'acc-2']);
    d.setAccount('acc-2');
    expect(d.targets.map((t) => t.accountId)).toEqual(['acc-2']);
    d.dispose();
  });
});

describe('starting a fan-out', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    uploads.items = [];
    notices.items = [];
  });

  async function fanned() {
    const state = new DraftsState();
    await state.addFiles([new File(['abc'], 'fw.bin')], 'acc-1');
    const d = state.items[0] as Draft;
    d.setTarget('acc-2', true);
    d.setTarget('acc-3', true);
    await vi.waitFor(() => expect(d.targets.every((t) => !t.validating)).toBe(true));
    return { state, d };
  }

  function bridge(takenOn: Record<string, string[]>) {
    return installFakeBridge({
      'uploads:validate': (draft) =>
        ok(
          takenOn[draft.accountId]?.includes(draft.name)
            ? [{ field: 'name' as const, message: 'taken', suggestion: `${draft.name} (2)` }]
            : [],
        ),
      'drafts:digest': () => ok({ size: 3, sha256: SHA }),
      'images:same-file': () => ok([]),
      'uploads:add': ({ uploads: batch }) =>
        ok(
          batch.map((n, i) =>
            uploadView({ id: `u${i}`, accountId: n.accountId, groupId: 'g1', name: n.name ?? '' }),
          ),
        ),
    });
  }

  it('sends one entry per target, the same file, in one call', async () => {
    const fake = bridge({});
    const { state, d } = await fanned();
    d.encrypt = true;
    await state.start([d]);
    expect(fake.callsTo('uploads:add')).toEqual([
      {
        uploads: ['acc-1', 'acc-2', 'acc-3'].map((accountId) => ({
          file: { ref: 'stg_0', fileName: 'fw.bin', size: 3 },
          accountId,
          name: 'fw.bin',
          description: '',
          encrypt: true,
        })),
      },
    ]);
    expect(state.items).toEqual([]);
    expect(uploads.items.map((u) => u.accountId)).toEqual(['acc-1', 'acc-2', 'acc-3']);
  });

  it('starts nothing while one target refuses; the partial start leaves it out and says so', async () => {
    const fake = bridge({ 'acc-2': ['fw.bin'] });
    const { state, d } = await fanned();
    expect(state.ready).toEqual([]);
    await state.start([d]);
    expect(fake.callsTo('uploads:add')).toEqual([]);
    await state.start([d], { partial: true });
    const [call] = fake.callsTo('uploads:add') as Array<{
      uploads: { accountId: string }[];
      partial?: boolean;
    }>;
    expect(call?.uploads.map((u) => u.accountId)).toEqual(['acc-1', 'acc-3']);
    expect(call?.partial).toBe(true);
    expect(notices.items.map((n) => n.message)).toEqual([
      'fw.bin was not started on Removed account: drop it again to upload it there.',
    ]);
    expect(state.items).toEqual([]);
  });

  it('puts the service’s refusal on the card and the refused target’s row', async () => {
    const fake = bridge({});
    const { state, d } = await fanned();
    fake.bridge.invoke = (async (channel: string, arg: unknown) => {
      if (channel !== 'uploads:add') return { ok: true, value: [] };
      void arg;
      return {
        ok: false,
        error: {
          code: 'quota-full',
          message: 'Lab B refused fw.bin: quota full. Nothing was started.',
          targets: [
            {
              index: 1,
              accountId: 'acc-2',
              accountName: 'Lab B',
              fileName: 'fw.bin',
              code: 'quota-full',
              message: 'quota full',
            },
          ],
        },
      };
    }) as typeof fake.bridge.invoke;
    await state.start([d]);
    expect(d.refusal).toBe('Lab B refused fw.bin: quota full. Nothing was started.');
    expect(d.others[0]?.problemFor('account')?.message).toBe('quota full');
    expect(d.problems).toEqual([]);
    expect(state.items).toHaveLength(1);
    d.dispose();
  });
});
