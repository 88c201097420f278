/**
 * Fan-out (one file to several accounts) as the screens show it: a draft card's overall state
 * across its targets, and a started group's one-line summary for the queue and the history.
 * Pure decisions over plain data, so each is table-tested.
 */
import type { FieldProblem, Quota, UploadView } from '../../src-main/app/contract';
import type { Tone } from './format';

/** Why the account cannot take another image, or null while it has room. */
export function quotaFullMessage(label: string, quota: Quota): string | null {
  if (quota.used < quota.limit) return null;
  return `${label} has no room for another image (${quota.used} of ${quota.limit} used). Delete images there in History, or untick it.`;
}

/** The accounts a partial start left out, in the card's order. */
export function leftOut(targets: readonly string[], started: readonly string[]): string[] {
  return targets.filter((id) => !started.includes(id));
}

export interface TargetFacts {
  /** The account as the user knows it. */
  label: string;
  canStart: boolean;
  validating: boolean;
  problems: readonly FieldProblem[];
}

/**
 * A target's facts read off its draft. Field by field: a rune class keeps its state in accessors,
 * which a spread would not copy.
 */
export function factsOf(t: Omit<TargetFacts, 'label'>, label: string): TargetFacts {
  return { label, canStart: t.canStart, validating: t.validating, problems: t.problems };
}

export type TargetTone = 'checking' | 'ready' | 'refused';

/** One target's row: checking, ready, or refused with the first reason (the name's first). */
export function targetState(t: TargetFacts): { tone: TargetTone; reason: string | null } {
  if (t.canStart) return { tone: 'ready', reason: null };
  const problem = t.problems.find((p) => p.field === 'name') ?? t.problems[0];
  if (problem) return { tone: 'refused', reason: problem.message };
  return { tone: 'checking', reason: null };
}

export interface FanOutState {
  tone: TargetTone;
  ready: number;
  total: number;
  /** The targets that refuse, each with why: the card names them. */
  refused: { label: string; reason: string }[];
  /** The line beside Start. */
  text: string;
  /** "Start the others anyway" is offered: some refuse, some may go. */
  partial: boolean;
}

/**
 * All or nothing across the card's targets: ready only when every one is; a refusal (found by
 * the checks, or the service's `refusal` at Start) names the target. Checking wins over ready.
 */
export function fanOutState(targets: readonly TargetFacts[], refusal: string | null): FanOutState {
  const states = targets.map((t) => ({ t, s: targetState(t) }));
  const ready = states.filter((x) => x.s.tone === 'ready').length;
  const refused = states.flatMap(({ t, s }) =>
    s.tone === 'refused' ? [{ label: t.label, reason: s.reason ?? '' }] : [],
  );
  const total = targets.length;
  const checking = states.some((x) => x.s.tone === 'checking');
  const accounts = `${total} account${total === 1 ? '' : 's'}`;
  if (refused.length > 0 || refusal !== null) {
    const who = refused.map((r) => r.label).join(', ');
    return {
      tone: 'refused',
      ready,
      total,
      refused,
      text:
        refusal !== null && refused.length === 0
          ? 'The service refused: nothing started'
          : `${who} refuse${refused.length === 1 ? 's' : ''}: nothing starts · ${ready} of ${total} ready`,
      partial: total > 1 && ready > 0,
    };
  }
  if (checking)
    return { tone: 'checking', ready, total, refused, text: 'Checking…', partial: false };
  return { tone: 'ready', ready, total, refused, text: `Ready for ${accounts}`, partial: false };
}

export type QueueEntry =
  { kind: 'one'; upload: UploadView } | { kind: 'group'; id: string; members: UploadView[] };

/**
 * The queue with each fan-out gathered where its first member stands; members keep the order
 * they were started in, so a row does not jump while its neighbours change phase.
 */
export function groupEntries(ordered: readonly UploadView[]): QueueEntry[] {
  const members = new Map<string, UploadView[]>();
  for (const u of ordered) {
    if (u.groupId === null) continue;
    const list = members.get(u.groupId) ?? [];
    list.push(u);
    members.set(u.groupId, list);
  }
  const entries: QueueEntry[] = [];
  const placed = new Set<string>();
  for (const u of ordered) {
    const list = u.groupId === null ? undefined : members.get(u.groupId);
    if (!list || list.length < 2 || u.groupId === null) {
      entries.push({ kind: 'one', upload: u });
    } else if (!placed.has(u.groupId)) {
      placed.add(u.groupId);
      entries.push({ kind: 'group', id: u.groupId, members: [...list].sort(byStart) });
    }
  }
  return entries;
}

function byStart(a: UploadView, b: UploadView): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

export interface GroupSummary {
  /** "fw-2.3.1.bin → 3 accounts" */
  title: string;
  /** "3 verified", "1 verified, 1 failed, 1 uploading" */
  counts: string;
  tone: Tone;
}

/** What a fan-out's one line says: the file, how many accounts, how many got where. */
export function groupSummary(members: readonly UploadView[]): GroupSummary {
  const fileName = members[0]?.fileName ?? '';
  const n = members.length;
  const verified = members.filter((u) => u.phase === 'done' && u.verified).length;
  const failed = members.filter((u) => u.phase === 'failed').length;
  const cancelled = members.filter((u) => u.phase === 'cancelled').length;
  const waiting = members.filter((u) =>
    ['paused', 'waiting-network', 'interrupted'].includes(u.phase),
  ).length;
  // Done but its checksum not (yet) confirmed counts with the ones still going.
  const going = n - verified - failed - cancelled - waiting;
  const parts = [
    verified > 0 ? `${verified} verified` : '',
    failed > 0 ? `${failed} failed` : '',
    waiting > 0 ? `${waiting} waiting` : '',
    going > 0 ? `${going} in progress` : '',
    cancelled > 0 ? `${cancelled} cancelled` : '',
  ].filter((p) => p !== '');
  const tone: Tone =
    failed > 0
      ? 'danger'
      : verified === n
        ? 'success'
        : waiting > 0
          ? 'warning'
          : going > 0
            ? 'active'
            : 'neutral';
  return {
    title: `${fileName} → ${n} account${n === 1 ? '' : 's'}`,
    counts: parts.join(', '),
    tone,
  };
}

export type HistoryRow =
  | { kind: 'one'; upload: UploadView }
  | { kind: 'group'; id: string; members: UploadView[]; summary: GroupSummary; open: boolean }
  | { kind: 'member'; upload: UploadView; groupId: string };

/** The local history's rows: a fan-out is one row, with a row per target when opened. */
export function historyRows(list: readonly UploadView[], open: ReadonlySet<string>): HistoryRow[] {
  return groupEntries(list).flatMap((e): HistoryRow[] => {
    if (e.kind === 'one') return [{ kind: 'one', upload: e.upload }];
    const isOpen = open.has(e.id);
    return [
      {
        kind: 'group',
        id: e.id,
        members: e.members,
        summary: groupSummary(e.members),
        open: isOpen,
      },
      ...(isOpen
        ? e.members.map((u) => ({ kind: 'member' as const, upload: u, groupId: e.id }))
        : []),
    ];
  });
}
