/**
 * Words for hosts that do not answer and for uploads that wait for one: the banner's lines and
 * the upload card's "waiting" line, computed from the service's views and a clock reading.
 */
import type {
  ContractError,
  HostOutage,
  UploadPhase,
  UploadView,
} from '../../src-main/app/contract';

/** The network failure of a message from the service, told short: "connection refused". */
export interface NetworkProblem {
  /** The host the message names, when it names one. */
  host: string | null;
  /** A few words: "connection refused", "no answer within 30 s"; the message itself otherwise. */
  reason: string;
  /** Whether `reason` is a short phrase taken out of the message (false: the whole message). */
  short: boolean;
}

// The service's transport errors (src-main/dm/network-errors.ts) read like these:
//   "Could not reach HOST to OPERATION (REASON). Check …"
//   "HOST did not answer within N s while trying to OPERATION. Check …"
//   "HOST stopped taking the upload's data for N s while trying to OPERATION. Check …"
const COULD_NOT_REACH = /^Could not reach (\S+) to .*? \(([^()]+)\)\./;
const NO_ANSWER = /^(\S+) did not answer within ([\d.]+ s)/;
const STALLED = /^(\S+) stopped taking the upload's data for ([\d.]+ s)/;

export function networkProblem(message: string): NetworkProblem {
  let m = COULD_NOT_REACH.exec(message);
  if (m) return { host: m[1] ?? null, reason: m[2] ?? message, short: true };
  m = NO_ANSWER.exec(message);
  if (m) return { host: m[1] ?? null, reason: `no answer within ${m[2]}`, short: true };
  m = STALLED.exec(message);
  if (m) return { host: m[1] ?? null, reason: `stopped taking data for ${m[2]}`, short: true };
  return { host: null, reason: message.trim(), short: false };
}

/** Whole seconds until `iso` (rounded up, so "0 s" never shows before it is due); null if none. */
export function secondsUntil(iso: string | null, now: number): number | null {
  if (iso === null) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** "next try in 12 s", "next try in 2 min 5 s", or "trying now…" when it is due or under way. */
export function nextTryPhrase(iso: string | null, now: number): string {
  const s = secondsUntil(iso, now);
  if (s === null || s === 0) return 'trying now…';
  if (s < 60) return `next try in ${s} s`;
  const rest = s % 60;
  return `next try in ${Math.floor(s / 60)} min${rest ? ` ${rest} s` : ''}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

/** One line of the network banner, in parts so the host can stand out. */
export interface OutageLine {
  host: string;
  /** "EU production, EU staging"; '' when no account of ours is on it. */
  accounts: string;
  /** Short: "connection refused". */
  reason: string;
  /** "2 uploads wait and go on by themselves — next try in 12 s." */
  waiting: string;
  /** The service's whole message, for a tooltip. */
  detail: string;
}

export function outageLine(outage: HostOutage, now: number): OutageLine {
  const problem = networkProblem(outage.reason);
  const who =
    outage.uploads === 1
      ? '1 upload waits and goes on by itself'
      : outage.uploads > 1
        ? `${outage.uploads} uploads wait and go on by themselves`
        : 'Uploads to it wait and go on by themselves';
  return {
    host: outage.host,
    accounts: outage.accounts.join(', '),
    reason: problem.short ? problem.reason : problem.reason.replace(/[.\s]+$/, ''),
    waiting: sentence(`${who} — ${nextTryPhrase(outage.nextTryAt, now)}`),
    detail: outage.reason,
  };
}

/** The banner line as one sentence (what a screen reader and the tests read). */
export function outageText(line: OutageLine): string {
  const accounts = line.accounts ? ` (${line.accounts})` : '';
  return `Can't reach ${line.host}${accounts}: ${line.reason}. ${line.waiting}`;
}

/** What an upload that waits to try again shows, or null when it is not waiting. */
export interface WaitLine {
  /** "Waiting for network", or "Waiting to try again" for a trouble that is not the network's. */
  title: string;
  /** "can't reach 127.0.0.1:4000: connection refused." */
  reason: string;
  /** "Next try in 12 s." / "Trying now…" */
  nextTry: string;
  detail: string;
}

const NETWORK_CODES: ReadonlySet<ContractError['code']> = new Set(['network', 'timeout']);
/** Phases in which nothing tries again by itself, whatever retryAt says. */
const AT_REST: ReadonlySet<UploadPhase> = new Set([
  'failed',
  'paused',
  'cancelled',
  'done',
  'interrupted',
]);

export function waitLine(
  u: Pick<UploadView, 'phase' | 'error' | 'retryAt'>,
  now: number,
): WaitLine | null {
  const waitingForHost = u.phase === 'waiting-network';
  // A transient trouble (a 503, a reset) while the upload is still under way: it retries itself.
  const retrying = u.retryAt !== null && u.error !== null && !AT_REST.has(u.phase);
  if (!waitingForHost && !retrying) return null;
  const forNetwork = waitingForHost || (u.error !== null && NETWORK_CODES.has(u.error.code));
  const message = u.error?.message ?? '';
  const problem = networkProblem(message);
  const reason = !message
    ? ''
    : problem.short
      ? `${problem.host ? `can't reach ${problem.host}: ` : ''}${problem.reason}.`
      : sentence(problem.reason);
  return {
    title: forNetwork ? 'Waiting for network' : 'Waiting to try again',
    reason,
    nextTry: sentence(capitalize(nextTryPhrase(u.retryAt, now))),
    detail: message,
  };
}

/** The line as one string: "Waiting for network — can't reach …: connection refused. Next try in 12 s." */
export function waitText(line: WaitLine): string {
  return `${line.title}${line.reason ? ` — ${line.reason}` : '.'} ${line.nextTry}`;
}

/**
 * What a draft says when its account's host does not answer (a known outage, or the name check
 * could not get through): Start still works, and the upload waits for the network by itself.
 */
export function draftWaitNote(message: string, host: string | null = null): string {
  const problem = networkProblem(message);
  const where = host ?? problem.host;
  const what = problem.short
    ? `Can't reach ${where ?? 'the service'} right now: ${problem.reason}.`
    : sentence(problem.reason);
  return `${what} You can start anyway: the upload waits for the network and goes by itself when the host answers.`;
}

/** The host of an account's API base URL ("api.eu-west-1.mbedcloud.com", "127.0.0.1:4000"). */
export function hostOf(baseUrl: string): string | null {
  try {
    return new URL(baseUrl).host;
  } catch {
    return null;
  }
}

/** Words for a control that another Firmdrop process owns. */
export function elsewhereTip(where: string): string {
  return `Controlled by ${where}: pause, resume or cancel it there.`;
}
